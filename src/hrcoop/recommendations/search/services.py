"""Writes of search: keeping index tokens and vectors in step with the registry.

These rows are derived data (rebuilt at will from ``Recommendation.text``), so they carry no audit
event of their own: the change to the recommendation that caused them is the audited fact.

``index_recommendations`` is what the receivers of the domain events (``search.events``) call when
records arrive or change; it writes the full-text tokens in the caller's transaction and queues the
vectors as a background task once the transaction commits. ``hrcoop search reindex``, run daily,
catches up on anything written around the services (a shell, a raw SQL fix).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import F, Q, QuerySet

from hrcoop.core.versions import bump_version
from hrcoop.recommendations.models import Classification, Recommendation
from hrcoop.recommendations.search import vector_index
from hrcoop.recommendations.search.facets import (
    TOKEN_FIELDS,
    StateProperties,
    record_tokens,
    state_properties,
)
from hrcoop.recommendations.search.models import Embedding, SearchDocument
from hrcoop.recommendations.search.text import document_tokens

BATCH = 1000
EMBED_BATCH = 500


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def stale_for_text() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(search_document__isnull=True) | Q(search_document__source_updated_at__lt=F("updated_at"))
    )


def stale_for_vectors() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        Q(embedding__isnull=True) | Q(embedding__source_updated_at__lt=F("updated_at"))
    )


@transaction.atomic
def index_recommendations(
    recommendation_ids: Iterable[int] | None = None, *, embed_later: bool = True
) -> int:
    """Write the search tokens of these recommendations (all stale ones when None); returns the count.

    With ``embed_later`` their vectors are queued (one task per 500 records) after the commit.
    """
    source = (
        stale_for_text()
        if recommendation_ids is None
        else Recommendation.objects.filter(pk__in=list(recommendation_ids))
    )
    ids = list(source.order_by("pk").values_list("pk", flat=True))
    states = state_properties() if ids else {}
    for chunk in _chunks(ids, BATCH):
        SearchDocument.objects.bulk_create(
            _documents(chunk, states),
            update_conflicts=True,
            unique_fields=["recommendation"],
            update_fields=["stems", "words", "facets", "source_updated_at"],
        )
    if embed_later and ids:
        transaction.on_commit(lambda: queue_embeddings(ids))
    return len(ids)


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

    for chunk in _chunks(recommendation_ids, EMBED_BATCH):
        embed_recommendations.enqueue(chunk)


def embed(recommendation_ids: Iterable[int] | None = None) -> int:
    """Compute and store vectors now (the task's body; ``reindex`` without a worker).

    Each batch of 500 is its own short transaction that raises the vectors' version and stamps its rows
    with it; the text is encoded before it starts, so concurrent writers queue only for the write.
    A build of the vector index is queued once enough rows are newer than the current one.
    """
    from hrcoop.recommendations.search.embeddings import MODEL_NAME, encode, quantise

    source = (
        stale_for_vectors()
        if recommendation_ids is None
        else Recommendation.objects.filter(pk__in=list(recommendation_ids))
    )
    ids = list(source.order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids, EMBED_BATCH):
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
    if ids:
        transaction.on_commit(queue_index_build)
    return len(ids)


def queue_index_build() -> None:
    """Queue a build of the vector index when it is missing or ``REBUILD_AFTER`` rows behind."""
    from hrcoop.recommendations.search.tasks import build_vector_index

    if vector_index.due():
        build_vector_index.enqueue()
