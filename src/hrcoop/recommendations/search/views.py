"""Public pages of search: the search page (facets, highlights, shareable URLs, htmx updates) and the
country profile. Both work without JavaScript: the facet form submits as a plain GET; with htmx, a
change of facet swaps only the results region and pushes the same shareable URL."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrcoop.core.errors import DomainError
from hrcoop.recommendations.exports import COLUMNS, DEFAULT_COLUMNS
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation, Response
from hrcoop.recommendations.search.facets import SHOWN_VALUES
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.selectors import kept_per_version
from hrcoop.reference.models import State

PAGE_SIZE = 20
MATPLOTLIB_STYLE = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'


def search_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"columns": [*COLUMNS, "url"], "default_columns": DEFAULT_COLUMNS}
    status = 200
    try:
        params = SearchParams.from_query_dict(request.GET)
        asked = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        result = search(params)
        # A page past the last shows the last: an offset beyond a 64-bit integer used to reach the
        # database and answer 500.
        page = max(1, min(asked, -(-result.count // PAGE_SIZE)))
        records = result.page(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        facets = [
            (
                key,
                label,
                [v for v in values if v.selected] + [v for v in values if not v.selected][:SHOWN_VALUES],
            )
            for key, label, values in result.facets()
        ]
        base = params.query_items()
        context.update(
            params=params,
            result=result,
            rows=[(r, result.highlight(r.text, r.language)) for r in records],
            facets=[f for f in facets if f[2]],
            page=page,
            query_string=urlencode(base),
            previous_url="?" + urlencode([*base, ("page", page - 1)]) if page > 1 else "",
            next_url="?" + urlencode([*base, ("page", page + 1)]) if page * PAGE_SIZE < result.count else "",
        )
    except DomainError as exc:
        context["error"] = exc.message
        context["params"] = SearchParams(q=request.GET.get("q", "")[:200])
        status = 400
    template = "search/results.html" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, template, context, status=status)


def _chart(rows: list[dict[str, Any]]) -> str:
    """Recommendations received per cycle, stacked by response, as inline SVG."""
    # Imported here: matplotlib costs about 1.5 s, and every process would pay it to route URLs.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    labels = [str(row["cycle"] or "-") for row in rows]
    bottom = [0] * len(rows)
    colours = ["#1b7837", "#7fbf7b", "#b2abd2", "#d9d9d9", "#5e3c99"]
    for colour, response in zip(colours, Response, strict=True):
        values = [row[response.value] for row in rows]
        axes.bar(labels, values, bottom=bottom, label=str(response.label), color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xlabel(_("UPR cycle"))
    axes.set_ylabel(_("Recommendations"))
    axes.legend(fontsize="small")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    # matplotlib sets the line joins and caps in a <style> element, which the site's Content-Security-
    # Policy refuses inline; the same as attributes of the root element are inherited alike.
    svg = svg[svg.index("<svg") :].replace(MATPLOTLIB_STYLE, "", 1)
    return svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)


def country_page(request: HttpRequest, iso3: str) -> HttpResponse:
    if not (iso3.isascii() and iso3.isalpha()):
        raise Http404("not an ISO 3166 alpha-3 code")
    state = get_object_or_404(State.objects.select_related("regional_group"), iso3=iso3.upper())
    received = Recommendation.objects.filter(state_under_review=state)
    by_cycle: dict[Any, dict[str, Any]] = {}
    for row in received.values("cycle", "response").annotate(n=Count("pk")).order_by("cycle"):
        empty = {"cycle": row["cycle"], "total": 0, **{r.value: 0 for r in Response}}
        entry = by_cycle.setdefault(row["cycle"], empty)
        entry[row["response"]] = row["n"]
        entry["total"] += row["n"]
    cycles = list(by_cycle.values())
    issues = (
        Classification.objects.filter(
            recommendation__state_under_review=state,
            kind=LabelKind.ISSUE,
            status=Classification.Status.ACCEPTED,
        )
        .values("label__code", "label__name")
        .annotate(n=Count("recommendation", distinct=True))
        .order_by("-n", "label__name")[:15]
    )
    groups = (
        Recommendation.recommending_states.through.objects.filter(recommendation__state_under_review=state)
        .values("state__regional_group", "state__regional_group__name")
        .annotate(n=Count("recommendation", distinct=True))
        .order_by("-n")
    )
    context = {
        "state": state,
        "total": received.count(),
        "made": Recommendation.objects.filter(recommending_states=state).count(),
        "cycles": cycles,
        "responses": list(Response),
        # Drawing takes matplotlib some 130 ms: one drawing per State, language and registry version.
        "chart": mark_safe(
            kept_per_version(f"country:chart:{state.iso3}:{get_language()}", lambda: _chart(cycles))
        )
        if cycles
        else "",
        "issues": issues,
        "groups": groups,
    }
    return render(request, "search/country.html", context)
