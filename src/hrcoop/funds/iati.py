"""IATI 2.03 publication: one ``iati-activities`` file, and one ``iati-organisations`` file per fund.

An activity is a funded request for assistance: who funds, who is accountable and who implements
(IATI organisation roles 1-4), DAC sector 15160 Human rights, SDG tags (goal 16 always; goals and
targets of the request's linked recommendations), the recipient country, the ledger's allocations as
outgoing commitments (transaction type 2) and its disbursements as disbursements (type 3), reversals as
negative values, and the request's expected results. A request whose State keeps its amount, partners,
objectives, results or recommendations confidential is published without them; a request whose
amount is confidential is left out of the file altogether, since an IATI activity is its transactions.

The codes below are those of the IATI 2.03 codelists (``../shared/data/iati_codelists``); the tests
check every code written against those files, and every file against the 2.03 XSDs. ``validate``
names the first line that breaks the schema and says why, so that a rejected file can be fixed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from lxml import etree

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.errors import InvalidInput
from hrcoop.core.money import Money
from hrcoop.core.storage import current, switch_current
from hrcoop.funds.disclosure import public_expenditure
from hrcoop.funds.models import Account, Allocation, Posting
from hrcoop.recommendations.models import Classification, LabelKind
from hrcoop.reference.models import Fund

IATI_VERSION = "2.03"
# OHCHR's identifier: the "XM-DAC" prefix with its OECD CRS channel code 41313 (CRSChannelCode list).
REPORTING_ORG = "XM-DAC-41313"
REPORTING_ORG_NAME = "Office of the United Nations High Commissioner for Human Rights"
# Funds with their own CRS channel code are identified by it; the others under OHCHR's identifier.
FUND_IDENTIFIERS = {"VFTC": "XM-DAC-41137"}

ORG_TYPE_GOVERNMENT = "10"  # OrganisationType
ORG_TYPE_MULTILATERAL = "40"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_EXTENDING, ROLE_IMPLEMENTING = "1", "2", "3", "4"  # OrganisationRole
TRANSACTION_COMMITMENT, TRANSACTION_DISBURSEMENT = "2", "3"  # TransactionType
SECTOR_HUMAN_RIGHTS = "15160"  # Sector (DAC 5-digit), vocabulary 1
SECTOR_VOCABULARY_DAC = "1"  # SectorVocabulary
TAG_SDG_GOAL, TAG_SDG_TARGET = "2", "3"  # TagVocabulary: UN SDG goals, UN SDG targets
DATE_ACTUAL_START, DATE_ACTUAL_END = "2", "4"  # ActivityDateType
RESULT_OUTCOME = "2"  # ResultType
INDICATOR_MEASURE_QUALITATIVE = "5"  # IndicatorMeasure
ACTIVITY_STATUS = {  # ActivityStatus: 2 implementation, 3 finalisation, 4 closed
    Status.FUNDED: "2",
    Status.IN_IMPLEMENTATION: "2",
    Status.COMPLETED: "3",
    Status.CLOSED: "4",
}
SDG_HUMAN_RIGHTS_GOAL = "16"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attrs)
    etree.SubElement(element, "narrative").text = text
    return element


def _value(parent: etree._Element, money: Money, value_date: dt.date) -> None:
    etree.SubElement(
        parent, "value", currency=money.currency, **{"value-date": value_date.isoformat()}
    ).text = str(money.major())


def _reporting_org(parent: etree._Element) -> None:
    _text(parent, "reporting-org", REPORTING_ORG_NAME, ref=REPORTING_ORG, type=ORG_TYPE_MULTILATERAL)


def fund_identifier(fund: Fund) -> str:
    return FUND_IDENTIFIERS.get(fund.code, f"{REPORTING_ORG}-{fund.code}")


def funded_requests() -> QuerySet[AssistanceRequest]:
    """Requests with at least one allocation, in a status the register publishes."""
    return (
        AssistanceRequest.objects.filter(allocations__isnull=False, status__in=list(ACTIVITY_STATUS))
        .distinct()
        .select_related("requesting_state", "fund")
        .prefetch_related(Prefetch("allocations", queryset=Allocation.objects.order_by("allocated_on", "pk")))
        .order_by("public_id")
    )


def _sdg_labels(requests: list[AssistanceRequest]) -> dict[int, list[tuple[str, str]]]:
    """SDG goal and target labels of each request's linked recommendations, in one query."""
    labels: dict[int, list[tuple[str, str]]] = {}
    rows = Classification.objects.filter(
        recommendation__assistance_requests__in=[
            r for r in requests if not r.is_confidential("recommendations")
        ],
        status=Classification.Status.ACCEPTED,
        kind__in=[LabelKind.SDG_GOAL, LabelKind.SDG_TARGET],
    ).values_list("recommendation__assistance_requests", "kind", "label__code")
    for request_id, kind, code in rows:
        labels.setdefault(request_id, []).append((kind, code))
    return labels


def _sdg_tags(labels: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    goals = {SDG_HUMAN_RIGHTS_GOAL} | {code for kind, code in labels if kind == LabelKind.SDG_GOAL}
    targets = {code for kind, code in labels if kind == LabelKind.SDG_TARGET}
    goals |= {t.split(".")[0] for t in targets}
    return sorted(goals, key=lambda g: int(g) if g.isdigit() else 99), sorted(targets)


def _activity(
    request: AssistanceRequest,
    postings: list[tuple[Posting, int]],
    labels: list[tuple[str, str]],
    now: dt.datetime,
) -> etree._Element:
    """One activity; ``postings`` are its allocations and disbursements with what each did to commitments."""
    fund, state = request.fund, request.requesting_state
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": now.isoformat(timespec="seconds"),
            XML_LANG: "en",
            "default-currency": request.currency,
            "humanitarian": "0",
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{REPORTING_ORG}-{fund.code}-{request.public_id}"
    _reporting_org(activity)
    _text(activity, "title", request.title)
    summary = f"Assistance from the {fund.name} to {state.name} (request {request.public_id})."
    _text(activity, "description", summary, type="1")
    if request.objectives and not request.is_confidential("objectives"):
        _text(activity, "description", request.objectives, type="2")
    _text(
        activity,
        "participating-org",
        fund.name,
        role=ROLE_FUNDING,
        ref=fund_identifier(fund),
        type=ORG_TYPE_MULTILATERAL,
    )
    _text(activity, "participating-org", state.name, role=ROLE_ACCOUNTABLE, type=ORG_TYPE_GOVERNMENT)
    _text(
        activity,
        "participating-org",
        REPORTING_ORG_NAME,
        role=ROLE_EXTENDING,
        ref=REPORTING_ORG,
        type=ORG_TYPE_MULTILATERAL,
    )
    partners = (
        "" if request.is_confidential("implementing_partners") else request.implementing_partners.strip()
    )
    _text(activity, "participating-org", partners or state.name, role=ROLE_IMPLEMENTING)
    etree.SubElement(activity, "activity-status", code=ACTIVITY_STATUS[Status(request.status)])
    allocations = list(request.allocations.all())
    etree.SubElement(
        activity,
        "activity-date",
        type=DATE_ACTUAL_START,
        **{"iso-date": allocations[0].allocated_on.isoformat()},
    )
    _text(activity, "recipient-country", state.name, code=state.iso2, percentage="100")
    _text(
        activity,
        "sector",
        "Human rights",
        vocabulary=SECTOR_VOCABULARY_DAC,
        code=SECTOR_HUMAN_RIGHTS,
        percentage="100",
    )
    goals, targets = _sdg_tags(labels)
    for goal in goals:
        etree.SubElement(activity, "tag", vocabulary=TAG_SDG_GOAL, code=goal)
    for target in targets:
        etree.SubElement(activity, "tag", vocabulary=TAG_SDG_TARGET, code=target)
    for posting, line_total in postings:
        amount = -line_total if posting.kind == Posting.Kind.ALLOCATION else line_total
        transaction = etree.SubElement(activity, "transaction", ref=f"{fund.code}-posting-{posting.pk}")
        code = TRANSACTION_COMMITMENT if posting.kind == Posting.Kind.ALLOCATION else TRANSACTION_DISBURSEMENT
        etree.SubElement(transaction, "transaction-type", code=code)
        etree.SubElement(transaction, "transaction-date", **{"iso-date": posting.occurred_on.isoformat()})
        _value(
            transaction,
            Money(amount, posting.allocation.currency if posting.allocation else request.currency),
            posting.occurred_on,
        )
        if posting.reverses_id:
            _text(
                transaction,
                "description",
                f"Reversal of transaction {fund.code}-posting-{posting.reverses_id}",
            )
        _text(transaction, "provider-org", fund.name, ref=fund_identifier(fund))
        _text(transaction, "receiver-org", state.name)
    if request.expected_results.strip() and not request.is_confidential("expected_results"):
        result = etree.SubElement(activity, "result", type=RESULT_OUTCOME)
        _text(result, "title", "Expected results")
        indicator = etree.SubElement(result, "indicator", measure=INDICATOR_MEASURE_QUALITATIVE)
        _text(indicator, "title", request.expected_results.strip())
    return activity


@dataclass(frozen=True)
class ActivitiesFile:
    xml: bytes
    activities: int
    left_out: list[str]


def activities_file(*, now: dt.datetime | None = None) -> ActivitiesFile:
    now = now or timezone.now()
    root = etree.Element(
        "iati-activities", version=IATI_VERSION, **{"generated-datetime": now.isoformat(timespec="seconds")}
    )
    left_out = []
    requests = list(funded_requests())
    postings_by_request: dict[int, list[tuple[Posting, int]]] = {}
    for posting in (
        Posting.objects.filter(
            allocation__request__in=requests, kind__in=[Posting.Kind.ALLOCATION, Posting.Kind.DISBURSEMENT]
        )
        .annotate(commitments=Sum("lines__amount", filter=Q(lines__account__kind=Account.Kind.COMMITMENTS)))
        .select_related("allocation")
        .order_by("occurred_on", "pk")
    ):  # each posting's change to commitments summed by the database, not over its lines in Python
        assert posting.allocation is not None
        entry = (posting, posting.commitments or 0)  # type: ignore[attr-defined]
        postings_by_request.setdefault(posting.allocation.request_id, []).append(entry)
    labels = _sdg_labels(requests)
    for request in requests:
        if request.is_confidential("amount"):
            left_out.append(request.public_id)
            continue
        root.append(
            _activity(request, postings_by_request.get(request.pk, []), labels.get(request.pk, []), now)
        )
    return ActivitiesFile(_serialise(root), len(root), left_out)


def _year_bounds(year: int) -> dict[str, str]:
    return {"start": dt.date(year, 1, 1).isoformat(), "end": dt.date(year, 12, 31).isoformat()}


def organisation_file(fund: Fund, *, now: dt.datetime | None = None) -> bytes:
    """The fund as an IATI organisation, with its expenditure per year in its currency of account.

    The years are those the public's statement shows alone (``funds/disclosure.py``): a year whose
    total would reveal an amount a State keeps confidential is left out, as on the fund's page.
    """
    now = now or timezone.now()
    root = etree.Element(
        "iati-organisations",
        version=IATI_VERSION,
        **{"generated-datetime": now.isoformat(timespec="seconds")},
    )
    organisation = etree.SubElement(
        root,
        "iati-organisation",
        {
            "last-updated-datetime": now.isoformat(timespec="seconds"),
            XML_LANG: "en",
            "default-currency": fund.currency,
        },
    )
    etree.SubElement(organisation, "organisation-identifier").text = fund_identifier(fund)
    _text(organisation, "name", fund.name)
    _reporting_org(organisation)
    for row in public_expenditure(fund):
        if row.last_year or not (row.allocations or row.expenditure):
            continue  # IATI periods are one year at most; a run of years is on the fund's page only
        bounds = _year_bounds(row.year)
        end = dt.date.fromisoformat(bounds["end"])
        expenditure = etree.SubElement(organisation, "total-expenditure")
        etree.SubElement(expenditure, "period-start", **{"iso-date": bounds["start"]})
        etree.SubElement(expenditure, "period-end", **{"iso-date": bounds["end"]})
        _value(expenditure, Money(row.total_expenditure, fund.currency), end)
        for amount, kind, label in (
            (row.allocations, Account.Kind.ALLOCATIONS, "Allocations to requests for assistance"),
            (row.expenditure, Account.Kind.EXPENDITURE, "Direct expenditure"),
        ):
            if amount:
                line = etree.SubElement(expenditure, "expense-line", ref=kind)
                _value(line, Money(amount, fund.currency), end)
                etree.SubElement(line, "narrative").text = label
    return _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


SCHEMAS = {
    "iati-activities": "iati-activities-schema.xsd",
    "iati-organisations": "iati-organisations-schema.xsd",
}


def validate(xml: bytes, *, schema_dir: Path, name: str) -> None:
    """Check a file against the IATI 2.03 schema for its root; ``InvalidInput`` names the line and the reason.

    The schemas are read where they are kept (``schema_dir``, e.g. ``../shared/data/iati_schemas``), never
    copied into the project. A bare ``iati-activity`` root is checked against the activities schema too.
    """
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise InvalidInput(f"not well-formed XML: {exc.msg}", where=f"{name}, line {exc.lineno}") from exc
    root = etree.QName(document).localname
    schema_file = SCHEMAS.get(root) or (SCHEMAS["iati-activities"] if root == "iati-activity" else None)
    if schema_file is None:
        raise InvalidInput(
            f"the root element <{root}> is not an IATI file's", where=f"{name}, line {document.sourceline}"
        )
    schema = _schema(schema_dir / schema_file)
    if not schema.validate(document):
        error = schema.error_log[0]
        raise InvalidInput(
            f"does not match the IATI {IATI_VERSION} schema: {error.message}",
            where=f"{name}, line {error.line}",
        )


_schemas: dict[Path, etree.XMLSchema] = {}


def _schema(path: Path) -> etree.XMLSchema:
    if not path.exists():
        raise InvalidInput(f"the IATI schema {path} is missing", where=str(path))
    if path not in _schemas:
        _schemas[path] = etree.XMLSchema(etree.parse(str(path)))
    return _schemas[path]


@dataclass(frozen=True)
class Files:
    """One run of the publication: the files by name, and what was left out of the activity file."""

    files: dict[str, bytes]
    activities: int
    left_out: list[str]

    @property
    def note(self) -> str:
        """What a person needs to know when the activity file is not among the files."""
        if self.activities:
            return ""
        reason = (
            f"the {len(self.left_out)} funded request(s) keep their amount confidential"
            if self.left_out
            else "no request has been funded yet"
        )
        return f"no activity is publishable ({reason}): only the organisation files are written"


def build(
    *, schema_dir: Path | None = None, funds: Iterable[Fund] | None = None, now: dt.datetime | None = None
) -> Files:
    """Every file, validated when schemas are given. With no publishable activity there is no activity
    file: an empty ``iati-activities`` is not an IATI file, and saying so beats a schema error."""
    now = now or timezone.now()
    activities = activities_file(now=now)
    files = {"iati-activities.xml": activities.xml} if activities.activities else {}
    for fund in funds if funds is not None else Fund.objects.order_by("code"):
        files[f"iati-organisations-{fund.code}.xml"] = organisation_file(fund, now=now)
    if schema_dir is not None:
        for name, xml in files.items():
            validate(xml, schema_dir=schema_dir, name=name)
    return Files(files, activities.activities, activities.left_out)


def export(
    directory: Path, *, schema_dir: Path | None = None, funds: Iterable[Fund] | None = None
) -> dict[str, Any]:
    """Write ``iati-activities.xml`` and ``iati-organisations-<FUND>.xml``, validated when schemas are given.

    Nothing is written unless every file is valid; an activity file of an earlier run is removed when no
    activity is publishable now (it could hold a request that has since become confidential).
    """
    built = build(schema_dir=schema_dir, funds=funds)
    directory.mkdir(parents=True, exist_ok=True)
    for name, xml in built.files.items():
        (directory / name).write_bytes(xml)
    if not built.activities:
        (directory / "iati-activities.xml").unlink(missing_ok=True)
    return _summary(built, directory=str(directory), validated=schema_dir is not None)


def _summary(built: Files, **extra: Any) -> dict[str, Any]:
    summary = {
        **extra,
        "files": sorted(built.files),
        "activities": built.activities,
        "left_out_confidential_amount": built.left_out,
    }
    if built.note:
        summary["note"] = built.note
    return summary


# --- the files the site offers (/funds/iati/) ---------------------------------------------------------

SITE_FOLDER = "iati"


def site_schemas() -> Path:
    """The schemas the site validates against (``HRCOOP_IATI_SCHEMAS``), or ``InvalidInput`` saying so."""
    if not settings.IATI_SCHEMAS:
        raise InvalidInput(
            "set HRCOOP_IATI_SCHEMAS to the folder of the IATI 2.03 schemas: the site offers only "
            "validated files",
            where="HRCOOP_IATI_SCHEMAS",
        )
    return Path(settings.IATI_SCHEMAS)


def publish(*, schema_dir: Path) -> dict[str, Any]:
    """Build and validate every file, save them to a new folder of the default storage with a
    ``manifest.json`` (their date, what they hold), then point ``iati/CURRENT`` at it: the site never
    offers a half-written or unvalidated set. ``InvalidInput`` (a file that breaks the schema) leaves the
    files on offer as they were."""
    now = timezone.now()
    built = build(schema_dir=schema_dir, now=now)
    folder = f"{SITE_FOLDER}/{now:%Y%m%dT%H%M%S%f}"
    for name, xml in built.files.items():
        default_storage.save(f"{folder}/{name}", ContentFile(xml))
    manifest = _summary(built, built_at=now.isoformat(), validated=True, version=IATI_VERSION)
    default_storage.save(f"{folder}/manifest.json", ContentFile(json.dumps(manifest, indent=1).encode()))
    switch_current(SITE_FOLDER, folder)
    return manifest


def published() -> dict[str, Any] | None:
    """The manifest of the files on offer, or None before the first publication."""
    folder = current(SITE_FOLDER)
    if folder is None:
        return None
    with default_storage.open(f"{folder}/manifest.json") as handle:
        manifest: dict[str, Any] = json.load(handle)
    return {**manifest, "built_at": dt.datetime.fromisoformat(manifest["built_at"]), "folder": folder}
