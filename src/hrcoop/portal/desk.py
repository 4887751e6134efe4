"""Each person's home after signing in: what awaits them, in one section per role they hold.

The sections only gather what the apps' selectors already answer (the queue, the agenda, a State's
requests, the updates an institution owes, a donor's contributions), so a rule about who sees what
stays where it is written; this module decides only what comes first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from hrcoop.assistance import selectors as assistance
from hrcoop.core.calendar import local_date
from hrcoop.core.models import Role, User
from hrcoop.core.roles import held_roles, scopes_of
from hrcoop.funds.models import Donor
from hrcoop.funds.statements import contributions_by_donor
from hrcoop.tracking.models import Action
from hrcoop.tracking.selectors import actions_visible_to, member_institutions, updates_due

SHOWN = 10  # rows of a queue shown on the home page; the queue's own page has them all


def _records(requests: Any) -> list[dict[str, Any]]:
    return [assistance.request_record(r, full=True) for r in requests[:SHOWN]]


def secretariat(user: User) -> dict[str, Any]:
    queue = assistance.secretariat_queue(user)
    today = local_date(timezone.now())
    return {
        "rows": _records(queue),
        "total": queue.count(),
        "overdue": queue.filter(due_date__lt=today).count(),
        "to_allocate": list(assistance.awaiting_allocation(user)[:SHOWN]),
        "sessions": list(assistance.sessions_scheduled_by(user)[:3]),
    }


def board(user: User) -> dict[str, Any]:
    agenda = assistance.board_agenda(user)
    return {
        "rows": _records(agenda),
        "total": agenda.count(),
        "sessions": list(assistance.upcoming_sessions(user)),
    }


def focal_point(user: User) -> dict[str, Any]:
    return {
        "states": assistance.state_dashboard(user),
        "updates_due": updates_due(user, today=local_date(timezone.now())),
    }


def institution_member(user: User) -> dict[str, Any]:
    institutions = member_institutions(user)
    assigned = (
        actions_visible_to(user)
        .filter(institution__in=institutions)
        .exclude(status=Action.Status.COMPLETED)
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return {
        "institutions": list(institutions),
        "assigned": list(assigned[:SHOWN]),
        "updates_due": updates_due(user, today=local_date(timezone.now())),
    }


def donor(user: User) -> dict[str, Any]:
    ids = [int(scope) for scope in scopes_of(user, Role.DONOR) if scope.isdigit()]
    donors = Donor.objects.filter(pk__in=ids).order_by("name")
    return {"donors": [(d, contributions_by_donor(donor=d)) for d in donors]}


SECTIONS = {
    Role.STATE_FOCAL_POINT: focal_point,
    Role.SECRETARIAT: secretariat,
    Role.BOARD: board,
    Role.DONOR: donor,
    Role.INSTITUTION_MEMBER: institution_member,
}


def sections_for(user: User) -> dict[str, dict[str, Any]]:
    """One section per role the user holds, in the order of ``SECTIONS``, keyed by the role's value."""
    roles = held_roles(user)
    return {role.value: build(user) for role, build in SECTIONS.items() if role in roles}
