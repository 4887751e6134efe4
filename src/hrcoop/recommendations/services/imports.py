"""Importing files into the registry: the one import behind all formats (``hrcoop import``).

It takes ``ParsedRecommendation`` items from any format's parser and, for a whole run of files, in
one transaction: resolves names against the reference data and computes each record's identity
(``resolver``), merges joint recommendations (recommending States and issues are united; the first
action category is kept and a different one reported), and writes in batches of ``BATCH_SIZE`` with
bulk inserts after one look-up of the batch's keys (``writer``), so that memory does not grow with
the file and the number of queries grows with batches, not rows. Importing a file again adds
nothing; its ``ImportRun.report`` says what, if anything, changed. A dry run does all of it and
rolls back.

A bad row does not stop the reading: every bad row and every unknown label of every file is collected,
and the run then either writes nothing at all and raises ``ImportRejected`` listing them all, or, with
``skip_invalid``, imports the valid rows and writes the rejected ones back in the source's own format
with their reasons, to be corrected and imported again. All or nothing is per run, not per file: a
run is usually the files of one export, which only make sense together.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from hrcoop.core.audit import DeferredEvents
from hrcoop.core.errors import ImportFailed, InvalidInput
from hrcoop.core.events import import_finished, records_changed
from hrcoop.core.models import User
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.importers import FORMATS
from hrcoop.recommendations.importers.base import (
    ImportRejected,
    ParsedRecommendation,
    Problem,
    RejectedRow,
    SourceFacts,
)
from hrcoop.recommendations.models import ImportRun
from hrcoop.recommendations.services.resolver import Entry, Resolver, RowRejected
from hrcoop.recommendations.services.vocabularies import sync_vocabularies
from hrcoop.recommendations.services.writer import BATCH_SIZE, FileImport


def _batches(items: Iterable[ParsedRecommendation], size: int) -> Iterator[list[ParsedRecommendation]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except FileNotFoundError as exc:
        raise ImportFailed("no such file", file=str(path)) from exc
    except OSError as exc:
        raise ImportFailed(f"the file cannot be read ({exc.strerror or exc})", file=str(path)) from exc
    return digest.hexdigest()


def _import_one(
    path: Path,
    *,
    format_name: str,
    actor: User | None,
    new_labels: bool,
    batch_size: int,
    rejects: list[RejectedRow],
    audit: DeferredEvents,
    dry_run: bool,
) -> dict[str, Any]:
    """Import one file in the run's transaction; its rejected rows are added to ``rejects``, its audit
    events to ``audit``. A dry run sends no domain event: what it wrote rolls back, and derived data
    need not follow it."""
    started = time.perf_counter()
    sha256 = _sha256(path)
    previous = list(
        ImportRun.objects.filter(sha256=sha256, finished_at__isnull=False).values_list("pk", flat=True)
    )
    vocabulary_changes = sync_vocabularies()
    run = ImportRun.objects.create(
        format=format_name, file_name=path.name, sha256=sha256, started_at=timezone.now(), actor=actor
    )
    state = FileImport(run, Resolver(str(path), new_labels=new_labels), audit=audit)
    facts = SourceFacts(encoding="")
    rejected: list[RejectedRow] = []

    def readable() -> Iterator[ParsedRecommendation]:
        nonlocal facts
        for parsed in FORMATS[format_name].parse(path):
            if isinstance(parsed, SourceFacts):
                facts = parsed
            elif isinstance(parsed, RejectedRow):
                rejected.append(parsed)
            else:
                yield parsed

    for items in _batches(readable(), batch_size):
        batch: dict[str, Entry] = {}
        for item in items:
            try:
                entry = state.resolver.entry(item)
            except RowRejected as rejection:
                rejected.append(RejectedRow(str(path), item.row, rejection.problems, item.raw, item.dialect))
                continue
            state.rows += 1
            if entry.key in batch:
                state.merge_into(batch[entry.key], entry)
            else:
                batch[entry.key] = entry
        state.write(batch)
    if not previous:  # the same file again is no later export: it neither drops nor restores labels
        state.follow_export()
    if state.rows == 0 and not rejected:
        raise ImportFailed("the file has a header but no recommendation rows", file=str(path))
    rejects += rejected
    report = {
        "file": str(path),
        "format": format_name,
        "sha256": sha256,
        "encoding": facts.encoding,
        "warnings": facts.warnings,
        "import_run": run.pk,
        "same_file_imported_before": previous,
        "vocabulary_changes": vocabulary_changes,
        "labels_added": state.resolver.added_labels,
        **state.report(),
        "rows": state.rows + len(rejected),
        "rows_rejected": len(rejected),
        "rejected": [
            {"row": reject.row, "reason": reject.reason, "problems": [p.as_dict() for p in reject.problems]}
            for reject in rejected
        ],
        "unknown_labels": state.resolver.unknown_label_report(),
    }
    report["seconds"] = round(time.perf_counter() - started, 3)
    run.finished_at = timezone.now()
    run.rows = report["rows"]
    run.created = report["records_created"]
    run.updated = report["records_updated"]
    run.unchanged = report["records_unchanged"]
    run.report = report
    run.save()
    if not dry_run:
        import_finished.send(import_run_id=run.pk, created_records=bool(report["records_created"]))
        if state.updated_ids:  # new recommending States, labels or responses of records it found
            records_changed.send(ids=sorted(state.updated_ids), text_changed=False)
    summary = {k: v for k, v in report.items() if not k.endswith("_samples") and k != "rejected"}
    audit.record_event(actor=actor, action=RecommendationAction.FILE_IMPORTED, target=run, data=summary)
    return report


def import_file(
    path: Path, *, format_name: str, actor: User | None, dry_run: bool = False, new_labels: bool = False
) -> dict[str, Any]:
    """Import one file, all or nothing; return its report (JSON-able). See ``import_files``."""
    return import_files([path], format_name=format_name, actor=actor, dry_run=dry_run, new_labels=new_labels)[
        0
    ]


@transaction.atomic
def import_files(
    files: Iterable[Path],
    *,
    format_name: str,
    actor: User | None,
    dry_run: bool = False,
    new_labels: bool = False,
    skip_invalid: Path | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[dict[str, Any]]:
    """Import the files of one run, all or nothing; return each file's report (JSON-able).

    Every file is read to its end, whatever is wrong with the others. When any row is bad (or a file
    cannot be read at all), nothing is written and ``ImportRejected`` lists every problem of every
    file, unknown labels included. With ``skip_invalid`` the valid rows are imported and the rejected
    ones are written to that file in the source's own format, with a reason column
    (``FormatParser.write_rejects``); a file that cannot be read at all still stops the run, as its
    rows cannot be written back. ``new_labels``: add the issues, themes and affected persons the
    vocabulary does not know (a later export's new ones) instead of rejecting their rows; the report
    lists them (``labels_added``). A dry run does everything, writes the rejects file if asked, and
    rolls back.

    The run's audit events are its last writes: collected file by file and appended to the chain just
    before the run commits, so that other audited writes do not wait for the whole import
    (``core.audit.DeferredEvents``).
    """
    parser = FORMATS.get(format_name)
    if parser is None:
        raise InvalidInput(f"unknown import format {format_name!r}: one of {', '.join(sorted(FORMATS))}")
    reports: list[dict[str, Any]] = []
    unreadable: list[Problem] = []
    rejects: list[RejectedRow] = []
    audit = DeferredEvents()
    for path in map(Path, files):
        events = DeferredEvents()  # kept only if the file's savepoint is
        try:
            with transaction.atomic():  # a file that breaks off part-way leaves nothing behind
                report = _import_one(
                    path,
                    format_name=format_name,
                    actor=actor,
                    new_labels=new_labels,
                    batch_size=batch_size,
                    rejects=rejects,
                    audit=events,
                    dry_run=dry_run,
                )
        except ImportFailed as error:
            unreadable.append(Problem.of(error))
            continue
        audit.extend(events)
        report["dry_run"] = dry_run
        if dry_run:
            report["import_run"] = None
        reports.append(report)
    if unreadable or (rejects and skip_invalid is None):
        problems = [*unreadable, *(problem for reject in rejects for problem in reject.problems)]
        raise ImportRejected(problems, reports=reports)
    if skip_invalid is not None and rejects:
        written = parser.write_rejects(Path(skip_invalid), _one_per_row(rejects))
        for report in reports:
            report["rejects_written_to"] = [str(path) for path in written]
    if dry_run:
        transaction.set_rollback(True)
    else:
        audit.write()
    return reports


def _one_per_row(rejects: list[RejectedRow]) -> list[RejectedRow]:
    """One rejected row per source row, in the order of the files and their rows: a UHRI annotation
    about two States is one row, with both reasons."""
    rows: dict[tuple[str, int], RejectedRow] = {}
    for reject in rejects:
        if (reject.file, reject.row) in rows:
            kept = rows[(reject.file, reject.row)]
            kept.problems += [p for p in reject.problems if p not in kept.problems]
        else:
            rows[(reject.file, reject.row)] = RejectedRow(
                reject.file, reject.row, list(reject.problems), reject.raw, reject.dialect
            )
    files = list(dict.fromkeys(file for file, _ in rows))
    return [rows[key] for key in sorted(rows, key=lambda key: (files.index(key[0]), key[1]))]
