"""Service-level clocks: when a stage's clock starts, pauses, resumes and stops (DESIGN.md §4.4).

Called by ``services.apply_transition`` inside its transaction with the request already moved to its
new status. A stage's clock starts on the Geneva date of the transition that enters it, is due
``service level`` working days later, stops while information is awaited from the State (the due date
moves by the working days paused) and ends when the request leaves the stage.
"""

from __future__ import annotations

import datetime as dt

from hrcoop.assistance.models import (
    DEFAULT_SERVICE_LEVELS,
    PAUSED_STATUSES,
    STAGE_OF_STATUS,
    AssistanceRequest,
    BoardSession,
    ServiceLevel,
    Stage,
    StageClock,
    Status,
)
from hrcoop.core.calendar import add_working_days, local_date, working_days_between
from hrcoop.reference.models import Fund


def service_level(fund: Fund, stage: str) -> int:
    """Working days the fund allows for ``stage`` (its own setting, else the default)."""
    row = ServiceLevel.objects.filter(fund=fund, stage=stage).first()
    return row.working_days if row else DEFAULT_SERVICE_LEVELS[stage]


def stage_of(status: str, held_from: str = "") -> str | None:
    """The stage whose clock runs in ``status``; a request on hold keeps the clock of where it was."""
    if status == Status.ON_HOLD:
        return STAGE_OF_STATUS.get(held_from)
    return STAGE_OF_STATUS.get(status)


def due_date_for(fund: Fund, stage: str, start: dt.date) -> dt.date:
    """The due date of a stage started on ``start``; a decision is due by the next board session if sooner."""
    due = add_working_days(start, service_level(fund, stage))
    if stage == Stage.DECISION:
        session = BoardSession.objects.filter(fund=fund, starts_on__gte=start, starts_on__lt=due).first()
        if session is not None:
            due = session.starts_on
    return due


def move_clocks(request: AssistanceRequest, *, now: dt.datetime) -> None:
    """Start, pause, resume or stop clocks for the move that just put the request in its status."""
    today = local_date(now)
    target = request.status
    new_stage = stage_of(target, request.held_from)
    clock = request.clocks.filter(ended_at__isnull=True).first()
    if clock is not None and clock.paused_at is not None and target not in PAUSED_STATUSES:
        paused = working_days_between(local_date(clock.paused_at), today)
        clock.paused_working_days += paused
        clock.due_date = add_working_days(clock.due_date, paused)
        clock.paused_at = None
    if clock is not None and clock.stage != new_stage:
        clock.ended_at = now
        clock.completed = target != Status.WITHDRAWN
        taken = working_days_between(local_date(clock.started_at), today) - clock.paused_working_days
        clock.working_days_taken = max(taken, 0)
        clock.on_time = today <= clock.due_date
    if clock is not None:
        if target in PAUSED_STATUSES and clock.ended_at is None:
            clock.paused_at = now
        clock.save()
        if clock.ended_at is not None:
            clock = None
    if clock is None and new_stage is not None:
        clock = StageClock.objects.create(
            request=request,
            stage=new_stage,
            fund=request.fund,
            started_at=now,
            service_level=service_level(request.fund, new_stage),
            due_date=due_date_for(request.fund, new_stage, today),
        )
    request.due_date = clock.due_date if clock is not None and clock.paused_at is None else None


def is_overdue(request: AssistanceRequest, *, today: dt.date) -> bool:
    return request.due_date is not None and today > request.due_date
