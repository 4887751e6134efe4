"""The search index follows the domain events (``core.events``), in the sender's transaction.

A record's document holds its text tokens and its facet tokens (its States' regional groups and
organisations, its accepted labels), so an import, a changed record and a State's new memberships
all make documents stale. Each receiver rewrites them in the transaction of the change: a failed
import rolls its index back with its records, and a committed one is searchable at once. Vectors,
slower, are queued once that transaction commits, and only for records whose text changed.
"""

from __future__ import annotations

from hrcoop.core.events import import_finished, memberships_changed, records_changed
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search.services import index_recommendations


def index_after_import(*, import_run_id: int, created_records: bool) -> None:
    """Every record whose tokens are missing or older than the record: the import's new and answered ones."""
    index_recommendations()


def index_changed_records(*, ids: list[int], text_changed: bool) -> None:
    index_recommendations(ids, embed_later=text_changed)


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
        index_recommendations(sorted(ids), embed_later=False)


def subscribe() -> None:
    import_finished.subscribe(index_after_import)
    records_changed.subscribe(index_changed_records)
    memberships_changed.subscribe(index_members_records)
