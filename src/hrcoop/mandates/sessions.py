"""When a session meets: the Council's calendar (project reference file) and the Assembly's by rule.

The Council's regular sessions and their dates are facts kept in ``data/hrc_sessions.csv`` (resumed parts
are not listed). A General Assembly session *n* opens in September of year 1945 + n and closes the
following September, so its dates follow from its number.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

SESSIONS_FILE = Path(__file__).parent / "data" / "hrc_sessions.csv"


@cache
def hrc_sessions() -> dict[int, tuple[date, date]]:
    with SESSIONS_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            int(row["number"]): (date.fromisoformat(row["start"]), date.fromisoformat(row["end"]))
            for row in csv.DictReader(handle)
        }


def session_dates(body: str, number: int | None) -> tuple[date | None, date | None]:
    """Start and end of a session, or (None, None) when we do not know it."""
    if number is None:
        return None, None
    if body == "HRC":
        return hrc_sessions().get(number, (None, None))
    if body == "GA":
        return date(1945 + number, 9, 1), date(1946 + number, 8, 31)
    return None, None
