"""Reads of the registry that carry rules: counts that must agree with one another, record look-ups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from hrcoop.recommendations.models import Classification, ImportRun, LabelKind, Recommendation, Response


def with_related(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Records with everything a page, the API or an export shows, in a fixed number of queries.

    Each classification names its source (the import's file, the reviewer), so those come along too;
    without them a page of 20 records cost some 60 more queries. Of an import run only the file name
    is read: its report can be large.
    """
    classifications = Classification.objects.select_related("label", "person").prefetch_related(
        Prefetch("import_run", queryset=ImportRun.objects.only("pk", "file_name"))
    )
    return queryset.select_related("state_under_review", "mechanism", "session", "cycle").prefetch_related(
        "recommending_states", Prefetch("classifications", queryset=classifications)
    )


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
    return get_object_or_404(with_related(Recommendation.objects.all()), public_id=public_id)
