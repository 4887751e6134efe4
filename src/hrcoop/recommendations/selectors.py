"""Reads of the registry that carry rules: counts that must agree with one another, record look-ups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from hrcoop.recommendations.models import Classification, LabelKind, Recommendation, Response


def registry_stats() -> dict[str, Any]:
    """The figures of ``hrcoop stats --json``: every breakdown sums to ``recommendations``.

    Records without an accepted action category are counted under ``"none"`` so that the sum holds.
    """
    total = Recommendation.objects.count()
    by_response = {choice.value: 0 for choice in Response}
    for row in Recommendation.objects.values("response").annotate(n=Count("id")):
        by_response[row["response"]] = row["n"]
    by_category = {str(n): 0 for n in range(1, 6)}
    categorised = 0
    for row in (
        Classification.objects.filter(kind=LabelKind.ACTION_CATEGORY, status=Classification.Status.ACCEPTED)
        .values("label__code")
        .annotate(n=Count("recommendation", distinct=True))
    ):
        by_category[row["label__code"]] = row["n"]
        categorised += row["n"]
    if total - categorised:
        by_category["none"] = total - categorised
    by_cycle = {
        str(row["cycle"] or "none"): row["n"]
        for row in Recommendation.objects.values("cycle").annotate(n=Count("id")).order_by("cycle")
    }
    return {
        "recommendations": total,
        "states_under_review": Recommendation.objects.values("state_under_review").distinct().count(),
        "by_response": by_response,
        "by_action_category": by_category,
        "by_cycle": by_cycle,
    }


def cycle_response_table() -> list[dict[str, Any]]:
    """Rows of (cycle, counts by response) for the home page."""
    rows: dict[Any, dict[str, Any]] = {}
    for row in Recommendation.objects.values("cycle", "response").annotate(n=Count("id")).order_by("cycle"):
        entry = rows.setdefault(
            row["cycle"], {"cycle": row["cycle"], "total": 0, **{r.value: 0 for r in Response}}
        )
        entry[row["response"]] = row["n"]
        entry["total"] += row["n"]
    return list(rows.values())


def recommendation_detail(public_id: str) -> Recommendation:
    queryset: QuerySet[Recommendation] = Recommendation.objects.select_related(
        "state_under_review", "mechanism", "session", "cycle"
    ).prefetch_related("recommending_states", "classifications__label", "classifications__import_run")
    return get_object_or_404(queryset, public_id=public_id)
