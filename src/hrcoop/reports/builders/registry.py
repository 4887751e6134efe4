"""Figures on the registry of recommendations: by cycle, regional group, issue and response.

Counts are of records (a joint recommendation of several States is one record). "Supported" is the
share of recommendations whose response is *supported*, over all of them (those supported in part,
noted or still pending are in the denominator), as UPR Info counts it.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from hrcoop.recommendations.models import Classification, LabelKind, Recommendation, Response
from hrcoop.reports.builders.common import group_name
from hrcoop.reports.document import Share, Table, Value
from hrcoop.reports.templatetags.reports_tags import cell

RESPONSES = [Response.SUPPORTED, Response.SUPPORTED_IN_PART, Response.NOTED, Response.PENDING]
TECHNICAL_ASSISTANCE_ISSUE = "technical-assistance-and-cooperation"
ASKS_FOR_ASSISTANCE_CATEGORY = "1"


def in_year(year: int) -> QuerySet[Recommendation]:
    """Recommendations made at the UPR Working Group sessions held in ``year``."""
    return Recommendation.objects.filter(session__year=year)


def response_labels() -> list[str]:
    """The response columns of the tables (and the series of their charts), in the active language."""
    return [str(Response(r).label) for r in RESPONSES]


def _response_columns() -> list[str]:
    return [*response_labels(), _("Other"), _("Total"), _("Supported (%)")]


def _response_cells(counts: Counter[str]) -> list[Value]:
    total = sum(counts.values())
    known = [counts[r] for r in RESPONSES]
    return [*known, total - sum(known), total, Share(counts[Response.SUPPORTED], total)]


def _by(recommendations: QuerySet[Recommendation], field: str) -> dict[object, Counter[str]]:
    grouped: dict[object, Counter[str]] = defaultdict(Counter)
    for row in recommendations.values(field, "response").annotate(n=Count("id")).order_by():
        grouped[row[field]][row["response"]] += row["n"]
    return grouped


SHARE_METHODS = _(
    "Supported (%): recommendations whose response is supported, over all of them; responses "
    "supported in part, noted and pending count in the denominator; Other: voluntary pledges."
)


def by_cycle(recommendations: QuerySet[Recommendation], *, key: str) -> Table:
    grouped = _by(recommendations, "cycle_id")
    rows = [
        [_("Cycle %(number)s") % {"number": cycle} if cycle else _("No cycle"), *_response_cells(counts)]
        for cycle, counts in sorted(grouped.items(), key=lambda item: (item[0] is None, item[0]))
    ]
    return Table(
        key=key,
        caption=_("Recommendations by UPR cycle and response"),
        columns=[_("Cycle"), *_response_columns()],
        rows=rows,
        methods=_("Records counted by the cycle of their UPR session and their response. ") + SHARE_METHODS,
    )


def by_regional_group(recommendations: QuerySet[Recommendation], *, key: str) -> Table:
    grouped = _by(recommendations, "state_under_review__regional_group_id")
    rows = [
        [group_name(str(code) if code else None), *_response_cells(counts)]
        for code, counts in sorted(grouped.items(), key=lambda item: str(item[0] or "~"))
    ]
    return Table(
        key=key,
        caption=_("Recommendations by regional group of the State under review"),
        columns=[_("Regional group"), *_response_columns()],
        rows=rows,
        methods=_("Records counted by the regional group of the State under review and by response. ")
        + SHARE_METHODS,
    )


def by_issue(recommendations: QuerySet[Recommendation], *, key: str, limit: int) -> Table:
    """The ``limit`` issues with most recommendations (ties by name), from accepted labels only."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    labelled = (
        Classification.objects.filter(
            kind=LabelKind.ISSUE,
            status=Classification.Status.ACCEPTED,
            recommendation__in=recommendations,
        )
        .values("label__name", "recommendation__response")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in labelled:
        counts[row["label__name"]][row["recommendation__response"]] += row["n"]
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:limit]
    return Table(
        key=key,
        caption=_("Recommendations by issue (the %(limit)s most frequent)") % {"limit": cell(limit)},
        columns=[_("Issue"), *_response_columns()],
        rows=[[name, *_response_cells(c)] for name, c in ranked],
        methods=_(
            "Records counted under each issue of the UPR Info taxonomy accepted on them (imported or "
            "confirmed by a person; a model's suggestions are not counted). A record with several issues "
            "counts under each. "
        )
        + SHARE_METHODS,
        footnotes=[_("Issue names are those of the UPR Info taxonomy, which exists in English only.")],
    )


def asking_for_assistance(recommendations: QuerySet[Recommendation]) -> set[int]:
    """Ids of the recommendations of action category 1 labelled "Technical assistance and cooperation".

    Two lookups of one label each, intersected here: one query with both as subqueries of the
    recommendations took a minute on PostgreSQL over the full corpus (bench/reports.py).
    """
    accepted = Classification.objects.filter(
        status=Classification.Status.ACCEPTED, recommendation__in=recommendations
    )
    category = accepted.filter(kind=LabelKind.ACTION_CATEGORY, label__code=ASKS_FOR_ASSISTANCE_CATEGORY)
    issue = accepted.filter(kind=LabelKind.ISSUE, label__code=TECHNICAL_ASSISTANCE_ISSUE)
    return set(category.values_list("recommendation_id", flat=True)) & set(
        issue.values_list("recommendation_id", flat=True)
    )
