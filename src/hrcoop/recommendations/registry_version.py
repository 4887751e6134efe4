"""The registry's data versions, one per concern, so that a write empties only the caches of what
it changed:

* ``REGISTRY`` ("registry"): the records, what they say and carry (labels accepted, recommending
  States, response) and their facet tokens (a State's memberships are tokens of its records). It keys
  the kept whole-registry figures (``figures``: home page, facet counts before anything is asked).
* ``REFERENCE`` ("reference", raised by ``reference.versions``): the reference rows records show
  (States, groups, organisations, mechanisms, cycles, sessions, labels). It keys the per-process copy
  of those rows (``reference_cache``), the search page's State names and the API's reference lists.

What shows both (a record, a search's answers, facet values with their names) is keyed by both
(``REGISTRY_DATA``). They follow the domain events (``core.events``) and nothing else; writes to other
apps (funds, tracking, assistance) raise neither. An import that only confirmed what the registry held
raises nothing, so the caches of a busy registry survive a nightly re-import.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from hrcoop.core.events import import_finished, memberships_changed, records_changed
from hrcoop.core.versions import bump_version, current_version, current_versions, key_of, versions_key
from hrcoop.reference.versions import REFERENCE

REGISTRY = "registry"
REGISTRY_DATA = (REGISTRY, REFERENCE)


def registry_version() -> tuple[int, datetime.datetime | None] | None:
    """(number, time of the last change) of the records, or None while they were never changed."""
    return current_version(REGISTRY)


def reference_version() -> tuple[int, datetime.datetime | None] | None:
    """(number, time of the last change) of the reference rows, or None while never changed."""
    return current_version(REFERENCE)


def registry_key(names: tuple[str, ...] = REGISTRY_DATA) -> str:
    """One token for the versions ``names`` (both by default), read in one statement; "" while none
    was ever raised."""
    return versions_key(*names)[0]


@dataclass(frozen=True)
class RegistryKeys:
    """The tokens of the registry's versions, read once for a whole request (``registry_keys``)."""

    records: str
    reference: str
    both: str


def registry_keys() -> RegistryKeys:
    """``registry_key`` of the records, of the reference rows and of both, in one statement."""
    current = current_versions(*REGISTRY_DATA)
    return RegistryKeys(
        records=key_of(current, (REGISTRY,)),
        reference=key_of(current, (REFERENCE,)),
        both=key_of(current, REGISTRY_DATA),
    )


def records_written() -> None:
    """Raise the records' version, and queue the whole-registry figures' recomputation for when the
    change commits (``figures``): no visitor computes them after a write."""
    bump_version(REGISTRY)
    figures_outdated()


def figures_outdated() -> None:
    """Queue the recomputation of the whole-registry figures once the current transaction commits
    (at once outside one). A writer of many batches (the index's catch-up) raises the version per
    batch and calls this once at its end, so the figures are computed once, not per batch."""
    from hrcoop.recommendations.tasks import refresh_registry_figures

    transaction.on_commit(refresh_registry_figures.enqueue)


def _after_import(*, import_run_id: int, created_records: bool) -> None:
    if created_records:  # records it only updated arrive as ``records_changed``
        records_written()


def _after_records_changed(*, ids: list[int], text_changed: bool) -> None:
    if ids:
        records_written()


def _after_memberships_changed(*, state_ids: list[int]) -> None:
    if state_ids:  # the facet tokens of their records changed (``search.events``)
        records_written()


def subscribe() -> None:
    import_finished.subscribe(_after_import)
    records_changed.subscribe(_after_records_changed)
    memberships_changed.subscribe(_after_memberships_changed)
