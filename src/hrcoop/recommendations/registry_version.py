"""The registry's data version: what keys the API's ETags and cached answers, the kept facet counts
and the per-process copy of reference rows (``reference_cache``).

It follows the domain events (``core.events``) that change what the registry shows, and nothing
else: records imported or changed, and reference rows (States, groups, organisations, mechanisms,
cycles, sessions, labels) created, changed or deleted. An import that only confirmed what the
registry held raises nothing, so the caches of a busy registry survive a nightly re-import.
"""

from __future__ import annotations

import datetime
from typing import Any

from hrcoop.core.events import import_finished, records_changed, reference_changed
from hrcoop.core.versions import bump_version, current_version

REGISTRY = "registry"


def registry_version() -> tuple[int, datetime.datetime | None] | None:
    """(number, time of the last change), or None while the registry was never changed."""
    return current_version(REGISTRY)


def _after_import(*, import_run_id: int, created_records: bool) -> None:
    if created_records:  # records it only updated arrive as ``records_changed``
        bump_version(REGISTRY)


def _after_records_changed(*, ids: list[int], text_changed: bool) -> None:
    if ids:
        bump_version(REGISTRY)


def _after_reference_changed(**payload: Any) -> None:
    bump_version(REGISTRY)


def subscribe() -> None:
    import_finished.subscribe(_after_import)
    records_changed.subscribe(_after_records_changed)
    reference_changed.subscribe(_after_reference_changed)
