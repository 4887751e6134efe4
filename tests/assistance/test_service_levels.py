"""Service levels in Geneva working days: weekends, holidays, pauses, time zones, 23:59 UTC."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hrcoop.assistance.clocks import is_overdue
from hrcoop.assistance.models import ServiceLevel, Stage, StageClock
from hrcoop.assistance.services import apply_transition
from hrcoop.core.calendar import (
    add_working_days,
    holiday_name,
    is_working_day,
    local_date,
    working_days_between,
)
from tests.assistance.conftest import World
from tests.factories import make_board_session, make_request, make_service_level

UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def step(request, name, who, when, world, reason="reasons"):  # type: ignore[no-untyped-def]
    with patch("django.utils.timezone.now", return_value=when):
        return apply_transition(request, name, actor=world.users[who], reason=reason)


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2030])
def test_geneva_specific_holidays_are_in_the_calendar(year: int) -> None:
    restoration = dt.date(year, 12, 31)
    september_first = dt.date(year, 9, 1)
    first_sunday = september_first + dt.timedelta(days=(6 - september_first.weekday()) % 7)
    jeune = first_sunday + dt.timedelta(days=4)
    assert jeune.weekday() == 3 and holiday_name(jeune) == "Genevan Fast"
    assert holiday_name(restoration) == "Restoration Day"
    assert not is_working_day(jeune) and not is_working_day(restoration)


def test_weekends_and_holidays_are_skipped() -> None:
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)  # Friday -> Monday
    # Jeûne genevois, Thursday 10 September 2026: Friday 4th + 5 working days is Monday 14th, not Friday 11th.
    assert add_working_days(dt.date(2026, 9, 4), 5) == dt.date(2026, 9, 14)
    # 24 Dec 2026 + 2: 25th Christmas, 26-27 weekend, 28 Mon (1), 29 Tue (2).
    assert add_working_days(dt.date(2026, 12, 24), 2) == dt.date(2026, 12, 29)
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
    assert working_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 7)) == 1
    assert is_working_day(dt.date(2026, 12, 26)) is False  # a Saturday
    assert is_working_day(dt.date(2026, 12, 30)) is True


@given(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2032, 12, 31)), st.integers(0, 90))
def test_counting_forward_and_between_agree(start: dt.date, days: int) -> None:
    due = add_working_days(start, days)
    assert working_days_between(start, due) == days
    assert days == 0 or is_working_day(due)


def test_local_date_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(dt.datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001 (naive on purpose)


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # Thursday 3 December 2026, 22:59 UTC is 23:59 in Geneva: the clock starts on Thursday.
        (at(2026, 12, 3, 22, 59), dt.date(2026, 12, 10)),
        # 23:59 UTC is already Friday 00:59 in Geneva: due a day later.
        (at(2026, 12, 3, 23, 59), dt.date(2026, 12, 11)),
        # Friday 3 July 2026, 23:59 UTC is Saturday 01:59 (summer time): the clock starts on Saturday.
        (at(2026, 7, 3, 23, 59), dt.date(2026, 7, 10)),
        # Submitted on the Saturday itself: the same due date.
        (at(2026, 7, 4, 9, 0), dt.date(2026, 7, 10)),
    ],
)
def test_acknowledgement_due_date_uses_the_geneva_date(
    world: World, submitted: dt.datetime, due: dt.date
) -> None:
    request = step(make_request(world.state, world.fund), "submit", "focal_point", submitted, world)
    assert request.due_date == due
    clock = StageClock.objects.get(request=request)
    assert (clock.stage, clock.service_level) == (Stage.ACKNOWLEDGEMENT, 5)


def test_the_clock_stops_while_information_is_awaited(world: World) -> None:
    request = make_request(world.state, world.fund, status="acknowledged", at=at(2026, 3, 2, 8))
    request = step(request, "start_assessment", "secretariat", at(2026, 3, 2, 9), world)  # Monday
    clock = request.clocks.get(stage=Stage.ASSESSMENT, ended_at__isnull=True)
    first_due = request.due_date
    assert first_due == add_working_days(dt.date(2026, 3, 2), 30)
    request = step(request, "request_information", "secretariat", at(2026, 3, 9, 9), world)
    assert request.due_date is None  # paused: no due date while the State has the ball
    assert not is_overdue(request, today=dt.date(2027, 1, 1))
    # The State answers on Monday 16 March: 5 working days paused, the due date moves by 5.
    request = step(request, "provide_information", "focal_point", at(2026, 3, 16, 15), world)
    assert request.due_date == add_working_days(first_due, 5)
    request = step(request, "recommend", "secretariat", at(2026, 3, 20, 10), world)
    clock.refresh_from_db()
    assert clock.completed and clock.on_time
    assert clock.paused_working_days == 5
    assert clock.working_days_taken == working_days_between(dt.date(2026, 3, 2), dt.date(2026, 3, 20)) - 5
    decision = request.clocks.get(stage=Stage.DECISION)
    assert decision.due_date == add_working_days(dt.date(2026, 3, 20), 60)


def test_service_levels_are_configurable_per_fund_and_board_sessions_bring_decisions_forward(
    world: World,
) -> None:
    make_service_level(world.fund, Stage.ACKNOWLEDGEMENT, 2)
    request = step(
        make_request(world.state, world.fund), "submit", "focal_point", at(2026, 6, 1, 8), world
    )  # Monday
    assert request.due_date == dt.date(2026, 6, 3)
    other = make_request(
        world.state,
        world.other_fund,
        status="under_assessment",
    )
    make_board_session(world.other_fund, dt.date(2026, 6, 15), "Board 41", at=at(2026, 6, 1, 8))
    other = step(other, "recommend", "secretariat", at(2026, 6, 1, 8), world)
    assert other.due_date == dt.date(2026, 6, 15)


def test_overdue_flag(world: World) -> None:
    request = step(make_request(world.state, world.fund), "submit", "focal_point", at(2026, 6, 1, 8), world)
    assert not is_overdue(request, today=request.due_date)
    assert is_overdue(request, today=request.due_date + dt.timedelta(days=1))
    late = step(request, "acknowledge", "secretariat", at(2026, 6, 15, 8), world)
    clock = late.clocks.get(stage=Stage.ACKNOWLEDGEMENT)
    assert clock.on_time is False and clock.working_days_taken == 10


def test_withdrawal_stops_the_clock_without_counting_it_as_completed(world: World) -> None:
    request = step(make_request(world.state, world.fund), "submit", "focal_point", at(2026, 6, 1, 8), world)
    request = step(request, "withdraw", "focal_point", at(2026, 6, 2, 8), world)
    clock = request.clocks.get()
    assert clock.ended_at is not None and clock.completed is False
    assert request.due_date is None


def test_the_secretariat_sets_service_levels_and_board_sessions_with_an_audit_trail(world: World) -> None:
    from hrcoop.assistance.services import schedule_board_session, set_service_level
    from hrcoop.core.errors import Forbidden, InvalidInput
    from hrcoop.core.models import AuditEvent

    set_up = list(AuditEvent.objects.values_list("pk", flat=True))
    with pytest.raises(Forbidden):
        set_service_level(
            actor=world.users["focal_point"], fund=world.fund, stage="assessment", working_days=3
        )
    with pytest.raises(InvalidInput, match="between 1 and 250"):
        set_service_level(
            actor=world.users["secretariat"], fund=world.fund, stage="assessment", working_days=0
        )
    with pytest.raises(InvalidInput, match="is not a stage"):
        set_service_level(actor=world.users["secretariat"], fund=world.fund, stage="lunch", working_days=3)
    assert not ServiceLevel.objects.exists()
    assert not AuditEvent.objects.exclude(pk__in=set_up).exists()  # but the set-up's
    set_service_level(actor=world.users["secretariat"], fund=world.fund, stage="assessment", working_days=20)
    set_service_level(actor=world.users["secretariat"], fund=world.fund, stage="assessment", working_days=25)
    assert ServiceLevel.objects.get().working_days == 25
    next_month = local_date(timezone.now()) + dt.timedelta(days=30)  # ahead: never in the past
    schedule_board_session(
        actor=world.users["secretariat"], fund=world.fund, starts_on=next_month, title="Board 42"
    )
    actions = list(AuditEvent.objects.exclude(pk__in=set_up).values_list("action", flat=True))
    assert actions == ["assistance.service_level", "assistance.service_level", "assistance.board_session"]
