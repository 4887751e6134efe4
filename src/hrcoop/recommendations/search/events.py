"""The search index follows the domain events (``core.events``), after the change commits.

A record's document holds its text tokens and its facet tokens (its States' regional groups and
organisations, its accepted labels), so an import, a changed record and a State's new memberships
all make documents stale. Rewriting them inside the change's transaction made every write wait on
derived data: an import of 41k records wrote 41k documents while it held the audit chain's head, so
every audited write (a posting, a request) waited for the whole file. Now:

- an import queues the index's catch-up (``tasks.catch_up_index``) once it commits: a task that
  indexes the stale records a bounded batch at a time, raising the registry's version after each
  batch so that cached answers and facet counts take the new records in;
- a change of a few records (``SYNC_LIMIT``: a correction, a page of reviewed suggestions) is
  indexed in its own transaction, as before: a handful of documents is milliseconds, and the person
  who corrected a record finds it corrected at once;
- a change of more records (a State's new regional group, a whole import's new responses) is queued
  once the change commits, in batches (``tasks.index_records``).

A failed change queues nothing (``transaction.on_commit`` drops its callbacks on rollback). Vectors
follow the tokens, in the same tasks, and only for records whose text changed.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from hrcoop.core.events import import_finished, memberships_changed, records_changed
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search.services import index_recommendations, queue_catch_up, queue_indexing

# Up to this many records are indexed in the transaction of their change; more are queued.
SYNC_LIMIT = 50


def index_after_import(*, import_run_id: int, created_records: bool) -> None:
    """The import's new and answered records are stale: the catch-up is queued once it commits."""
    transaction.on_commit(queue_catch_up)


def _index(ids: list[int], *, embed_later: bool) -> None:
    if len(ids) <= SYNC_LIMIT:
        index_recommendations(ids, embed_later=embed_later)
    else:
        transaction.on_commit(partial(queue_indexing, ids, embed=embed_later))


def index_changed_records(*, ids: list[int], text_changed: bool) -> None:
    _index(ids, embed_later=text_changed)


def _records_of(state_ids: list[int]) -> set[int]:
    """The records these States are reviewed on or recommended."""
    through = Recommendation.recommending_states.through
    ids = set(through.objects.filter(state_id__in=state_ids).values_list("recommendation_id", flat=True))
    ids |= set(
        Recommendation.objects.filter(state_under_review_id__in=state_ids).values_list("pk", flat=True)
    )
    return ids


def index_members_records(*, state_ids: list[int]) -> None:
    """Their groups and organisations are facet tokens of these records; their text did not change."""
    ids = _records_of(state_ids)
    if ids:
        _index(sorted(ids), embed_later=False)


def subscribe() -> None:
    import_finished.subscribe(index_after_import)
    records_changed.subscribe(index_changed_records)
    memberships_changed.subscribe(index_members_records)
