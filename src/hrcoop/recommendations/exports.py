"""Exports of any result set, every row, streamed: CSV, JSON Lines and XLSX, with a choice of columns.

Rows are read a thousand at a time (``SearchResult.iterate``) and written as they come, so memory
does not grow with the export. An XLSX file is a zip that can only be closed once complete, so it is
written by xlsxwriter in ``constant_memory`` mode to a temporary file and then streamed from disk.
Every row carries the link to the record's public page.

A large export costs the server seconds (the whole registry, some 15-22 s), so anonymous callers may ask
for ``HRCOOP_EXPORT_RATE`` of those per address (DRF's throttle, counted in the cache); beyond, a 429 says
when to come back. Exports of up to ``LARGE_EXPORT_ROWS`` rows, and signed-in users, are not counted.

An export is meant to be cited: its file name says what it holds and when it was made
(``recommendations-fiji-cycle2-2026-12-06.xlsx``), its headers are words a reader understands, and it
carries its source, the terms of reuse, the query and the date (a sheet of its own in XLSX, a note
before the header in CSV, a first line in JSON Lines).
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import xlsxwriter
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework.throttling import AnonRateThrottle

from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.recommendations.models import LabelKind, Recommendation, Response
from hrcoop.recommendations.search.facets import FACETS_BY_KEY
from hrcoop.recommendations.search.selectors import SearchParams, SearchResult, search


def _labels(kind: LabelKind, *, codes: bool) -> Callable[[Recommendation], str]:
    """A record's accepted labels of ``kind``: their codes, or their names in the export's language."""

    def read(r: Recommendation) -> str:
        accepted = [c.label for c in r.accepted_classifications if c.kind == kind]
        return "; ".join(sorted(label.code if codes else label.display_name for label in accepted))

    return read


def _response_label(r: Recommendation) -> str:
    return str(Response(r.response).label)


# column name -> how to read it from a record (the link is added with the site's address). Codes stay
# machine codes; each has a column beside it with the names in the language of the page that asked
# for the export (States, mechanism, session, response, labels: docs/languages.md).
COLUMNS: dict[str, Callable[[Recommendation], Any]] = {
    "public_id": lambda r: r.public_id,
    "text": lambda r: r.text,
    "language": lambda r: r.language,
    "state_under_review": lambda r: r.state_under_review.display_name,
    "state_under_review_iso3": lambda r: r.state_under_review.iso3,
    "recommending_states": lambda r: "; ".join(s.display_name for s in r.recommending_states.all()),
    "recommending_states_iso3": lambda r: "; ".join(s.iso3 for s in r.recommending_states.all()),
    "mechanism": lambda r: r.mechanism_id,
    "mechanism_name": lambda r: r.mechanism.display_name,
    "cycle": lambda r: r.cycle_id,
    "session": lambda r: r.session_id,
    "session_name": lambda r: r.session.display_name if r.session else None,
    "date": lambda r: r.date.isoformat() if r.date else None,
    "document_symbol": lambda r: r.document_symbol,
    "paragraph": lambda r: r.paragraph,
    "source_id": lambda r: r.source_id,
    "response": lambda r: r.response,
    "response_label": _response_label,
    "action_category": _labels(LabelKind.ACTION_CATEGORY, codes=True),
    "action_category_name": _labels(LabelKind.ACTION_CATEGORY, codes=False),
    "issues": _labels(LabelKind.ISSUE, codes=False),
    "issue_codes": _labels(LabelKind.ISSUE, codes=True),
    "themes": _labels(LabelKind.THEME, codes=False),
    "affected_persons": _labels(LabelKind.AFFECTED_PERSONS, codes=False),
    "sdg_goals": _labels(LabelKind.SDG_GOAL, codes=False),
    "sdg_targets": _labels(LabelKind.SDG_TARGET, codes=False),
}
# column name -> the header a reader sees
HEADERS: dict[str, Any] = {
    "public_id": gettext_lazy("Record ID"),
    "text": gettext_lazy("Recommendation"),
    "language": gettext_lazy("Language"),
    "state_under_review": gettext_lazy("State under review"),
    "state_under_review_iso3": gettext_lazy("State under review (ISO code)"),
    "recommending_states": gettext_lazy("Recommending State(s)"),
    "recommending_states_iso3": gettext_lazy("Recommending State(s) (ISO codes)"),
    "mechanism": gettext_lazy("Mechanism (code)"),
    "mechanism_name": gettext_lazy("Mechanism"),
    "cycle": gettext_lazy("UPR cycle"),
    "session": gettext_lazy("Session (number)"),
    "session_name": gettext_lazy("Session"),
    "date": gettext_lazy("Date"),
    "document_symbol": gettext_lazy("Document symbol"),
    "paragraph": gettext_lazy("Paragraph"),
    "source_id": gettext_lazy("Identifier at the source"),
    "response": gettext_lazy("Response (code)"),
    "response_label": gettext_lazy("Response"),
    "action_category": gettext_lazy("Action category (code)"),
    "action_category_name": gettext_lazy("Action category"),
    "issues": gettext_lazy("Issues"),
    "issue_codes": gettext_lazy("Issues (codes)"),
    "themes": gettext_lazy("Themes"),
    "affected_persons": gettext_lazy("Affected persons"),
    "sdg_goals": gettext_lazy("SDG goals"),
    "sdg_targets": gettext_lazy("SDG targets"),
    "url": gettext_lazy("Link"),
}
# Who wrote the texts and on what terms they may be reused: what a citation of an export must say.
SOURCE = gettext_lazy(
    "Recommendations of the Universal Periodic Review and other UN human rights mechanisms, as recorded "
    "in UN documents (OHCHR, Universal Human Rights Index; UPR Info), compiled by hrcoop."
)
TERMS = gettext_lazy(
    "The texts are United Nations documents: they may be reproduced provided the source is acknowledged. "
    "The classifications (issues, action categories) are hrcoop's and are reused on the same terms."
)
DEFAULT_COLUMNS = [
    "public_id", "state_under_review", "recommending_states", "session_name", "date", "text",
    "response_label", "action_category_name", "issues",
    # the same values as codes, for programs
    "state_under_review_iso3", "recommending_states_iso3", "session", "response", "action_category",
    "issue_codes",
]  # fmt: skip
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "xlsx": None}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def choose_columns(raw: str | None) -> list[str]:
    if not raw:
        return [*DEFAULT_COLUMNS, "url"]
    names = [n.strip() for n in raw.split(",") if n.strip()]
    unknown = [n for n in names if n not in COLUMNS and n != "url"]
    if unknown or not names:
        message = (
            _("Unknown column(s) %(unknown)s; choose from %(columns)s.")
            if unknown
            else _("Unknown column(s) (none given); choose from %(columns)s.")
        )
        raise InvalidInput(
            message % {"unknown": ", ".join(unknown), "columns": ", ".join([*COLUMNS, "url"])},
            where="columns",
        )
    return names


def headers(columns: list[str]) -> list[str]:
    return [str(HEADERS[name]) for name in columns]


def describe(result: SearchResult) -> list[str]:
    """The query in words, one line per part ("State under review: Fiji"), for the reader of a file."""
    params = result.params
    lines = [f"{_('Search terms')}: {params.q}"] if params.q else []
    for key, values in params.filters.items():
        facet = FACETS_BY_KEY[key]
        names = facet.labels(values, result.reference)
        lines.append(f"{facet.label}: {', '.join(names.get(v, v) for v in values)}")
    if params.mode != "text":
        lines.append(f"{_('Match')}: {_('Meaning (any language)')}")
    return lines or [_("The whole registry")]


def filename(result: SearchResult, fmt: str, day: str) -> str:
    """``recommendations-fiji-cycle2-2026-12-06.xlsx``: what the file holds, then the day it was made."""
    params = result.params
    parts: list[str] = []
    for key, values in params.filters.items():
        names = FACETS_BY_KEY[key].labels(values, result.reference)
        if key == "cycle":
            parts += [f"cycle{v}" for v in values]
        elif key == "session":
            parts += [f"session{v}" for v in values]
        elif key == "recommending_state":
            parts += [f"by-{names.get(v, v)}" for v in values]
        else:
            parts += [names.get(v, v) for v in values]
    if params.q:
        parts.append(params.q)
    stem = slugify("-".join(parts))[:80].strip("-")
    return "-".join(p for p in ("recommendations", stem, day) if p) + f".{fmt}"


# (key for programs, heading for people, value) of each line of a file's note about itself
Note = list[tuple[str, str, str]]


def about(result: SearchResult, address: str, day: str) -> Note:
    """What a file says about itself: source, terms of reuse, query, address of the search, date."""
    return [
        ("source", _("Source"), str(SOURCE)),
        ("terms", _("Terms of reuse"), str(TERMS)),
        ("query", _("Query"), "; ".join(describe(result))),
        ("search_url", _("Search address"), address),
        ("exported_on", _("Exported on"), day),
    ]


def rows(
    records: Iterable[Recommendation], columns: list[str], link: Callable[[str], str]
) -> Iterator[list[Any]]:
    for record in records:
        yield [link(record.public_id) if name == "url" else COLUMNS[name](record) for name in columns]


def _in_language(language: str, data: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """The rows, named in ``language`` however late the server reads them: a streamed response is
    read after the view returned, when the request's language may no longer be the active one."""
    while True:
        with translation.override(language):
            row = next(data, None)
        if row is None:
            return
        yield row


def _jsonl(columns: list[str], data: Iterator[list[Any]], note: Note) -> Iterator[str]:
    """A first line ``{"about": {...}}`` says what the file is and what each key means; every other
    line is one record, keyed by column name (a key is for programs, its header for people)."""
    about: dict[str, Any] = {key: value for key, _heading, value in note}
    about["columns"] = dict(zip(columns, headers(columns), strict=True))
    yield json.dumps({"about": about}, ensure_ascii=False) + "\n"
    for row in data:
        yield json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n"


def _csv(columns: list[str], data: Iterator[list[Any]], note: Note) -> Iterator[str]:
    """The note first, one ``# name: value`` line each (``comment="#"`` in pandas skips them), then
    a blank line and the header."""
    lines = [[f"# {heading}: {value}"] for _key, heading, value in note]
    return csv_lines(itertools.chain(lines, [[]], [headers(columns)], data))


def _xlsx(columns: list[str], data: Iterator[list[Any]], note: Note) -> Any:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    # A text is never a formula or a link, whatever it starts with (see core.spreadsheets).
    options = {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    workbook = xlsxwriter.Workbook(handle, options)
    sheet = workbook.add_worksheet(_("Recommendations")[:31])
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    # In constant_memory mode rows are written once, in order: panes, widths and filters come first.
    sheet.freeze_panes(1, 0)
    for index, name in enumerate(columns):
        sheet.set_column(index, index, 80 if name == "text" else 24)
    sheet.write_row(0, 0, headers(columns), bold)
    last = 0
    for number, row in enumerate(data, start=1):
        sheet.write_row(number, 0, ["" if v is None else v for v in row])
        last = number
    sheet.autofilter(0, 0, last, len(columns) - 1)
    source = workbook.add_worksheet(_("Source")[:31])
    source.set_column(0, 0, 20)
    source.set_column(1, 1, 100)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for number, (_key, heading, value) in enumerate(note):
        source.write_string(number, 0, heading, bold)
        source.write_string(number, 1, value, wrap)
    workbook.close()
    handle.seek(0)
    return handle


LARGE_EXPORT_ROWS = 5000  # about 2 s of the server's time


class LargeExportThrottle(AnonRateThrottle):
    """Large exports per anonymous address, at the rate the settings give when asked (not at import)."""

    scope = "export"

    def get_rate(self) -> str:
        return str(settings.HRCOOP_EXPORT_RATE)


def _too_many(throttle: LargeExportThrottle) -> HttpResponse:
    minutes = max(1, round((throttle.wait() or 60) / 60))
    message = ngettext(
        "Too many large exports from your address: try again in %(minutes)d minute, narrow the search, "
        "or sign in.",
        "Too many large exports from your address: try again in %(minutes)d minutes, narrow the search, "
        "or sign in.",
        minutes,
    ) % {"minutes": minutes}
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(minutes * 60)
    return response


def export_view(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """``.../export/<csv|jsonl|xlsx>/?q=...&<facets>&columns=a,b``: every result of the search."""
    try:
        if fmt not in FORMATS:
            raise InvalidInput(
                _("Export format must be one of %(formats)s.") % {"formats": ", ".join(FORMATS)},
                where="format",
            )
        params = SearchParams.from_query_dict(request.GET)
        columns = choose_columns(",".join(request.GET.getlist("columns")))
        result = search(params)  # a malformed query is refused here, before streaming starts
    except DomainError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    throttle = LargeExportThrottle()
    if result.count > LARGE_EXPORT_ROWS and not throttle.allow_request(request, None):  # type: ignore[arg-type]
        return _too_many(throttle)

    # One reverse for the whole export (it was a seventh of a 41,000-row export's time): a public id is
    # letters, digits and hyphens, so it goes into the address as it is.
    address = request.build_absolute_uri(reverse("recommendations:detail", args=["PUBLIC-ID"]))

    def link(public_id: str) -> str:
        return address.replace("PUBLIC-ID", public_id)

    data = _in_language(translation.get_language(), rows(result.iterate(), columns, link))
    day = timezone.localdate().isoformat()
    search_address = request.build_absolute_uri(reverse("recommendations:search"))
    query = request.GET.urlencode()
    note = about(result, f"{search_address}?{query}" if query else search_address, day)
    name = filename(result, fmt, day)
    if fmt == "xlsx":
        return FileResponse(
            _xlsx(columns, data, note), as_attachment=True, filename=name, content_type=XLSX_TYPE
        )
    body = _csv(columns, data, note) if fmt == "csv" else _jsonl(columns, data, note)
    response = StreamingHttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
