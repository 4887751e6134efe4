"""A tracker as a spreadsheet (CSV or XLSX) and back, so that a State moving from a spreadsheet or from
another tracker keeps its work. The layout is documented in docs/tracking.md ("Exchange layout").

One row per recommendation of the plan::

    recommendation  text  cluster  lead_institution  supporting_institutions  status  actions

``recommendation`` is our public id or the source's own id ("A/HRC/43/15 para 121.1"); ``text`` is
written for people and ignored on import; institutions are named as the State listed them, supporting
ones separated by ";"; ``status`` is a code (``in_progress``) or its English label; ``actions`` holds
one action per line, ``description | institution | starts_on | due_on | status`` with ISO dates. A
cluster's actions are repeated on each of its rows and read once.

An import is all or nothing: every row is checked first, and a file with any bad row (an unknown
recommendation or institution, an impossible date, ...) is refused with every bad row and its reason;
nothing changes. A good file places recommendations in clusters (created by title when new), assigns
institutions, records statuses that changed (with their history) and adds the actions not yet there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hrcoop.core.audit import record_event
from hrcoop.core.errors import ImportFailed
from hrcoop.core.models import User
from hrcoop.core.roles import Actor
from hrcoop.recommendations.models import Recommendation
from hrcoop.tracking.actions import TrackingAction
from hrcoop.tracking.models import (
    Action,
    Cluster,
    ImplementationStatus,
    Institution,
    Plan,
    StatusChange,
    TrackedRecommendation,
)
from hrcoop.tracking.services import require_coordinator

COLUMNS = [
    "recommendation",
    "text",
    "cluster",
    "lead_institution",
    "supporting_institutions",
    "status",
    "actions",
]
REQUIRED = {"recommendation", "status"}
MAX_ROWS = 20_000


def export_rows(record: dict[str, Any]) -> Iterator[list[Any]]:
    """The header, then one row per recommendation of a plan record (``selectors.plan_record``)."""
    yield COLUMNS
    for cluster in record["clusters"]:
        actions = "\n".join(
            " | ".join(
                [
                    a["description"].replace("\n", " "),
                    a["institution"],
                    a["starts_on"].isoformat() if a["starts_on"] else "",
                    a["due_on"].isoformat() if a["due_on"] else "",
                    a["status"],
                ]
            )
            for a in cluster["actions"]
        )
        for r in cluster["recommendations"]:
            yield [
                r["public_id"],
                r["text"],
                cluster["title"],
                cluster["lead_institution"] or "",
                "; ".join(cluster["supporting_institutions"]),
                r["status"],
                actions,
            ]
    for r in record["unclustered"]:
        yield [r["public_id"], r["text"], "", "", "", r["status"], ""]


def xlsx_bytes(rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("tracker")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts of the layout's columns (cells as text)."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFailed(f"not an XLSX workbook ({exc.__class__.__name__})", file=name) from exc
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed("not UTF-8 text: save the sheet as CSV UTF-8", file=name) from exc
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise ImportFailed("the file is empty", file=name)
    header = [h.strip().lower() for h in values[0]]
    missing = sorted(REQUIRED - set(header))
    if missing:
        raise ImportFailed(
            f"no column {', '.join(missing)}; the columns are {', '.join(COLUMNS)}", file=name, row=1
        )
    if len(values) - 1 > MAX_ROWS:
        raise ImportFailed(f"more than {MAX_ROWS:,} rows: split the file", file=name)
    return [
        {key: (row[i].strip() if i < len(row) else "") for i, key in enumerate(header)}
        for row in values[1:]
        if any(cell.strip() for cell in row)
    ]


@dataclass
class _ActionRow:
    description: str
    institution: Institution
    starts_on: dt.date | None
    due_on: dt.date | None
    status: str


@dataclass
class _Row:
    number: int
    recommendation: Recommendation
    cluster: str
    lead: Institution | None
    supporting: list[Institution]
    status: str
    actions: list[_ActionRow] = field(default_factory=list)


def _status(value: str) -> str | None:
    for code, label in ImplementationStatus.choices:
        if value.strip().casefold() in (code, str(label).casefold()):
            return code
    return None


def _day(value: str, what: str, problems: list[str]) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"impossible {what} {value!r} (give a real day as YYYY-MM-DD)")
        return None


class _Checker:
    """Resolves names against the plan's State and collects every problem of every row."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.institutions = {i.name.casefold(): i for i in Institution.objects.filter(state=plan.state)}
        self.problems: list[tuple[int, str]] = []

    def institution(self, name: str, problems: list[str]) -> Institution | None:
        found = self.institutions.get(name.strip().casefold())
        if found is None:
            problems.append(f"unknown institution {name.strip()!r} (list it for {self.plan.state} first)")
        return found

    def recommendation(self, key: str, problems: list[str]) -> Recommendation | None:
        found = Recommendation.objects.filter(
            Q(public_id=key) | Q(source_id=key), state_under_review=self.plan.state
        ).first()
        if found is None:
            problems.append(
                f"unknown recommendation {key!r} (no recommendation to {self.plan.state} has this id)"
            )
        return found

    def row(self, number: int, cells: dict[str, str]) -> _Row | None:
        problems: list[str] = []
        recommendation = self.recommendation(cells.get("recommendation", ""), problems)
        status = _status(cells.get("status", "") or ImplementationStatus.NOT_STARTED)
        if status is None:
            problems.append(
                f"unknown status {cells['status']!r} (one of {', '.join(ImplementationStatus.values)})"
            )
        lead = (
            self.institution(cells["lead_institution"], problems) if cells.get("lead_institution") else None
        )
        supporting = [
            i
            for name in cells.get("supporting_institutions", "").split(";")
            if name.strip() and (i := self.institution(name, problems)) is not None
        ]
        actions = [a for line in cells.get("actions", "").splitlines() if (a := self.action(line, problems))]
        if actions and not cells.get("cluster"):
            problems.append("actions belong to a cluster: name the cluster")
        if problems:
            self.problems.extend((number, p) for p in problems)
            return None
        assert recommendation is not None and status is not None
        return _Row(number, recommendation, cells.get("cluster", ""), lead, supporting, status, actions)

    def action(self, line: str, problems: list[str]) -> _ActionRow | None:
        if not line.strip():
            return None
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5:
            problems.append(
                f"action {line!r} is not 'description | institution | starts_on | due_on | status'"
            )
            return None
        description, institution_name, start, due, status = parts
        institution = self.institution(institution_name, problems)
        starts_on, due_on = _day(start, "start date", problems), _day(due, "due date", problems)
        if starts_on and due_on and due_on < starts_on:
            problems.append(
                f"impossible dates: the action {description!r} is due {due_on} before it starts {starts_on}"
            )
        if status not in Action.Status.values:
            problems.append(f"unknown action status {status!r} (one of {', '.join(Action.Status.values)})")
        if not description:
            problems.append("an action without a description")
        if problems or institution is None:
            return None
        return _ActionRow(description, institution, starts_on, due_on, status)


@transaction.atomic
def import_tracker(plan: Plan, *, actor: Actor, name: str, content: bytes) -> dict[str, int]:
    """Import a tracker file into ``plan``, all or nothing; returns what changed."""
    require_coordinator(actor, plan)
    checker = _Checker(plan)
    rows = [r for n, cells in enumerate(read_rows(name, content), start=2) if (r := checker.row(n, cells))]
    seen: dict[int, int] = {}
    leads: dict[str, tuple[int, Institution | None]] = {}
    for row in rows:
        public_id = row.recommendation.public_id
        if row.recommendation.pk in seen:
            checker.problems.append(
                (
                    row.number,
                    f"recommendation {public_id} is also on row {seen[row.recommendation.pk]}",
                )
            )
        seen[row.recommendation.pk] = row.number
        if row.cluster:
            first = leads.setdefault(row.cluster, (row.number, row.lead))
            if first[1] != row.lead:
                checker.problems.append(
                    (row.number, f"cluster {row.cluster!r} has another lead institution on row {first[0]}")
                )
    if checker.problems:
        checker.problems.sort()
        raise ImportFailed(
            "; ".join(f"row {n}: {p}" for n, p in checker.problems) + ". Nothing was imported.",
            file=name,
        )
    counts = _apply(plan, rows, actor)
    record_event(
        actor=_user(actor), action=TrackingAction.IMPORTED, target=plan, data={"file": name, **counts}
    )
    return counts


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _apply(plan: Plan, rows: list[_Row], actor: Actor) -> dict[str, int]:
    counts = {"rows": len(rows), "clusters_created": 0, "statuses_changed": 0, "actions_added": 0}
    clusters = {c.title: c for c in Cluster.objects.filter(plan=plan)}
    now = timezone.now()
    for row in rows:
        cluster = None
        if row.cluster:
            cluster = clusters.get(row.cluster)
            if cluster is None:
                cluster = clusters[row.cluster] = Cluster.objects.create(plan=plan, title=row.cluster)
                counts["clusters_created"] += 1
            cluster.lead_institution = row.lead
            cluster.save(update_fields=["lead_institution"])
            cluster.supporting_institutions.add(*row.supporting)
            existing = {(a.description, a.institution_id) for a in cluster.actions.all()}
            for a in row.actions:
                if (a.description, a.institution.pk) not in existing:
                    Action.objects.create(
                        cluster=cluster,
                        description=a.description,
                        institution=a.institution,
                        starts_on=a.starts_on,
                        due_on=a.due_on,
                        status=a.status,
                    )
                    existing.add((a.description, a.institution.pk))
                    counts["actions_added"] += 1
        tracked, _ = TrackedRecommendation.objects.get_or_create(plan=plan, recommendation=row.recommendation)
        tracked.cluster = cluster
        if tracked.status != row.status:
            tracked.status, tracked.status_set_by, tracked.status_set_at = row.status, _user(actor), now
            StatusChange.objects.create(
                tracked=tracked, status=row.status, changed_by=_user(actor), changed_at=now
            )
            counts["statuses_changed"] += 1
        tracked.save()
    return counts
