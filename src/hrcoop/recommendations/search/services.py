"""Writes of search: keeping index tokens and vectors in step with the registry.

These rows are derived data (rebuilt at will from ``Recommendation.text``), so they carry no audit
event of their own: the change to the recommendation that caused them is the audited fact.

``index_recommendations`` writes the full-text tokens of some records in the caller's transaction and
queues their vectors as a background task once it commits: the receivers of the domain events
(``search.events``) call it for a change of a few records. Larger changes and imports are queued
(``queue_indexing``, ``queue_catch_up``) and indexed by the tasks a bounded batch at a time, each
batch in its own short transaction that also raises the registry's version, so that cached answers
and facet counts keyed by it take the batch in. ``hrcoop search reindex``, run daily, catches up on
anything written around the services (a shell, a raw SQL fix).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

from django.db import transaction
from django.db.models import F, Q, QuerySet

from hrcoop.core.batches import batch_size, batched, id_batches
from hrcoop.core.versions import bump_version
from hrcoop.recommendations.models import Classification, Recommendation
from hrcoop.recommendations.registry_version import REGISTRY, figures_outdated
from hrcoop.recommendations.search import vector_index
from hrcoop.recommendations.search.facets import (
    TOKEN_FIELDS,
    StateProperties,
    record_tokens,
    state_properties,
)
from hrcoop.recommendations.search.models import Embedding, SearchDocument
from hrcoop.recommendations.search.text import document_tokens

EMBED_BATCH = 500  # vectors encoded at a time: the model's memory, not SQL, bounds these
TASK_BATCH = 10_000  # records per queued indexing task: a task's arguments stay small


def stale_for_text() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(search_document__isnull=True) | Q(search_document__source_updated_at__lt=F("updated_at"))
    )


def stale_for_vectors() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(embedding__isnull=True) | Q(embedding__source_updated_at__lt=F("updated_at"))
    )


def _id_batches(
    recommendation_ids: Iterable[int] | None, stale: QuerySet[Recommendation]
) -> Iterator[list[int]]:
    """The ids to work on in bounded batches: those given (sorted, once each; ids of no record are
    dropped batch by batch), or every ``stale`` record walked in key order."""
    if recommendation_ids is None:
        return id_batches(stale)
    return (
        list(Recommendation.objects.filter(pk__in=batch).order_by("pk").values_list("pk", flat=True))
        for batch in batched(sorted(set(recommendation_ids)))
    )


@transaction.atomic
def index_recommendations(
    recommendation_ids: Iterable[int] | None = None, *, full: bool = False, embed_later: bool = True
) -> int:
    """Write the search tokens of these recommendations (all stale ones when None, every one with
    ``full``); returns the count.

    Every statement reads or writes one batch (``core.batches``), so a million records work on SQLite
    too. With ``embed_later`` their vectors are queued (one task per 500 records) after the commit.
    """
    every = Recommendation.objects.all() if full else stale_for_text()
    done: list[int] = []
    states: StateProperties | None = None
    for chunk in _id_batches(recommendation_ids, every):
        if not chunk:
            continue
        states = states if states is not None else state_properties()
        SearchDocument.objects.bulk_create(
            _documents(chunk, states),
            update_conflicts=True,
            unique_fields=["recommendation"],
            update_fields=["stems", "words", "facets", "source_updated_at"],
        )
        done += chunk
    if embed_later and done:
        transaction.on_commit(lambda: queue_embeddings(done))
    return len(done)


def catch_up(*, batch: int | None = None) -> int:
    """Index every stale record, ``batch`` (``batch_size()`` unless given) at a time in pk order, each
    batch committed on its own with a raised registry version; returns how many were indexed (the
    catch-up task's body).

    Each batch seeks past the last one's pk (``id_batches``), so finding the stale records walks the
    registry once however many batches there are, and no transaction holds more than a batch.
    """
    total = 0
    for ids in id_batches(stale_for_text(), size=batch):
        with transaction.atomic():
            index_recommendations(ids)
            bump_version(REGISTRY)
        total += len(ids)
    if total:
        figures_outdated()  # once, for the whole catch-up
    return total


def index_in_batches(recommendation_ids: list[int], *, embed: bool) -> int:
    """Index these records (a large change's), a batch at a time, each in its own transaction with a
    raised registry version; returns how many were indexed (a record deleted meanwhile is skipped)."""
    total = 0
    for chunk in batched(recommendation_ids):
        with transaction.atomic():
            total += index_recommendations(chunk, embed_later=embed)
            bump_version(REGISTRY)
    if total:
        figures_outdated()
    return total


def queue_catch_up() -> None:
    """Queue the index's catch-up (after an import commits)."""
    from hrcoop.recommendations.search.tasks import catch_up_index

    catch_up_index.enqueue()


def queue_indexing(recommendation_ids: list[int], *, embed: bool) -> None:
    """Queue the indexing of these records, one task per ``TASK_BATCH`` (after a large change commits)."""
    from hrcoop.recommendations.search.tasks import index_records

    for chunk in batched(recommendation_ids, size=TASK_BATCH):
        index_records.enqueue(chunk, embed)


def _documents(ids: list[int], states: StateProperties) -> list[SearchDocument]:
    """The search documents of these records: text tokens and facet tokens, three queries in all."""
    recommending: dict[int, list[int]] = defaultdict(list)
    for rec_id, state_id in Recommendation.recommending_states.through.objects.filter(
        recommendation_id__in=ids
    ).values_list("recommendation_id", "state_id"):
        recommending[rec_id].append(state_id)
    labels: dict[int, list[int]] = defaultdict(list)
    for rec_id, label_id in Classification.objects.filter(
        recommendation_id__in=ids, status=Classification.Status.ACCEPTED
    ).values_list("recommendation_id", "label_id"):
        labels[rec_id].append(label_id)
    documents = []
    for record in Recommendation.objects.filter(pk__in=ids).values(
        "pk", "text", "language", "updated_at", *TOKEN_FIELDS
    ):
        stems, words = document_tokens(record["text"], record["language"])
        facets = record_tokens(
            record, recommending_states=recommending[record["pk"]], labels=labels[record["pk"]], states=states
        )
        documents.append(
            SearchDocument(
                recommendation_id=record["pk"],
                stems=stems,
                words=words,
                facets=facets,
                source_updated_at=record["updated_at"],
            )
        )
    return documents


def queue_embeddings(recommendation_ids: list[int]) -> None:
    from hrcoop.recommendations.search.tasks import embed_recommendations

    for chunk in batched(recommendation_ids, size=EMBED_BATCH):
        embed_recommendations.enqueue(chunk)


def embed(recommendation_ids: Iterable[int] | None = None, *, full: bool = False) -> int:
    """Compute and store vectors now (the task's body; ``reindex`` without a worker): of these
    recommendations, of every stale one when None, of every one with ``full``.

    Each batch of 500 is its own short transaction that raises the vectors' version and stamps its rows
    with it; the text is encoded before it starts, so concurrent writers queue only for the write.
    A build of the vector index is queued once enough rows are newer than the current one.
    """
    from hrcoop.recommendations.search.embeddings import MODEL_NAME, encode, quantise

    every = Recommendation.objects.all() if full else stale_for_vectors()
    batches = _id_batches(recommendation_ids, every)
    count = 0
    for chunk in batched(chain.from_iterable(batches), size=min(EMBED_BATCH, batch_size())):
        rows = list(Recommendation.objects.filter(pk__in=chunk).values_list("pk", "text", "updated_at"))
        vectors = encode([text for _, text, _ in rows])
        with transaction.atomic():
            bump_version(vector_index.VERSION_NAME)
            generation = vector_index.vectors_version()
            Embedding.objects.bulk_create(
                [
                    Embedding(
                        recommendation_id=pk,
                        vector=quantise(v),
                        model=MODEL_NAME,
                        source_updated_at=at,
                        generation=generation,
                    )
                    for (pk, _, at), v in zip(rows, vectors, strict=True)
                ],
                update_conflicts=True,
                unique_fields=["recommendation"],
                update_fields=["vector", "model", "source_updated_at", "generation"],
            )
        count += len(rows)
    if count:
        transaction.on_commit(queue_index_build)
    return count


def queue_index_build() -> None:
    """Queue a build of the vector index when it is missing or ``REBUILD_AFTER`` rows behind."""
    from hrcoop.recommendations.search.tasks import build_vector_index

    if vector_index.due():
        build_vector_index.enqueue()
