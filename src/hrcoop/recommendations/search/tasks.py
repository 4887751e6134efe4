"""Background work of search: sentence vectors, and the index over them, are computed off the request."""

from __future__ import annotations

from django_tasks import task

from hrcoop.recommendations.search import services, vector_index


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
