"""Who may do what: a role's scope never widens where it names one State or one donor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hrcoop.core.models import Role, RoleAssignment, User
from hrcoop.core.roles import has_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.STATE_FOCAL_POINT, Role.DONOR])
def test_a_role_for_one_state_or_donor_needs_its_scope(role: Role) -> None:
    user = User.objects.create_user("someone")
    with pytest.raises(ValidationError, match="needs a scope"):
        RoleAssignment(user=user, role=role).full_clean()
    RoleAssignment(user=user, role=role, scope="42").full_clean()


@pytest.mark.parametrize(
    ("role", "covers_every_scope"),
    [(Role.SECRETARIAT, True), (Role.BOARD, True), (Role.DONOR, False), (Role.STATE_FOCAL_POINT, False)],
)
def test_only_the_secretariat_and_board_hold_an_unscoped_role_everywhere(
    role: Role, covers_every_scope: bool
) -> None:
    user = User.objects.create_user("unscoped")
    RoleAssignment.objects.create(user=user, role=role)  # e.g. made before scopes were checked
    assert has_role(user, role, scope="7") is covers_every_scope
    assert has_role(user, role) is True
