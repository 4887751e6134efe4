"""Every status x every workflow step x every role: allowed steps succeed, all others answer 403 or 409
and leave no trace (no timeline row, no clock, no audit event, no mail, the request unchanged).

The expected table is written out here from the issue, independently of the declarations in models.py.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection, transaction

from hrcoop.assistance.models import AssistanceRequest, StageClock, Status, TransitionRecord
from hrcoop.assistance.services import apply_transition, mark_funded, withdraw_funding
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.errors import Conflict, Forbidden
from hrcoop.core.models import AuditEvent
from tests.assistance.conftest import World
from tests.factories import make_request

BEFORE_FUNDING = {
    "submitted", "acknowledged", "under_assessment", "information_requested",
    "recommended", "approved", "approved_with_changes", "on_hold",
}  # fmt: skip
HOLDABLE = {
    "submitted",
    "acknowledged",
    "under_assessment",
    "recommended",
    "approved",
    "approved_with_changes",
}

# step -> (statuses it starts from, who may take it)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "submit": ({"draft"}, "state"),
    "acknowledge": ({"submitted"}, "secretariat"),
    "start_assessment": ({"acknowledged"}, "secretariat"),
    "request_information": ({"under_assessment"}, "secretariat"),
    "provide_information": ({"information_requested"}, "state"),
    "recommend": ({"under_assessment"}, "secretariat"),
    "approve": ({"recommended"}, "board"),
    "approve_with_changes": ({"recommended"}, "board"),
    "decline": ({"recommended"}, "board"),
    "fund_request": ({"approved", "approved_with_changes"}, "secretariat"),
    "withdraw_funding": ({"funded"}, "secretariat"),
    "start_implementation": ({"funded"}, "state"),
    "complete": ({"in_implementation"}, "secretariat"),
    "close": ({"completed", "declined", "withdrawn"}, "secretariat"),
    "withdraw": (BEFORE_FUNDING, "state"),
    "put_on_hold": (HOLDABLE, "secretariat"),
    "resume": ({"on_hold"}, "secretariat"),
}
ROLE_OF = {"state": "focal_point", "secretariat": "secretariat", "board": "board"}
ROLES = ["anonymous", "focal_point", "other_focal_point", "secretariat", "board", "other_board", "admin"]


def test_the_declared_workflow_is_the_expected_one() -> None:
    assert set(TRANSITIONS) == set(EXPECTED)
    for name, (sources, actor) in EXPECTED.items():
        assert set(TRANSITIONS[name].sources) == sources, name
        assert TRANSITIONS[name].actor == actor, name


def _take(request: AssistanceRequest, name: str, actor: object) -> AssistanceRequest:
    """Take a step the way the platform does: funding and its withdrawal through the funds ledger's calls."""
    if name == "fund_request":
        return mark_funded(request, actor=actor, allocation_reference="UPR-FTA/allocation/1")  # type: ignore[arg-type]
    if name == "withdraw_funding":
        return withdraw_funding(request, actor=actor, reason="allocation reversed")  # type: ignore[arg-type]
    return apply_transition(request, name, actor=actor, reason="reasons given")  # type: ignore[arg-type]


def _trace() -> tuple[object, ...]:
    """Rows of the timeline, clocks and audit log (one query), mail sent, and callbacks awaiting commit."""
    tables = [TransitionRecord._meta.db_table, StageClock._meta.db_table, AuditEvent._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables))
        counts = cursor.fetchone()
    return (*counts, len(mail.outbox), len(connection.run_on_commit))


@pytest.mark.parametrize("status", Status.values)
def test_matrix(world: World, status: str) -> None:
    request = make_request(world.state, world.fund, status=status)
    snapshot = AssistanceRequest.objects.filter(pk=request.pk).values().get()
    outcomes = {"allowed": 0, "403": 0, "409": 0}
    for name, (sources, actor_kind) in EXPECTED.items():
        for role in ROLES:
            actor = world.users[role]
            allowed = status in sources and role in {ROLE_OF[actor_kind], "admin"}
            before = _trace()
            if allowed:
                savepoint = transaction.savepoint()
                moved = _take(request, name, actor)
                assert moved.status in TRANSITIONS[name].targets, (name, role)
                after = _trace()
                assert after[0] == before[0] + 1 and after[2] == before[2] + 1, (name, role)
                transaction.savepoint_rollback(savepoint)
                outcomes["allowed"] += 1
            else:
                with pytest.raises((Forbidden, Conflict)) as caught:
                    _take(request, name, actor)
                outcomes[str(caught.value.status)] += 1
                assert _trace() == before, (name, role)
        assert AssistanceRequest.objects.filter(pk=request.pk).values().get() == snapshot, name
    expected_allowed = 2 * sum(1 for sources, _ in EXPECTED.values() if status in sources)
    assert outcomes["allowed"] == expected_allowed
    assert sum(outcomes.values()) == len(EXPECTED) * len(ROLES)


@pytest.mark.parametrize("step", ["recommend", "fund_request"])
def test_consent_is_required_before_assessment_concludes_and_before_funding(world: World, step: str) -> None:
    status = "under_assessment" if step == "recommend" else "approved"
    request = make_request(world.state, world.fund, status=status, consent=False)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="consent"):
        _take(request, step, world.users["secretariat"])
    request.refresh_from_db()
    assert request.status == status
    assert AuditEvent.objects.count() == events


def test_completion_needs_a_progress_report(world: World) -> None:
    request = make_request(world.state, world.fund, status="funded")
    apply_transition(request, "start_implementation", actor=world.users["focal_point"])
    with pytest.raises(Conflict, match="progress report"):
        apply_transition(request, "complete", actor=world.users["secretariat"])


def test_resume_returns_to_the_status_before_the_hold(world: World) -> None:
    request = make_request(world.state, world.fund, status="recommended")
    apply_transition(request, "put_on_hold", actor=world.users["secretariat"], reason="budget review")
    resumed = apply_transition(request, "resume", actor=world.users["secretariat"])
    assert resumed.status == "recommended"
    assert resumed.held_from == ""


def test_funding_is_taken_through_the_funds_ledger_only(world: World) -> None:
    request = make_request(world.state, world.fund, status="approved")
    with pytest.raises(Conflict, match="through the funds app"):
        apply_transition(request, "fund_request", actor=world.users["secretariat"])
    funded = mark_funded(
        request, actor=world.users["secretariat"], allocation_reference="UPR-FTA/allocation/7"
    )
    assert (funded.status, funded.allocation_reference) == ("funded", "UPR-FTA/allocation/7")
