"""Background work of search: tokens, vectors and the index over the vectors are written off the
request, once a change commits (``search.events``), a bounded batch at a time."""

from __future__ import annotations

from django_tasks import task

from hrcoop.recommendations.search import services, vector_index


@task()
def catch_up_index() -> int:
    """Index every record whose tokens are missing or older than it (what an import brought); returns
    how many were indexed."""
    return services.catch_up()


@task()
def index_records(recommendation_ids: list[int], embed: bool) -> int:
    """Index these records (a large change's) and, with ``embed``, queue their vectors."""
    return services.index_in_batches(recommendation_ids, embed=embed)


@task()
def embed_recommendations(recommendation_ids: list[int]) -> int:
    """Compute and store the vectors of these recommendations; returns how many were written."""
    return services.embed(recommendation_ids)


@task()
def build_vector_index() -> int:
    """Build the vector index when it is missing or behind (queued tasks after a build find it current);
    returns how many vectors it holds, or -1 when it was current."""
    if not vector_index.due():
        return -1
    return vector_index.build().size
