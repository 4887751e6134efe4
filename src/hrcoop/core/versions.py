"""Data versions: read one (``current_version``) and raise one (``bump_version``).

A version is raised by the receivers of the domain events (``core.events``), in the transaction of
the change, never by the code that wrote the data: the registry's, for instance, is subscribed in
``recommendations.apps`` to every event that changes what the registry shows.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils import timezone

from hrcoop.core.models import DataVersion


def current_version(name: str) -> tuple[int, datetime.datetime | None] | None:
    """(number, time of the last change) of the counter ``name``; None while it was never raised."""
    return DataVersion.current(name)


def bump_version(name: str) -> None:
    """Raise the counter ``name`` by one, in the caller's transaction (created at 1 the first time).

    Derived data, not a fact of its own: it carries no audit event (the change that raised it does).
    """
    now = timezone.now()
    if not DataVersion.objects.filter(name=name).update(number=F("number") + 1, changed_at=now):
        DataVersion.objects.create(name=name, number=1, changed_at=now)
