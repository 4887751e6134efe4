"""The open-data bundle: every public dataset as CSV and JSON, described by a Frictionless data package.

Public means what an anonymous reader may see, asked through the same actor-aware selectors as the
public pages (``requests_visible_to``, ``request_record`` without ``full``, ``donor_label``,
``amounts_withheld``): drafts, the fields a State keeps confidential, the amounts of confidential
requests and the names of anonymous donors never enter the bundle. ``build_bundle`` writes the files
to a new folder of the default storage and switches ``opendata/current`` to it at the end, so a reader
never downloads a half-written bundle.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from hrcoop.assistance.selectors import request_record, requests_visible_to
from hrcoop.core.storage import current, switch_current
from hrcoop.funds.models import Posting
from hrcoop.funds.selectors import amounts_withheld, donor_label
from hrcoop.funds.statements import allocations_per_request, contributions_by_donor
from hrcoop.mandates.models import Mandate
from hrcoop.recommendations.exports import COLUMNS as RECOMMENDATION_COLUMNS
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.selectors import records_in_order
from hrcoop.reference.models import Fund

PUBLIC = AnonymousUser()
FOLDER = "opendata"
CHUNK = 2000

# The terms each dataset is offered under (Frictionless ``licenses``).
PLATFORM_LICENCE = {
    "name": "ODC-BY-1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
    "title": "Open Data Commons Attribution License 1.0",
}
REGISTRY_LICENCE = {
    "name": "other-at",
    "title": "Attribution required: recommendations are UN official texts; their classifications were "
    "compiled by their sources (UPR Info, OHCHR's Universal Human Rights Index), to be cited with them",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless field type: string, integer, date, boolean
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: list[Field]
    rows: Callable[[], Iterable[list[Any]]]
    licence: dict[str, str]


def _recommendations() -> Iterator[list[Any]]:
    names = [f.name for f in RECOMMENDATIONS_FIELDS]
    ids = list(Recommendation.objects.order_by("public_id").values_list("id", flat=True))
    for start in range(0, len(ids), CHUNK):
        for record in records_in_order(ids[start : start + CHUNK]):
            yield [RECOMMENDATION_COLUMNS[name](record) for name in names]


RECOMMENDATIONS_FIELDS = [
    Field("public_id", "string", "Stable public identifier of the recommendation"),
    Field("source_id", "string", "The source's own identifier (UHRI annotation id, or symbol and paragraph)"),
    Field("mechanism", "string", "Code of the mechanism that made it (UPR, a treaty body, ...)"),
    Field("cycle", "integer", "UPR cycle"),
    Field("session", "integer", "UPR Working Group session"),
    Field("date", "date", "Date of the document"),
    Field("document_symbol", "string", "Symbol of the UN document"),
    Field("paragraph", "string", "Paragraph in the document"),
    Field("state_under_review_iso3", "string", "ISO 3166 alpha-3 code of the State under review"),
    Field(
        "recommending_states_iso3",
        "string",
        "ISO 3166 alpha-3 codes of the recommending States, '; '-separated",
    ),
    Field("text", "string", "The recommendation"),
    Field("language", "string", "Language of the text"),
    Field("response", "string", "supported, supported_in_part, noted, pending or voluntary_pledge"),
    Field("action_category", "string", "UPR Info action category, 1 (minimal) to 5 (specific)"),
    Field("issues", "string", "UPR Info issues accepted on the record, '; '-separated"),
    Field("themes", "string", "UHRI themes, '; '-separated"),
    Field("sdg_targets", "string", "SDG targets, '; '-separated"),
]

REQUEST_FIELDS = [
    Field("public_id", "string", "Public identifier of the request"),
    Field("state_iso3", "string", "Requesting State"),
    Field("fund", "string", "Code of the fund asked"),
    Field("title", "string", "Title of the request"),
    Field("status", "string", "Status in the workflow"),
    Field("submitted_at", "string", "When it was submitted (ISO 8601, UTC)"),
    Field("due_date", "date", "When the current stage is due"),
    Field("need", "string", "The need; empty when the State keeps it confidential"),
    Field("objectives", "string", "Objectives; empty when confidential"),
    Field("amount_minor_units", "integer", "Amount requested in minor units; empty when confidential"),
    Field("currency", "string", "ISO 4217 currency of the amount"),
    Field("duration_months", "integer", "Duration; empty when confidential"),
    Field(
        "recommendations", "string", "Public ids of the recommendations it answers; empty when confidential"
    ),
    Field("confidential_fields", "string", "The fields the State keeps confidential, '; '-separated"),
]


def _requests() -> Iterator[list[Any]]:
    requests = requests_visible_to(PUBLIC).order_by("submitted_at", "public_id")
    for request in requests:
        record = request_record(request, full=False)
        row = []
        for field in REQUEST_FIELDS:
            value = record[field.name]
            if isinstance(value, list):
                value = "; ".join(value)
            row.append(value)
        yield row


CONTRIBUTION_FIELDS = [
    Field("fund", "string", "Code of the fund"),
    Field("year", "integer", "Year of the ledger postings"),
    Field("donor", "string", "The donor ('Anonymous donor' when it asked for anonymity)"),
    Field("currency", "string", "ISO 4217 currency of the amounts"),
    Field("pledged", "integer", "Pledges made in the year, minor units"),
    Field("paid", "integer", "Payments received in the year, minor units"),
    Field("written_off", "integer", "Pledges written off in the year, minor units"),
    Field("refunded", "integer", "Refunds in the year, minor units"),
]


def _contributions() -> Iterator[list[Any]]:
    for fund in Fund.objects.order_by("code"):
        years = sorted(
            {d.year for d in Posting.objects.filter(fund=fund).values_list("occurred_on", flat=True)}
        )
        for year in years:
            for row in contributions_by_donor(fund=fund, year=year):
                label = donor_label(PUBLIC, row.donor)
                yield [
                    fund.code,
                    year,
                    label,
                    row.currency,
                    row.pledged,
                    row.paid,
                    row.written_off,
                    row.refunded,
                ]


ALLOCATION_FIELDS = [
    Field("request", "string", "Public id of the request"),
    Field("state", "string", "Requesting State"),
    Field("fund", "string", "Code of the fund"),
    Field("currency", "string", "ISO 4217 currency"),
    Field(
        "allocated", "integer", "Allocated, minor units; empty when the State keeps the amount confidential"
    ),
    Field("disbursed", "integer", "Disbursed, minor units; empty when confidential"),
]


def _allocations() -> Iterator[list[Any]]:
    rows = allocations_per_request()
    withheld = amounts_withheld(PUBLIC, [row.request_id for row in rows])
    for row in rows:
        hidden = row.request_id in withheld
        yield [
            row.public_id,
            row.state,
            row.fund,
            row.currency,
            None if hidden else row.allocated,
            None if hidden else row.disbursed,
        ]


MANDATE_FIELDS = [
    Field("resolution", "string", "Number or symbol of the resolution"),
    Field("paragraph", "string", "Operative paragraph"),
    Field("kind", "string", "report, action, renewal, establishment or consideration"),
    Field("addressee", "string", "Code of the first addressee"),
    Field("due_body", "string", "Body the mandate is due at"),
    Field("due_session", "integer", "Session it is due at"),
    Field("due_end", "date", "Last day of that session"),
    Field("status", "string", "open, fulfilled or overdue, on the day the bundle was built"),
    Field("fulfilled_by", "string", "Symbol of the document that fulfils it"),
]


def _mandates() -> Iterator[list[Any]]:
    today = timezone.localdate()
    for m in Mandate.objects.select_related("resolution", "paragraph").order_by(
        "resolution_id", "paragraph__sequence", "id"
    ):
        yield [
            m.resolution.number or m.resolution.symbol,
            m.paragraph.number or m.paragraph.anchor,
            m.kind,
            m.addressee,
            m.due_body,
            m.due_session,
            m.due_end.isoformat() if m.due_end else None,
            m.status_on(today),
            m.fulfilled_by,
        ]


DATASETS = [
    Dataset(
        "recommendations",
        "Recommendations",
        "The registry of recommendations with their accepted classifications.",
        RECOMMENDATIONS_FIELDS,
        _recommendations,
        REGISTRY_LICENCE,
    ),
    Dataset(
        "assistance-requests",
        "Requests for assistance",
        "The public register of requests for assistance; confidential fields are empty.",
        REQUEST_FIELDS,
        _requests,
        PLATFORM_LICENCE,
    ),
    Dataset(
        "fund-contributions",
        "Contributions to the funds",
        "Pledges, payments, write-offs and refunds per fund, year and donor, from the ledger.",
        CONTRIBUTION_FIELDS,
        _contributions,
        PLATFORM_LICENCE,
    ),
    Dataset(
        "fund-allocations",
        "Allocations to requests",
        "What each request was allocated and disbursed, from the ledger.",
        ALLOCATION_FIELDS,
        _allocations,
        PLATFORM_LICENCE,
    ),
    Dataset(
        "mandates",
        "Mandates of the resolutions",
        "Mandates read from the resolutions, with their deadlines and status.",
        MANDATE_FIELDS,
        _mandates,
        PLATFORM_LICENCE,
    ),
]


def _plain(value: Any) -> Any:
    """Dates and times as ISO 8601 text, the same in the CSV and the JSON."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _csv(dataset: Dataset, rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in dataset.fields])
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue().encode()


def _json(dataset: Dataset, rows: list[list[Any]]) -> bytes:
    names = [f.name for f in dataset.fields]
    records = [dict(zip(names, row, strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1).encode()


def _schema(dataset: Dataset) -> dict[str, Any]:
    return {
        "fields": [{"name": f.name, "type": f.type, "description": f.description} for f in dataset.fields],
        "missingValues": [""],
    }


def build_bundle() -> dict[str, Any]:
    """Write every dataset as CSV and JSON and the ``datapackage.json`` describing them; return it."""
    built_at = timezone.now()
    folder = f"{FOLDER}/{built_at:%Y%m%dT%H%M%S%f}"
    resources = []
    for dataset in DATASETS:
        rows = [[_plain(value) for value in row] for row in dataset.rows()]
        for fmt, content in (("csv", _csv(dataset, rows)), ("json", _json(dataset, rows))):
            path = f"{dataset.name}.{fmt}"
            default_storage.save(f"{folder}/{path}", ContentFile(content))
            resources.append(
                {
                    "name": f"{dataset.name}-{fmt}",
                    "title": f"{dataset.title} ({fmt.upper()})",
                    "description": dataset.description,
                    "path": path,
                    "format": fmt,
                    "mediatype": "text/csv" if fmt == "csv" else "application/json",
                    "encoding": "utf-8",
                    "bytes": len(content),
                    "schema": _schema(dataset),
                    "licenses": [dataset.licence],
                }
            )
    package = {
        "name": "hrcoop-open-data",
        "title": "hrcoop open data: international cooperation in the field of human rights",
        "created": built_at.isoformat(),
        "licenses": [PLATFORM_LICENCE],
        "resources": resources,
    }
    default_storage.save(f"{folder}/datapackage.json", ContentFile(json.dumps(package, indent=1).encode()))
    switch_current(FOLDER, folder)
    return package


def current_folder() -> str | None:
    return current(FOLDER)
