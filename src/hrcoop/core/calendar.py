"""Working days on the Geneva calendar, for service levels (DESIGN.md §4.4).

A working day is a Monday to Friday that is not a public holiday in the canton of Geneva (the
``holidays`` package's ``Switzerland(subdiv="GE")``, which includes the Jeûne genevois and the
Restauration de la République). Instants are stored in UTC; the day an instant falls on is its date in
Geneva, so a request submitted at 23:59 UTC on a Friday in summer arrives on Saturday and its clock
starts on Monday.

Counting convention: the day something happens is day 0; ``add_working_days(d, n)`` is the n-th
working day after ``d``; ``working_days_between(a, b)`` counts the working days after ``a`` up to and
including ``b``, so that ``working_days_between(d, add_working_days(d, n)) == n``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import holidays

GENEVA = ZoneInfo("Europe/Zurich")
# Days the canton observes that a ``holidays`` release might lack; checked against it at import time.
_GENEVA_SPECIFIC = ("Genevan Fast", "Restoration Day")


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    calendar = holidays.Switzerland(subdiv="GE", years=year, language="en_US")
    names = " ".join(calendar.values())
    missing = [name for name in _GENEVA_SPECIFIC if name not in names]
    days = set(calendar)
    if missing:  # pragma: no cover - only with a release of ``holidays`` that dropped them
        days |= _geneva_specific_days(year)
    return frozenset(days)


def _geneva_specific_days(year: int) -> set[dt.date]:
    """Jeûne genevois (Thursday after the first Sunday of September) and 31 December."""
    first_sunday = dt.date(year, 9, 1) + dt.timedelta(days=(6 - dt.date(year, 9, 1).weekday()) % 7)
    return {first_sunday + dt.timedelta(days=4), dt.date(year, 12, 31)}


def holiday_name(day: dt.date) -> str | None:
    return holidays.Switzerland(subdiv="GE", years=day.year, language="en_US").get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def local_date(moment: dt.datetime) -> dt.date:
    """The Geneva date of an aware instant."""
    if moment.tzinfo is None:
        raise ValueError("working-day arithmetic needs an aware datetime (UTC in storage)")
    return moment.astimezone(GENEVA).date()


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0)."""
    if days < 0:
        raise ValueError("add_working_days counts forward only")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
