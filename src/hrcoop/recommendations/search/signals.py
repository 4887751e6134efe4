"""Keep the search index in step with records saved one by one (forms, services, ``save()``).

A record's document holds its text tokens and its facet tokens, so a saved record, a saved or deleted
label and a change of its recommending States all make it stale. The ids of a transaction are
gathered and indexed in one call right after it commits (the first callback indexes them all, the
others find nothing left). Ids of a transaction that rolled back stay pending and are skipped
harmlessly at the next commit.

Importers write rows with plain INSERTs that send no signals; they close each file by saving its
``ImportRun`` with ``finished_at`` set, inside the file's transaction. That save indexes every record
whose tokens are missing or older than the record, in the same transaction: a dry run rolls the
index back with the records, and a committed import is searchable at once. Records that an import or
a review gave new recommending States or labels arrive through ``records_changed`` and are reindexed
at once, for their facet tokens.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from hrcoop.recommendations.models import Classification, ImportRun, Recommendation
from hrcoop.recommendations.signals import records_changed
from hrcoop.reference.models import State
from hrcoop.reference.signals import memberships_changed

_pending = threading.local()


def _take(name: str) -> set[int]:
    ids: set[int] = getattr(_pending, name, set())
    setattr(_pending, name, set())
    return ids


def _flush() -> None:
    from hrcoop.recommendations.search.services import index_recommendations

    saved, relabelled = _take("saved"), _take("relabelled")
    if saved:
        index_recommendations(sorted(saved))
    if relabelled - saved:  # their text, and so their vector, did not change
        index_recommendations(sorted(relabelled - saved), embed_later=False)


def _later(name: str, ids: set[int]) -> None:
    pending: set[int] = getattr(_pending, name, set())
    pending |= ids
    setattr(_pending, name, pending)
    transaction.on_commit(_flush)


def _recommendation_saved(sender: type[Recommendation], instance: Recommendation, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _later("saved", {instance.pk})


def _classification_changed(sender: type[Classification], instance: Classification, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _later("relabelled", {instance.recommendation_id})


def _records_of(state_ids: list[int], *, under_review: bool) -> set[int]:
    """The records these States recommended (and, with ``under_review``, those they were reviewed on)."""
    through = Recommendation.recommending_states.through
    ids = set(through.objects.filter(state_id__in=state_ids).values_list("recommendation_id", flat=True))
    if under_review:
        ids |= set(
            Recommendation.objects.filter(state_under_review_id__in=state_ids).values_list("pk", flat=True)
        )
    return ids


def _recommending_states_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if not reverse:
        if action.startswith("post_"):
            _later("relabelled", {instance.pk})
    elif action == "pre_clear":  # a State's recommendations cleared: read them while they are there
        _later("relabelled", _records_of([instance.pk], under_review=False))
    elif action in ("post_add", "post_remove") and pk_set:  # from the State's side: records are the keys
        _later("relabelled", set(pk_set))


def _import_finished(sender: type[ImportRun], instance: ImportRun, **kwargs: Any) -> None:
    from hrcoop.recommendations.search.services import index_recommendations

    if instance.finished_at is not None and not kwargs.get("raw"):
        index_recommendations()


def _records_changed(sender: type[Recommendation], ids: list[int], **kwargs: Any) -> None:
    """Recommending States or accepted labels changed: the facet tokens follow, in the same transaction."""
    from hrcoop.recommendations.search.services import index_recommendations

    index_recommendations(ids, embed_later=False)  # the text, and so the vector, did not change


def _memberships_changed(sender: type[State], state_ids: list[int], **kwargs: Any) -> None:
    """States changed regional group or organisations: every record under review by them or
    recommended by them carries those as facet tokens, so it is reindexed in the same transaction."""
    from hrcoop.recommendations.search.services import index_recommendations

    ids = _records_of(state_ids, under_review=True)
    if ids:
        index_recommendations(sorted(ids), embed_later=False)


def connect() -> None:
    memberships_changed.connect(_memberships_changed, dispatch_uid="search-index-memberships")
    records_changed.connect(_records_changed, dispatch_uid="search-index-records-changed")
    post_save.connect(_import_finished, sender=ImportRun, dispatch_uid="search-index-import-run")
    post_save.connect(
        _recommendation_saved, sender=Recommendation, dispatch_uid="search-index-recommendation"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _classification_changed, sender=Classification, dispatch_uid=f"search-index-label-{signal}"
        )
    m2m_changed.connect(
        _recommending_states_changed,
        sender=Recommendation.recommending_states.through,
        dispatch_uid="search-index-recommending-states",
    )
