"""Data versions: read them (``current_version``, ``versions_key``) and raise one (``bump_version``).

A version is raised by the receivers of the domain events (``core.events``), in the transaction of
the change, never by the code that wrote the data: the registry's, for instance, is subscribed in
``recommendations.apps`` to every event that changes what the registry shows.

Each counter follows one concern (the registry's records, its reference rows...), so that a cache
keyed by the counters of what it shows survives every write to anything else.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from hrcoop.core.models import DataVersion


def current_version(name: str) -> tuple[int, datetime.datetime | None] | None:
    """(number, time of the last change) of the counter ``name``; None while it was never raised."""
    return DataVersion.current(name)


def current_versions(*names: str) -> dict[str, tuple[int, datetime.datetime | None]]:
    """``current_version`` of several counters in one statement (those never raised are left out)."""
    return DataVersion.current_of(names)


def key_of(current: dict[str, tuple[int, datetime.datetime | None]], names: tuple[str, ...]) -> str:
    """A token that changes with any change to the counters ``names`` (read into ``current``).

    It is empty while none of them was ever raised: nothing can then be cached under it, since
    nothing would tell a cached answer from a new one.
    """
    if not any(name in current for name in names):
        return ""
    return "|".join(_token(name, *current.get(name, (0, None))) for name in names)


def versions_key(*names: str) -> tuple[str, datetime.datetime | None]:
    """(``key_of`` the counters ``names``, the latest of their changes), read in one statement."""
    current = current_versions(*names)
    times = [changed for _, changed in current.values() if changed is not None]
    return key_of(current, names), max(times, default=None)


def _token(name: str, number: int, changed_at: datetime.datetime | None) -> str:
    # The time too: a test rolled back may raise a counter to a number it had before.
    return f"{name}:{number}-{changed_at.isoformat() if changed_at else ''}"


def bump_version(name: str) -> None:
    """Raise the counter ``name`` by one, in the caller's transaction (created at 1 the first time).

    Derived data, not a fact of its own: it carries no audit event (the change that raised it does).
    """
    now = timezone.now()
    if not DataVersion.objects.filter(name=name).update(number=F("number") + 1, changed_at=now):
        DataVersion.objects.create(name=name, number=1, changed_at=now)
