"""Background work of search: sentence vectors are computed off the request, as records arrive."""

from __future__ import annotations

from django_tasks import task

from hrcoop.recommendations.search import services


@task()
def embed_recommendations(recommendation_ids: list[int]) -> int:
    """Compute and store the vectors of these recommendations; returns how many were written."""
    return services.embed(recommendation_ids)
