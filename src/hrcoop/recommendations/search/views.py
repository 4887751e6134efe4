"""Public pages of search: the search page (facets, highlights, shareable URLs, htmx updates) and the
country profile. Both work without JavaScript: the facet form submits as a plain GET; with htmx, a
change of facet swaps only the results region and pushes the same shareable URL."""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrcoop.core.api import decode_cursor, encode_cursor
from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.recommendations.exports import COLUMNS, DEFAULT_COLUMNS, HEADERS
from hrcoop.recommendations.figures import FACET_TOKENS, kept_version
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation, Response
from hrcoop.recommendations.registry_version import REFERENCE
from hrcoop.recommendations.search.facets import FACETS_BY_KEY, SHOWN_VALUES, FacetValue
from hrcoop.recommendations.search.selectors import (
    SEMANTIC_LIMIT,
    SearchParams,
    SearchResult,
    cursor_positions,
    search,
    seek_position,
)
from hrcoop.recommendations.selectors import kept_per_version, kept_under, records_in_order
from hrcoop.reference.models import State, StateName, localised_name
from hrcoop.reference.names import name_key

PAGE_SIZE = 20
MATPLOTLIB_STYLE = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'


# The parameters a search page understands; any other is a mistake the reader should see (a misspelt
# filter silently ignored shows results that look filtered and are not).
PAGE_PARAMETERS = {"q", "mode", "sort", "page", "cursor", *FACETS_BY_KEY}


def _check_parameters(request: HttpRequest) -> int:
    """The page number, after refusing any parameter the page does not know."""
    unknown = sorted(set(request.GET) - PAGE_PARAMETERS)
    if unknown:
        raise InvalidInput(
            _("Unknown filter(s) %(unknown)s in the address; the filters are %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(PAGE_PARAMETERS))},
            where=unknown[0],
        )
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput(
            _("page must be a whole number from 1, not %(value)r.") % {"value": raw[:20]}, where="page"
        )
    return int(raw)


def _labels_of(record: Recommendation, kind: LabelKind) -> list[str]:
    return sorted(c.label.display_name for c in record.accepted_classifications if c.kind == kind)


def _state_names() -> dict[str, int]:
    """Every name of every State, in each UN language and folded, to its id (``_state_named``)."""
    names: dict[str, int] = {}
    for state in State.objects.all():
        for name in (state.name, *state.names.values()):
            names.setdefault(name.casefold(), state.pk)
            names.setdefault(name_key(name), state.pk)
    for key, state_id in StateName.objects.values_list("key", "state_id"):
        names.setdefault(key, state_id)
    names.pop("", None)
    return names


def _state_named(q: str) -> State | None:
    """The State whose name in any UN language (or another of its names) is the whole query, if any.

    Latin-script names are compared folded (``name_key``: "cote d ivoire"); names in Arabic, Chinese
    and Russian, which that folding empties, are compared as typed, case aside ("фиджи", "斐济"). The
    names are gathered once per version of the reference rows, not for every search.
    """
    if len(q) > 100 or not q.strip():
        return None
    names = kept_per_version("search:state-names", _state_names, versions=(REFERENCE,))
    state_id = names.get(q.strip().casefold()) or names.get(name_key(q))
    return State.objects.filter(pk=state_id).first() if state_id else None


Cursor = list[tuple[str, str]]


def _results_page(
    request: HttpRequest, result: SearchResult, page: int, pages: int
) -> tuple[list[Recommendation], Cursor, Cursor]:
    """The records of page ``page``, and the cursors its previous and next links carry.

    Following those links seeks from the key of the first or last row shown (``SearchResult.seek``),
    so the hundredth page costs what the first does. A page asked for by number alone is read at its
    offset, except the last, which is read backwards from the end (``page=`` past the last shows it).
    Page 1 needs no cursor. A semantic search has at most ``SEMANTIC_LIMIT`` results: by offset.
    """
    if result.semantic:
        return result.page(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE), [], []
    after, backward = seek_position(
        result, decode_cursor(request.GET["cursor"]) if request.GET.get("cursor") else {}
    )
    if after is not None:
        found = result.seek(limit=PAGE_SIZE, after=after, backward=backward)
    elif page == pages > 1:
        found = result.seek(limit=result.count - (pages - 1) * PAGE_SIZE, backward=True)
    else:
        found = result.seek(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if not found.ids:
        return [], [], []
    before, following = cursor_positions(result, found)
    previous_cursor = [("cursor", encode_cursor(before))] if page > 2 else []
    return (
        records_in_order(found.ids, rows=result.reference),
        previous_cursor,
        [("cursor", encode_cursor(following))],
    )


FacetRow = tuple[str, str, list[FacetValue], list[FacetValue]]  # key, label, shown, behind "show all"


def _facets(result: SearchResult) -> tuple[list[FacetRow], SafeString]:
    """The filters: every value of every facet, the chosen ones and the most frequent first, the rest
    behind "show all" (with a type-ahead box where the list is long); and their fieldsets as HTML.

    Both are kept per records' and reference rows' versions, language, query and choices: at 41k
    records they are about 1,500 values, and ordering, naming and drawing them cost more than the rest
    of the page together, so a search asked again reads them back in one cache read.
    """

    def draw() -> tuple[list[FacetRow], str]:
        facets = []
        for key, label, values in result.facets():
            ordered = [v for v in values if v.selected] + [v for v in values if not v.selected]
            shown = max(SHOWN_VALUES, sum(v.selected for v in values))
            if ordered:
                facets.append((key, str(label), ordered[:shown], ordered[shown:]))
        return facets, render_to_string("search/facets.html", {"facets": facets})

    asked = [(key, value) for key, value in result.params.query_items() if key != "sort"]
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()
    # The counts come from the records and from the whole-registry figures a task keeps, which follow
    # the records a moment later; a semantic search's from the vectors, which follow them too: not kept.
    versions = "" if result.semantic else f"{result.keys.both}|{kept_version(FACET_TOKENS)}"
    facets, html = kept_under(versions, f"search:facets:{get_language()}:{digest}", draw)
    # The template's own output, escaped as it was drawn (a cache may hand it back as a plain str).
    return facets, mark_safe(html)


def search_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "columns": [(name, HEADERS[name]) for name in [*COLUMNS, "url"]],
        "default_columns": DEFAULT_COLUMNS,
    }
    status = 200
    try:
        page = _check_parameters(request)
        params = SearchParams.from_query_dict(request.GET)
        result = search(params)
        # A page past the last shows the last: an offset beyond a 64-bit integer used to reach the
        # database and answer 500.
        pages = max(1, math.ceil(result.count / PAGE_SIZE))
        page = max(1, min(page, pages))
        records, previous_cursor, next_cursor = _results_page(request, result, page, pages)
        facets, facets_panel = _facets(result)
        base = params.query_items()
        state = _state_named(params.q) if params.q and not params.filters else None
        context.update(
            params=params,
            result=result,
            rows=[
                (
                    r,
                    result.highlight(r.text, r.language),
                    _labels_of(r, LabelKind.ISSUE),
                    _labels_of(r, LabelKind.ACTION_CATEGORY),
                )
                for r in records
            ],
            facets=facets,
            facets_panel=facets_panel,
            page=page,
            pages=pages,
            result_start=(page - 1) * PAGE_SIZE + 1,
            semantic_limit=SEMANTIC_LIMIT,
            named_state=state,
            made_to_url="?" + urlencode([("state", state.iso3)]) if state else "",
            made_by_url="?" + urlencode([("recommending_state", state.iso3)]) if state else "",
            query_string=urlencode(base),
            previous_url="?" + urlencode([*base, ("page", page - 1), *previous_cursor]) if page > 1 else "",
            next_url="?" + urlencode([*base, ("page", page + 1), *next_cursor]) if page < pages else "",
        )
    except DomainError as exc:
        context["error"] = exc.message
        context["params"] = SearchParams(q=request.GET.get("q", "")[:200])
        status = 400
    template = "search/results.html" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, template, context, status=status)


def _chart(rows: list[dict[str, Any]]) -> str:
    """Recommendations received per cycle, stacked by response, as inline SVG.

    The legend sits below the plot, never over a bar, and the drawing scales down to the width of
    its column (a phone of 390 px included) instead of pushing the page sideways.
    """
    # Imported here: matplotlib costs about 1.5 s, and every process would pay it to route URLs.
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3.6), layout="constrained")
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
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of recommendations is whole
    figure.legend(loc="outside lower center", ncols=3, fontsize="small", frameon=False)
    buffer = io.StringIO()
    # Words stay text, drawn by the browser with the page's fonts: matplotlib's own font has no
    # Chinese, and it draws Arabic letters unjoined and left to right.
    with rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    # matplotlib sets the line joins and caps in a <style> element, which the site's Content-Security-
    # Policy refuses inline; the same as attributes of the root element are inherited alike.
    svg = svg[svg.index("<svg") :].replace(MATPLOTLIB_STYLE, "", 1)
    # direction="ltr": matplotlib anchors each text at its start from the left, which a right-to-left
    # page would otherwise flip (Arabic words are still shaped and read right to left within).
    svg = svg.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" direction="ltr" ', 1)
    # Width and height in points would fix its size; the viewBox keeps its proportions as it scales.
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)


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
        .values("label__code", "label__name", "label__names")
        .annotate(n=Count("recommendation", distinct=True))
        .order_by("-n", "label__name")[:15]
    )
    groups = (
        Recommendation.recommending_states.through.objects.filter(recommendation__state_under_review=state)
        .values("state__regional_group", "state__regional_group__name", "state__regional_group__names")
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
        "issues": [
            {**row, "name": localised_name(row["label__name"], row["label__names"])} for row in issues
        ],
        "groups": [
            {
                **row,
                "name": localised_name(
                    row["state__regional_group__name"] or "", row["state__regional_group__names"] or {}
                ),
            }
            for row in groups
        ],
    }
    return render(request, "search/country.html", context)
