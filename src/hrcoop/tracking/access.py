"""Who acts for a State's tracker: its focal points, and the members of each of its institutions.

Services (may this person write?) and selectors (what may this person read?) both ask here, so the
rules of docs/tracking.md live in one module. An administrator counts as a focal point of every State
(``has_role`` says so), and is audited like anyone.
"""

from __future__ import annotations

from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role, is_admin, scopes_of
from hrcoop.reference.models import State


def is_focal_point(actor: Actor, state: State) -> bool:
    return has_role(actor, Role.STATE_FOCAL_POINT, scope=state.iso3)


def focal_point_states(actor: Actor) -> set[str]:
    """ISO codes of the States the actor coordinates (an administrator coordinates all: ``everything``)."""
    return scopes_of(actor, Role.STATE_FOCAL_POINT)


def member_institution_ids(actor: Actor) -> set[int]:
    """Ids of the institutions the actor works in (an institution member's scope is the institution's id)."""
    return {int(scope) for scope in scopes_of(actor, Role.INSTITUTION_MEMBER) if scope.isdigit()}


def everything(actor: Actor) -> bool:
    return is_admin(actor)
