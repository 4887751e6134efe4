"""The progress updates a person owes are on their home page: the institution's, and the State's."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hrcoop.tracking.tasks import due_actions
from tests.tracking.conftest import JUSTICE_ACTION, OMBUDSMAN_ACTION, World


def test_the_desk_lists_the_updates_due_as_the_reminder_does(world: World) -> None:
    from django.utils import timezone

    from hrcoop.core.calendar import local_date

    reminded = {
        a.description for actions in due_actions(local_date(timezone.now())).values() for a in actions
    }
    assert reminded == {JUSTICE_ACTION}
    for who in ("institution member", "focal point of the State"):
        client = Client()
        client.force_login(world.users[who])  # type: ignore[arg-type]
        page = client.get(reverse("portal:desk")).content.decode()
        assert "Progress updates due" in page and JUSTICE_ACTION in page and OMBUDSMAN_ACTION not in page, who


def test_an_institution_member_sees_the_actions_assigned_to_its_institution_only(world: World) -> None:
    client = Client()
    client.force_login(world.users["institution member"])  # type: ignore[arg-type]
    page = client.get(reverse("portal:desk")).content.decode()
    assigned = page[page.index("Actions assigned to your institution") : page.index("Progress updates due")]
    assert JUSTICE_ACTION in assigned and OMBUDSMAN_ACTION not in assigned
