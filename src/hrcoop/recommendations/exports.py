"""Exports of any result set, every row, streamed: CSV, JSON Lines and XLSX, with a choice of columns.

Rows are read a thousand at a time (``SearchResult.iterate``) and written as they come, so memory
does not grow with the export. An XLSX file is a zip that can only be closed once complete, so it is
written by xlsxwriter in ``constant_memory`` mode to a temporary file and then streamed from disk.
Every row carries the link to the record's public page.

A large export costs the server seconds (the whole registry, some 15-22 s), so anonymous callers may ask
for ``HRCOOP_EXPORT_RATE`` of those per address (DRF's throttle, counted in the cache); beyond, a 429 says
when to come back. Exports of up to ``LARGE_EXPORT_ROWS`` rows, and signed-in users, are not counted.
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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import AnonRateThrottle

from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.recommendations.models import LabelKind, Recommendation
from hrcoop.recommendations.search.selectors import SearchParams, search


def _labels(kind: LabelKind) -> Callable[[Recommendation], str]:
    def read(r: Recommendation) -> str:
        accepted = [c.label for c in r.accepted_classifications if c.kind == kind]
        return "; ".join(
            sorted(f"{label.code}" if kind == LabelKind.ACTION_CATEGORY else label.name for label in accepted)
        )

    return read


# column name -> how to read it from a record (the link is added with the site's address)
COLUMNS: dict[str, Callable[[Recommendation], Any]] = {
    "public_id": lambda r: r.public_id,
    "text": lambda r: r.text,
    "language": lambda r: r.language,
    "state_under_review": lambda r: r.state_under_review.name,
    "state_under_review_iso3": lambda r: r.state_under_review.iso3,
    "recommending_states": lambda r: "; ".join(s.name for s in r.recommending_states.all()),
    "recommending_states_iso3": lambda r: "; ".join(s.iso3 for s in r.recommending_states.all()),
    "mechanism": lambda r: r.mechanism_id,
    "cycle": lambda r: r.cycle_id,
    "session": lambda r: r.session_id,
    "date": lambda r: r.date.isoformat() if r.date else None,
    "document_symbol": lambda r: r.document_symbol,
    "paragraph": lambda r: r.paragraph,
    "source_id": lambda r: r.source_id,
    "response": lambda r: r.response,
    "action_category": _labels(LabelKind.ACTION_CATEGORY),
    "issues": _labels(LabelKind.ISSUE),
    "themes": _labels(LabelKind.THEME),
    "affected_persons": _labels(LabelKind.AFFECTED_PERSONS),
    "sdg_goals": _labels(LabelKind.SDG_GOAL),
    "sdg_targets": _labels(LabelKind.SDG_TARGET),
}
DEFAULT_COLUMNS = [
    "public_id", "state_under_review", "recommending_states", "session", "date", "text", "response",
    "action_category", "issues",
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


def rows(
    records: Iterable[Recommendation], columns: list[str], link: Callable[[str], str]
) -> Iterator[list[Any]]:
    for record in records:
        yield [link(record.public_id) if name == "url" else COLUMNS[name](record) for name in columns]


def _jsonl(columns: list[str], data: Iterator[list[Any]]) -> Iterator[str]:
    for row in data:
        yield json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n"


def _xlsx(columns: list[str], data: Iterator[list[Any]]) -> Any:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    # A text is never a formula or a link, whatever it starts with (see core.spreadsheets).
    options = {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    workbook = xlsxwriter.Workbook(handle, options)
    sheet = workbook.add_worksheet("recommendations")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, columns, bold)
    for number, row in enumerate(data, start=1):
        sheet.write_row(number, 0, ["" if v is None else v for v in row])
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

    data = rows(result.iterate(), columns, link)
    filename = f"recommendations.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            _xlsx(columns, data), as_attachment=True, filename=filename, content_type=XLSX_TYPE
        )
    body = csv_lines(itertools.chain([columns], data)) if fmt == "csv" else _jsonl(columns, data)
    response = StreamingHttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
