"""Every write to the registry: the one writer behind all importers, and the label vocabularies.

The writer takes ``ParsedRecommendation`` items from any format's parser and, per file, in one
transaction (all or nothing): resolves names against the reference data, computes each record's
identity (see ``hrcoop.recommendations.models``), merges joint recommendations (recommending States and
issues are united; the first action category is kept and a different one reported), and writes in
batches of ``BATCH_SIZE`` with bulk inserts after one look-up of the batch's keys, so that memory
does not grow with the file and the number of queries grows with batches, not rows. Importing a file
again adds nothing; its ``ImportRun.report`` says what, if anything, changed. A dry run does all of
it and rolls back.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from hrcoop.core.audit import record_event, record_events
from hrcoop.core.errors import ImportFailed, InvalidInput
from hrcoop.core.events import import_finished, records_changed, reference_changed
from hrcoop.core.models import User
from hrcoop.recommendations.bulk import insert_rows, reserve_ids, rows_by_key
from hrcoop.recommendations.importers import FORMATS
from hrcoop.recommendations.importers.base import ParsedRecommendation
from hrcoop.recommendations.models import (
    CORRECTED,
    RESPONSE_RECORDED,
    Classification,
    ImportRun,
    Label,
    LabelAlias,
    LabelKind,
    Provenance,
    Recommendation,
    Response,
)
from hrcoop.reference.models import Mechanism, State, UprSession
from hrcoop.reference.names import StateIndex, name_key

VOCABULARY_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000
ACCEPTED = Classification.Status.ACCEPTED.value
IMPORTED = Provenance.IMPORTED.value
SAMPLE_LIMIT = 50  # changes and conflicts listed in a report; the counts are always complete


def fold_text(text: str) -> str:
    """The text as identity sees it: Unicode-composed, whitespace collapsed and stripped, casefolded."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def identity_key(*, mechanism: str, state_iso3: str, session: int | None, text: str, response: str) -> str:
    return _identity(
        identity_stem(mechanism=mechanism, state_iso3=state_iso3, session=session, text=text), response
    )


def identity_stem(*, mechanism: str, state_iso3: str, session: int | None, text: str) -> str:
    """What identifies a recommendation apart from its response (see ``identity_key``)."""
    return "|".join([mechanism, state_iso3, "" if session is None else str(session), fold_text(text)])


def _identity(stem: str, response: str) -> str:
    return hashlib.sha256("|".join((stem, response)).encode()).hexdigest()


PENDING = Response.PENDING.value
DECIDED = (Response.SUPPORTED.value, Response.SUPPORTED_IN_PART.value, Response.NOTED.value)


def response_twins(stem: str, response: str) -> list[str]:
    """The keys under which the same recommendation may already be in the registry with another
    response: for a response, the record made while it was pending; for a pending row (an older
    export read after a newer one), the records made with each response."""
    if response == PENDING:
        return [_identity(stem, decided) for decided in DECIDED]
    return [_identity(stem, PENDING)] if response in DECIDED else []


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648


def public_id_for(key: str) -> str:
    """A short stable id: "R" and the first 50 bits of the identity key in ten base32 characters."""
    bits = int(key[:13], 16) >> 2
    return "R" + "".join(_BASE32[(bits >> shift) & 31] for shift in range(45, -1, -5))


# --- vocabularies ---------------------------------------------------------------------------------


def _vocabulary_rows() -> Iterator[dict[str, str]]:
    import csv

    for path in sorted(VOCABULARY_DIR.glob("labels_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)


@transaction.atomic
def create_labels(labels: Sequence[Label]) -> list[Label]:
    """Add labels to the vocabularies, in one statement; returns them with their keys.

    A new label changes what records may show (a facet value, a name on a page): one
    ``reference_changed`` for all of them raises the registry's version. The vocabulary files, an
    import's new labels (``--new-labels``) and the SDG models' goals and targets all add labels here.
    """
    if not labels:
        return []
    created = Label.objects.bulk_create(labels)
    reference_changed.send()
    return created


def sync_vocabularies() -> int:
    """Create the labels and aliases of ``data/labels_*.csv`` that are missing; rename changed ones.

    Runs inside each import's transaction (two queries when nothing changed). Returns how many labels
    and aliases it created or renamed.
    """
    labels = {
        (kind, code): (pk, name)
        for pk, kind, code, name in Label.objects.values_list("pk", "kind", "code", "name")
    }
    aliases = set(LabelAlias.objects.values_list("kind", "key"))
    renamed = 0
    rows = list(_vocabulary_rows())
    new_labels: list[Label] = []
    for row in rows:
        current = labels.get((row["kind"], row["code"]))
        if current is None:
            new_labels.append(Label(kind=row["kind"], code=row["code"], name=row["name"]))
        elif current[1] != row["name"]:
            Label.objects.filter(pk=current[0]).update(name=row["name"])
            renamed += 1
    for label in create_labels(new_labels):
        labels[(label.kind, label.code)] = (label.pk, label.name)
    new_aliases: list[LabelAlias] = []
    for row in rows:
        label_id = labels[(row["kind"], row["code"])][0]
        for alias in filter(None, row["aliases"].split("|")):
            key = name_key(alias)
            if (row["kind"], key) not in aliases:
                aliases.add((row["kind"], key))
                new_aliases.append(LabelAlias(label_id=label_id, kind=row["kind"], key=key))
    LabelAlias.objects.bulk_create(new_aliases)
    if renamed:  # a renamed label changes what records show
        reference_changed.send()
    return len(new_labels) + renamed + len(new_aliases)


# --- resolving names -----------------------------------------------------------------------------


@dataclass
class _Entry:
    """One record-to-be: the fields of the first row, and what all its rows add up to."""

    key: str
    stem: str
    row: int
    fields: dict[str, Any]
    recommending: set[int] = field(default_factory=set)
    labels: set[int] = field(default_factory=set)
    action: int | None = None


# Vocabularies a source may extend (``--new-labels``); action categories and SDG codes are fixed scales.
OPEN_KINDS = (LabelKind.ISSUE, LabelKind.THEME, LabelKind.AFFECTED_PERSONS)


class _Resolver:
    """Reference data held in memory for one file: States, sessions, mechanisms, labels.

    With ``new_labels``, a label of an open vocabulary (``OPEN_KINDS``) that matches no label or
    alias is added to the vocabulary, in the file's transaction, and listed in ``added_labels``;
    without it, the import stops and names the row and value.
    """

    def __init__(self, file: str, *, new_labels: bool = False) -> None:
        self.file = file
        self.new_labels = new_labels
        self.added_labels: list[dict[str, Any]] = []
        self.states = StateIndex()
        self.sessions: dict[int, int] = dict(UprSession.objects.values_list("number", "cycle_id"))
        self.mechanisms = set(Mechanism.objects.values_list("code", flat=True))
        self.labels: dict[tuple[str, str], int] = {}
        self.label_codes: dict[int, str] = {}
        self.label_kinds: dict[int, str] = {}
        for pk, kind, code, name in Label.objects.values_list("pk", "kind", "code", "name"):
            self.labels[(kind, name_key(code))] = pk
            self.labels[(kind, name_key(name))] = pk
            self.label_codes[pk] = code
            self.label_kinds[pk] = kind
        for label_id, kind, key in LabelAlias.objects.values_list("label_id", "kind", "key"):
            self.labels.setdefault((kind, key), label_id)
        self.adapt_date = connection.ops.adapt_datefield_value  # once: each lookup of it costs ~7 µs
        # Sources repeat the same few hundred names tens of thousands of times: fold each once.
        self._state_cache: dict[str, State | None] = {}
        self._label_cache: dict[tuple[str, str], int | None] = {}

    def state(self, name: str) -> State | None:
        if name not in self._state_cache:
            self._state_cache[name] = self.states.get(name)
        return self._state_cache[name]

    def label(self, kind: str, value: str) -> int | None:
        if (kind, value) not in self._label_cache:
            self._label_cache[(kind, value)] = self.labels.get((kind, name_key(value)))
        return self._label_cache[(kind, value)]

    def add_label(self, kind: str, value: str, *, row: int) -> int:
        """A new label of ``kind`` named ``value``, with a code made from its name (unique in its kind)."""
        base = slugify(value)[:100] or "label"
        taken = {code for pk, code in self.label_codes.items() if self.label_kinds[pk] == kind}
        code = next(c for c in (base, *(f"{base}-{n}" for n in range(2, 10_000))) if c not in taken)
        [label] = create_labels([Label(kind=kind, code=code, name=value[:200])])
        self.labels[(kind, name_key(code))] = self.labels[(kind, name_key(value))] = label.pk
        self.label_codes[label.pk], self.label_kinds[label.pk] = code, kind
        self._label_cache[(kind, value)] = label.pk
        self.added_labels.append({"kind": kind, "code": code, "name": value, "row": row})
        return label.pk

    def _fail(self, item: ParsedRecommendation, column_of: str, message: str) -> ImportFailed:
        return ImportFailed(message, file=self.file, row=item.row, column=item.columns.get(column_of))

    def entry(self, item: ParsedRecommendation) -> _Entry:
        state = self.state(item.state_under_review)
        if state is None:
            raise self._fail(
                item,
                "state_under_review",
                f"unknown State {item.state_under_review!r}: not a UN Member or observer "
                "State name we know (add the spelling to the reference data if it is one)",
            )
        recommending = set()
        for name in item.recommending_states:
            other = self.state(name)
            if other is None:
                raise self._fail(
                    item,
                    "recommending_states",
                    f"unknown recommending State {name!r}: not a UN Member or observer State name we know",
                )
            recommending.add(other.pk)
        if item.mechanism not in self.mechanisms:
            raise self._fail(item, "mechanism", f"unknown mechanism {item.mechanism!r}")
        cycle = item.cycle
        if item.session is not None:
            if item.session not in self.sessions:
                raise self._fail(item, "session", f"unknown UPR session {item.session}")
            cycle = cycle or self.sessions[item.session]
        stem = identity_stem(
            mechanism=item.mechanism, state_iso3=state.iso3, session=item.session, text=item.text
        )
        entry = _Entry(
            key=_identity(stem, item.response),
            stem=stem,
            row=item.row,
            fields={
                "source_id": item.source_id,
                "mechanism": item.mechanism,
                "document_symbol": item.document_symbol,
                "paragraph": item.paragraph,
                "cycle": cycle,
                "session": item.session,
                "date": self.adapt_date(item.date),
                "state_under_review": state.pk,
                "text": item.text,
                "language": item.language,
                "response": Response(item.response).value,
                "response_source": item.response_source,
            },
            recommending=recommending,
        )
        for kind, value in item.labels:
            label_id = self.label(kind, value)
            if label_id is None and self.new_labels and kind in OPEN_KINDS:
                label_id = self.add_label(kind, value, row=item.row)
            if label_id is None:
                remedy = (
                    " (add it, or an alias, to recommendations/data/labels_*.csv, or import with "
                    "--new-labels to add it as a new label)"
                    if kind in OPEN_KINDS
                    else ""
                )
                raise self._fail(
                    item, kind, f"unknown {kind.replace('_', ' ')} {value!r}: not in the vocabulary{remedy}"
                )
            if kind == LabelKind.ACTION_CATEGORY:
                if entry.action is None:
                    entry.action = label_id
            else:
                entry.labels.add(label_id)
        return entry


# --- the writer ----------------------------------------------------------------------------------

# The columns of a record taken from the parsed row (``_Entry.fields``), in insert order.
RECORD_FIELDS = (
    "source_id",
    "mechanism",
    "document_symbol",
    "paragraph",
    "cycle",
    "session",
    "date",
    "state_under_review",
    "text",
    "language",
    "response",
    "response_source",
)


class _FileImport:
    """The state of one file's import: counts, samples of changes, and the batch writer."""

    def __init__(self, run: ImportRun, resolver: _Resolver) -> None:
        self.run = run
        self.resolver = resolver
        self.rows = 0
        self.created = 0
        self.joint_rows = 0
        self.duplicate_rows = 0
        self.updated_ids: set[int] = set()
        self.touched_ids: set[int] = set()  # records that existed before this file (re-imports only)
        self.changes: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.conflict_count = 0
        self.answered: dict[int, str] = {}  # pending records this file answered: the row's key
        self.public_ids: dict[str, str] = {}  # keys whose record was made under another key

    def public_id(self, key: str) -> str:
        return self.public_ids.get(key) or public_id_for(key)

    def _conflict(self, key: str, row: int, kept: int, ignored: int) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < SAMPLE_LIMIT:
            codes = self.resolver.label_codes
            # The key, not yet its public id: rows merge before their batch finds the record they continue.
            self.conflicts.append({"row": row, "key": key, "kept": codes[kept], "ignored": codes[ignored]})

    def merge_into(self, entry: _Entry, other: _Entry) -> None:
        """A later row of the same record within one batch: unite what it adds."""
        added_states = other.recommending - entry.recommending
        entry.recommending |= other.recommending
        entry.labels |= other.labels
        if other.action is not None:
            if entry.action is None:
                entry.action = other.action
            elif entry.action != other.action:
                self._conflict(entry.key, other.row, entry.action, other.action)
        if added_states:
            self.joint_rows += 1
        else:
            self.duplicate_rows += 1

    def _existing(self, batch: dict[str, _Entry]) -> dict[str, tuple[int, int | None]]:
        """The batch's records already in the registry, by the batch's keys: ``(id, first import)``.

        A key that is not there may be there under another response (``response_twins``): a record
        made while pending continues with the response this row brings (set here with the identity
        key that goes with it, its public id unchanged, and counted in ``responses_recorded``); a
        pending row joins the one record with a response, if there is exactly one, and changes
        nothing of it. A record claimed by one response in a batch is not
        claimed by another: a recommendation split into several responses gets the others as records.
        """
        twins = {key: response_twins(entry.stem, entry.fields["response"]) for key, entry in batch.items()}
        found = {
            key: (pk, first_import, response, public_id)
            for key, pk, first_import, response, public_id in rows_by_key(
                Recommendation,
                "identity_key",
                [*batch, *(twin for keys in twins.values() for twin in keys)],
                ["id", "first_import", "response", "public_id"],
            )
        }
        existing = {key: found[key][:2] for key in batch if key in found}
        claimed: dict[int, str] = {}
        answered: list[Recommendation] = []
        for key, entry in batch.items():
            candidates = [found[twin] for twin in twins[key] if twin in found]
            if key in existing or len(candidates) != 1:
                continue
            pk, first_import, response, public_id = candidates[0]
            wanted = entry.fields["response"]
            if wanted != PENDING and response not in (PENDING, wanted):
                continue  # answered otherwise already: another record, as its response says
            if claimed.setdefault(pk, wanted) != wanted:
                continue
            existing[key] = (pk, first_import)
            self.public_ids[key] = public_id  # made under its first response's key
            if response == PENDING and wanted != PENDING:
                self.answered[pk] = key
                answered.append(
                    Recommendation(
                        pk=pk,
                        identity_key=key,
                        response=wanted,
                        response_source=entry.fields["response_source"],
                        updated_at=timezone.now(),
                    )
                )
        Recommendation.objects.bulk_update(
            answered, ["identity_key", "response", "response_source", "updated_at"], batch_size=500
        )
        record_events(  # each record's public history: when its answer arrived, and from where
            actor=self.run.actor,
            action=RESPONSE_RECORDED,
            changes=[
                (
                    record,
                    {
                        "from": PENDING,
                        "to": record.response,
                        "source": record.response_source,
                        "file": self.run.file_name,
                        "import_run": self.run.pk,
                    },
                )
                for record in answered
            ],
        )
        return existing

    def write(self, batch: dict[str, _Entry]) -> None:
        existing = self._existing(batch)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        new_keys = [key for key in batch if key not in existing]
        new_ids = reserve_ids(Recommendation, len(new_keys))
        insert_rows(
            Recommendation,
            ["id", *RECORD_FIELDS, "identity_key", "public_id", "first_import", "created_at", "updated_at"],
            [
                (
                    pk,
                    *(batch[key].fields[name] for name in RECORD_FIELDS),
                    key,
                    public_id_for(key),
                    self.run.pk,
                    now,
                    now,
                )
                for pk, key in zip(new_ids, new_keys, strict=True)
            ],
        )
        self.created += len(new_keys)
        ids = {key: pk for key, (pk, _) in existing.items()}
        ids.update(zip(new_keys, new_ids, strict=True))
        old_ids = [pk for pk, _ in existing.values()]
        through = Recommendation.recommending_states.through
        have_states = set(
            through.objects.filter(recommendation_id__in=old_ids).values_list("recommendation_id", "state_id")
        )
        have_labels: set[tuple[int, int]] = set()
        have_action: dict[int, int] = {}
        for rec_id, label_id, kind in Classification.objects.filter(
            recommendation_id__in=old_ids
        ).values_list("recommendation_id", "label_id", "kind"):
            have_labels.add((rec_id, label_id))
            if kind == LabelKind.ACTION_CATEGORY:
                have_action.setdefault(rec_id, label_id)
        state_rows: list[tuple[int, int]] = []
        label_rows: list[tuple[Any, ...]] = []
        kinds = self.resolver.label_kinds
        for key, entry in batch.items():
            rec_id = ids[key]
            states = [s for s in sorted(entry.recommending) if (rec_id, s) not in have_states]
            labels = [lab for lab in sorted(entry.labels) if (rec_id, lab) not in have_labels]
            if entry.action is not None and (rec_id, entry.action) not in have_labels:
                if rec_id in have_action:
                    self._conflict(key, entry.row, have_action[rec_id], entry.action)
                else:
                    labels.append(entry.action)
            if key in existing:  # two keys of a batch can be one record (a pending row and its answer)
                have_states.update((rec_id, s) for s in states)
                have_labels.update((rec_id, lab) for lab in labels)
                if entry.action in labels:
                    have_action[rec_id] = entry.action
            state_rows += [(rec_id, s) for s in states]
            label_rows += [
                (rec_id, lab, kinds[lab], ACCEPTED, IMPORTED, self.run.pk, "", now) for lab in labels
            ]
            if key not in existing:
                continue
            if existing[key][1] == self.run.pk:  # made earlier in this file: a joint or duplicate row
                if states:
                    self.joint_rows += 1
                else:
                    self.duplicate_rows += 1
                continue
            self.touched_ids.add(rec_id)
            responded = self.answered.get(rec_id) == key
            if states or labels or responded:
                self.updated_ids.add(rec_id)
                if len(self.changes) < SAMPLE_LIMIT:
                    change: dict[str, Any] = {
                        "public_id": self.public_id(key),
                        "row": entry.row,
                        "added_recommending_states": len(states),
                        "added_labels": [self.resolver.label_codes[lab] for lab in labels],
                    }
                    if responded:
                        change["response"] = {"from": PENDING, "to": entry.fields["response"]}
                    self.changes.append(change)
        insert_rows(through, ["recommendation", "state"], state_rows)
        insert_rows(
            Classification,
            [
                "recommendation",
                "label",
                "kind",
                "status",
                "provenance",
                "import_run",
                "model_version",
                "created_at",
            ],
            label_rows,
        )

    def report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "records_created": self.created,
            "records_updated": len(self.updated_ids),
            "records_unchanged": len(self.touched_ids - self.updated_ids),
            "responses_recorded": len(self.answered),
            "joint_rows_merged": self.joint_rows,
            "duplicate_rows": self.duplicate_rows,
            "action_category_conflicts": self.conflict_count,
            "conflict_samples": [
                {
                    "row": c["row"],
                    "public_id": self.public_id(c["key"]),
                    "kept": c["kept"],
                    "ignored": c["ignored"],
                }
                for c in self.conflicts
            ],
            "change_samples": self.changes,
        }


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


@transaction.atomic
def import_file(
    path: Path, *, format_name: str, actor: User | None, dry_run: bool = False, new_labels: bool = False
) -> dict[str, Any]:
    """Import one file, all or nothing; return its report (JSON-able).

    ``new_labels``: add the issues, themes and affected persons the vocabulary does not know (a later
    export's new ones) instead of stopping at the first; the report lists them (``labels_added``).
    """
    parser = FORMATS.get(format_name)
    if parser is None:
        raise InvalidInput(f"unknown import format {format_name!r}: one of {', '.join(sorted(FORMATS))}")
    path = Path(path)
    started = time.perf_counter()
    sha256 = _sha256(path)
    previous = list(
        ImportRun.objects.filter(sha256=sha256, finished_at__isnull=False).values_list("pk", flat=True)
    )
    vocabulary_changes = sync_vocabularies()
    run = ImportRun.objects.create(
        format=format_name, file_name=path.name, sha256=sha256, started_at=timezone.now(), actor=actor
    )
    state = _FileImport(run, _Resolver(str(path), new_labels=new_labels))
    for items in _batches(parser.parse(path), BATCH_SIZE):
        batch: dict[str, _Entry] = {}
        for item in items:
            entry = state.resolver.entry(item)
            if entry.key in batch:
                state.merge_into(batch[entry.key], entry)
            else:
                batch[entry.key] = entry
        state.rows += len(items)
        state.write(batch)
    if state.rows == 0:
        raise ImportFailed("the file has a header but no recommendation rows", file=str(path))
    report = {
        "file": str(path),
        "format": format_name,
        "sha256": sha256,
        "dry_run": dry_run,
        "import_run": None if dry_run else run.pk,
        "same_file_imported_before": previous,
        "vocabulary_changes": vocabulary_changes,
        "labels_added": state.resolver.added_labels,
        **state.report(),
    }
    report["seconds"] = round(time.perf_counter() - started, 3)
    run.finished_at = timezone.now()
    run.rows = state.rows
    run.created = report["records_created"]
    run.updated = report["records_updated"]
    run.unchanged = report["records_unchanged"]
    run.report = report
    run.save()
    if dry_run:
        transaction.set_rollback(True)
    else:
        import_finished.send(import_run_id=run.pk, created_records=bool(report["records_created"]))
        if state.updated_ids:  # new recommending States, labels or responses of records it found
            records_changed.send(ids=sorted(state.updated_ids), text_changed=False)
        summary = {k: v for k, v in report.items() if not k.endswith("_samples")}
        record_event(actor=actor, action="recommendations.import_file", target=run, data=summary)
    return report


def import_files(
    files: Iterable[Path],
    *,
    format_name: str,
    actor: User | None,
    dry_run: bool = False,
    new_labels: bool = False,
) -> list[dict[str, Any]]:
    """Import each file in its own transaction; a failing file raises and leaves the ones before it."""
    if format_name not in FORMATS:
        raise InvalidInput(f"unknown import format {format_name!r}: one of {', '.join(sorted(FORMATS))}")
    return [
        import_file(Path(path), format_name=format_name, actor=actor, dry_run=dry_run, new_labels=new_labels)
        for path in files
    ]


# --- corrections by the secretariat --------------------------------------------------------------

# What a person may correct on a record; identity (State, session, mechanism, public id) never changes.
EDITABLE_FIELDS = (
    "text",
    "language",
    "response",
    "response_source",
    "document_symbol",
    "paragraph",
    "date",
    "source_id",
)


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation, *, actor: User | None, changes: dict[str, Any]
) -> Recommendation:
    """Correct fields of a record (from the admin); the old and new values go to the audit log.

    The identity key and public id stay as first computed, so links and re-imports keep finding the
    record.
    """
    not_editable = sorted(set(changes) - set(EDITABLE_FIELDS))
    if not_editable:
        raise InvalidInput(f"these fields cannot be changed: {', '.join(not_editable)}")
    if "response" in changes and changes["response"] not in Response.values:
        raise InvalidInput(f"unknown response {changes['response']!r}", where="response")
    if "text" in changes and not str(changes["text"]).strip():
        raise InvalidInput("the text cannot be empty", where="text")
    before = {name: getattr(recommendation, name) for name in changes}
    for name, value in changes.items():
        setattr(recommendation, name, value)
    recommendation.save(update_fields=[*changes, "updated_at"])
    records_changed.send(ids=[recommendation.pk], text_changed=bool({"text", "language"} & set(changes)))
    record_event(
        actor=actor,
        action=CORRECTED,
        target=recommendation,
        data={"before": before, "after": changes},
    )
    return recommendation
