"""Every write to the registry: the one writer behind all importers, and the label vocabularies.

The writer takes ``ParsedRecommendation`` items from any format's parser and, for a whole run of
files, in one transaction: resolves names against the reference data, computes each record's
identity (see ``hrcoop.recommendations.models``), merges joint recommendations (recommending States and
issues are united; the first action category is kept and a different one reported), and writes in
batches of ``BATCH_SIZE`` with bulk inserts after one look-up of the batch's keys, so that memory
does not grow with the file and the number of queries grows with batches, not rows. Importing a file
again adds nothing; its ``ImportRun.report`` says what, if anything, changed. A dry run does all of
it and rolls back.

A bad row does not stop the reading: every bad row and every unknown label of every file is collected,
and the run then either writes nothing at all and raises ``ImportRejected`` listing them all, or, with
``skip_invalid``, imports the valid rows and writes the rejected ones back in the source's own format
with their reasons, to be corrected and imported again. All or nothing is per run, not per file: a
run is usually the files of one export, which only make sense together.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count, islice
from pathlib import Path
from typing import Any

import ftfy
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from hrcoop.core.audit import record_event, record_events
from hrcoop.core.errors import ImportFailed, InvalidInput
from hrcoop.core.events import import_finished, records_changed, reference_changed
from hrcoop.core.models import User
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.bulk import insert_rows, reserve_ids, rows_by_key
from hrcoop.recommendations.importers import FORMATS
from hrcoop.recommendations.importers.base import (
    ImportRejected,
    ParsedRecommendation,
    Problem,
    RejectedRow,
    SourceFacts,
)
from hrcoop.recommendations.models import (
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
from hrcoop.reference.translations import names_file

VOCABULARY_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000
ACCEPTED = Classification.Status.ACCEPTED.value
SUPERSEDED = Classification.Status.SUPERSEDED.value
IMPORTED = Provenance.IMPORTED.value
SAMPLE_LIMIT = 50  # changes and conflicts listed in a report; the counts are always complete
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# Everything but letters and digits: punctuation, brackets, symbols, whitespace (``\w`` less "_").
NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def fold_text(text: str) -> str:
    """The text as identity sees it: its letters and digits only, mis-decoded characters repaired,
    Unicode-normalised (NFKC) and casefolded.

    Exports of one source differ in the details of one recommendation's text - a final full stop,
    "OP-CAT" or "OPCAT", a space before a bracket, a double space, "GuaranÃ­" where a tool read UTF-8
    as Latin-1 - and each of those made a second record (20 such pairs in UPR Info's 2015 export
    alone). Only the words and numbers identify it. ``ftfy`` repairs the mis-decoding; it runs only on
    texts that are not plain ASCII, which most are. Migration 0006 applies this to the records
    imported before it.
    """
    if not text.isascii():
        text = ftfy.fix_text(text, normalization="NFKC")
    return NOT_LETTERS_OR_DIGITS.sub("", text.casefold())


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
    response: for a response, the record made while it was pending, then those with another
    response (an earlier export said otherwise); for a pending row (an older export read after a
    newer one), the records made with each response."""
    if response == PENDING:
        return [_identity(stem, decided) for decided in DECIDED]
    if response not in DECIDED:
        return []
    return [_identity(stem, other) for other in (PENDING, *DECIDED) if other != response]


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648


def public_id_for(key: str) -> str:
    """A short id: "R" and the first 50 bits of a hex digest in ten base32 characters."""
    bits = int(key[:13], 16) >> 2
    return "R" + "".join(_BASE32[(bits >> shift) & 31] for shift in range(45, -1, -5))


def public_id_choices(stem: str, key: str) -> Iterator[str]:
    """A new record's public ids, in order of preference: it takes the first no record has.

    The first comes from the identity stem, without the response, so that it does not depend on when
    the response arrived: a record imported as pending and answered later, and the same record
    imported answered at once, have one id on every installation. Only a recommendation that the
    State answered in two ways (two records of one stem: UPR Info's rows of one text with different
    responses) needs the next, made from its identity key. That one can be taken too, by a record
    made under the same key whose response later changed (it keeps its id); the ones after it are
    numbered, and stay the same on every installation that imported the same files in order.
    """
    yield public_id_for(hashlib.sha256(stem.encode()).hexdigest())
    yield public_id_for(key)
    for number in count(1):
        yield public_id_for(hashlib.sha256(f"{key}#{number}".encode()).hexdigest())


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
    """Create the labels and aliases of ``data/labels_*.csv`` that are missing; rename changed ones,
    in English and in the other UN languages (``data/label_names.csv``).

    Runs inside each import's transaction (two queries when nothing changed). Returns how many labels
    and aliases it created or renamed.
    """
    labels = {
        (kind, code): (pk, name, names)
        for pk, kind, code, name, names in Label.objects.values_list("pk", "kind", "code", "name", "names")
    }
    translated = names_file(VOCABULARY_DIR / "label_names.csv")
    aliases = set(LabelAlias.objects.values_list("kind", "key"))
    renamed = 0
    rows = list(_vocabulary_rows())
    new_labels: list[Label] = []
    for row in rows:
        current = labels.get((row["kind"], row["code"]))
        names = translated.get((row["kind"], row["code"]), {})
        if current is None:
            new_labels.append(Label(kind=row["kind"], code=row["code"], name=row["name"], names=names))
        elif current[1:] != (row["name"], names):
            Label.objects.filter(pk=current[0]).update(name=row["name"], names=names)
            renamed += 1
    for label in create_labels(new_labels):
        labels[(label.kind, label.code)] = (label.pk, label.name, label.names)
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
        # (kind, value as written) of the labels the vocabulary does not know -> (rows, first row)
        self.unknown_labels: dict[tuple[str, str], list[int]] = {}

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

    def entry(self, item: ParsedRecommendation) -> _Entry:
        """The row resolved, or ``RowRejected`` with every problem it has (not only the first)."""
        problems: list[Problem] = []

        def fail(column_of: str, message: str) -> None:
            problems.append(Problem(self.file, message, item.row, item.columns.get(column_of)))

        for column_of, value in _texts(item):
            if "\x00" in value:
                fail(column_of, "holds a NUL character (\\x00), which no database stores: remove it")
            surrogate = _LONE_SURROGATE.search(value)
            if surrogate:  # JSON's "\ud800" escape decodes to one; no database or UTF-8 file can hold it
                fail(
                    column_of,
                    f"holds {surrogate.group()!r}, half of a UTF-16 pair and not a character: correct it",
                )
        if problems:  # the names and labels below would only repeat it
            raise RowRejected(problems)
        state = self.state(item.state_under_review)
        if state is None:
            fail(
                "state_under_review",
                f"unknown State {item.state_under_review!r}: not a UN Member or observer "
                "State name we know (add the spelling to the reference data if it is one)",
            )
        recommending = set()
        for name in item.recommending_states:
            other = self.state(name)
            if other is None:
                fail(
                    "recommending_states",
                    f"unknown recommending State {name!r}: not a UN Member or observer State name we know",
                )
            else:
                recommending.add(other.pk)
        if item.mechanism not in self.mechanisms:
            fail("mechanism", f"unknown mechanism {item.mechanism!r}")
        cycle = item.cycle
        if item.session is not None:
            if item.session not in self.sessions:
                fail("session", f"unknown UPR session {item.session}")
            else:
                cycle = cycle or self.sessions[item.session]
        labels: set[int] = set()
        action: int | None = None
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
                fail(kind, f"unknown {kind.replace('_', ' ')} {value!r}: not in the vocabulary{remedy}")
                self.unknown_labels.setdefault((kind, value), [0, item.row])[0] += 1
            elif kind == LabelKind.ACTION_CATEGORY:
                action = label_id if action is None else action
            else:
                labels.add(label_id)
        if problems or state is None:
            raise RowRejected(problems)
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
                # A mis-decoded text ("GuaranÃ­") is stored repaired; ``fold_text`` already matches it.
                "text": item.text if item.text.isascii() else ftfy.fix_encoding(item.text),
                "language": item.language,
                "response": Response(item.response).value,
                "response_source": item.response_source,
            },
            recommending=recommending,
            labels=labels,
            action=action,
        )
        return entry

    def unknown_label_report(self) -> list[dict[str, Any]]:
        return [
            {"kind": kind, "value": value, "rows": rows, "first_row": first}
            for (kind, value), (rows, first) in self.unknown_labels.items()
        ]


class RowRejected(ImportFailed):
    """A row the resolver cannot accept: where and why as its first problem; ``problems`` lists all."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, row=first.row, column=first.column)
        self.problems = problems


def _texts(item: ParsedRecommendation) -> Iterator[tuple[str, str]]:
    """Every text of a row that would be stored or looked up, with the field (or label kind) it is in."""
    yield "state_under_review", item.state_under_review
    yield "text", item.text
    for name in item.recommending_states:
        yield "recommending_states", name
    for name in ("document_symbol", "paragraph", "source_id", "language", "response_source"):
        yield name, getattr(item, name)
    yield from item.labels


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
        # Every record a row of this file has reached: the first row of each is counted as created,
        # updated or unchanged, every later one - in the same batch or any later - as merged or duplicate.
        self.seen_ids: set[int] = set()
        self.changes: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.conflict_count = 0
        # Records whose response this file set or changed: the row's key and the response before.
        self.answered: dict[int, tuple[str, str]] = {}
        self.responses_changed: list[dict[str, Any]] = []  # all of them: a State changing its answer
        # Records made before this file that its rows reach: the labels and the action category the
        # rows carry for each (``follow_export``); pending rows of an older export are left out.
        self.carried: dict[int, set[int]] = {}
        self.carried_action: dict[int, int] = {}
        self.older_rows: set[int] = set()
        self.labels_superseded = 0
        self.labels_restored = 0
        self.label_changes: list[dict[str, Any]] = []
        self.public_ids: dict[str, str] = {}  # the public id of each key's record, once known

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
        nothing of it. A record that an earlier file gave another response follows this later
        export (exports are imported oldest first): its response changes, the old one stays in its
        history (an audit event) and the report lists it (``responses_changed``). A record claimed
        by one response in a file is not claimed by another: a recommendation that one export splits
        into several responses gets the others as records.
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
        direct = {pk for pk, _ in existing.values()}  # records a row of this batch names as they are
        claimed: dict[int, str] = {}
        answered: list[Recommendation] = []
        for key, entry in batch.items():
            candidates = [found[twin] for twin in twins[key] if twin in found]
            wanted = entry.fields["response"]
            if wanted != PENDING and len(candidates) > 1:
                # the pending record if there is one, else the one an earlier file answered otherwise
                candidates = [c for c in candidates if c[2] == PENDING] or candidates
            if key in existing or len(candidates) != 1:
                continue
            pk, first_import, response, public_id = candidates[0]
            changed = wanted != PENDING and response not in (PENDING, wanted)
            if changed and (first_import == self.run.pk or pk in self.seen_ids or pk in direct):
                continue  # this file answers it otherwise too: another record, as its response says
            if claimed.setdefault(pk, wanted) != wanted:
                continue
            existing[key] = (pk, first_import)
            self.public_ids[key] = public_id  # made under its first response's key
            if wanted == PENDING and response != PENDING:
                self.older_rows.add(pk)  # an older export, read after the one that answered it
            if response != wanted and wanted != PENDING:
                self.answered[pk] = (key, response)
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
            action=RecommendationAction.RESPONSE_RECORDED,
            changes=[
                (
                    record,
                    {
                        "from": self.answered[record.pk][1],
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
        choices = {key: public_id_choices(batch[key].stem, key) for key in new_keys}
        preferred = {key: [next(ids), next(ids)] for key, ids in choices.items()}
        wanted = [public_id for pair in preferred.values() for public_id in pair]
        taken = {public_id for public_id, _ in rows_by_key(Recommendation, "public_id", wanted, ["id"])}
        for key, pair in preferred.items():
            public_id = next((p for p in pair if p not in taken), None)
            while public_id is None:  # both taken: rare enough to ask the database one id at a time
                candidate = next(choices[key])
                if candidate not in taken and not Recommendation.objects.filter(public_id=candidate).exists():
                    public_id = candidate
            self.public_ids[key] = public_id
            taken.add(public_id)
        insert_rows(
            Recommendation,
            ["id", *RECORD_FIELDS, "identity_key", "public_id", "first_import", "created_at", "updated_at"],
            [
                (
                    pk,
                    *(batch[key].fields[name] for name in RECORD_FIELDS),
                    key,
                    self.public_ids[key],
                    self.run.pk,
                    now,
                    now,
                )
                for pk, key in zip(new_ids, new_keys, strict=True)
            ],
        )
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
            earlier = key in existing and existing[key][1] != self.run.pk and rec_id not in self.older_rows
            if earlier:
                self.carried.setdefault(rec_id, set()).update(entry.labels)
                if entry.action is not None:
                    self.carried_action.setdefault(rec_id, entry.action)
            states = [s for s in sorted(entry.recommending) if (rec_id, s) not in have_states]
            labels = [lab for lab in sorted(entry.labels) if (rec_id, lab) not in have_labels]
            if entry.action is not None and (rec_id, entry.action) not in have_labels:
                if earlier:
                    pass  # this later export's action category replaces the earlier one: ``follow_export``
                elif rec_id in have_action:
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
            responded = self.answered.get(rec_id, ("", ""))[0] == key
            first_row = rec_id not in self.seen_ids
            self.seen_ids.add(rec_id)
            if key not in existing:
                self.created += 1
                continue
            if not first_row or existing[key][1] == self.run.pk:  # a record this file reached before
                if states:
                    self.joint_rows += 1
                else:
                    self.duplicate_rows += 1
                if existing[key][1] == self.run.pk:
                    continue  # made by this file: created, not updated
            self.touched_ids.add(rec_id)
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
                        change["response"] = {
                            "from": self.answered[rec_id][1],
                            "to": entry.fields["response"],
                        }
                    self.changes.append(change)
            if responded and self.answered[rec_id][1] != PENDING:
                self.responses_changed.append(
                    {
                        "public_id": self.public_id(key),
                        "row": entry.row,
                        "from": self.answered[rec_id][1],
                        "to": entry.fields["response"],
                    }
                )
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

    def follow_export(self) -> None:
        """Make the records this file reached carry the labels it carries, after its last batch.

        An imported label of the same format that none of the record's rows in this file carries any
        more (UPR Info dropped "National plan of action" and "Other") is ``superseded``: kept, with
        the file that imported it, as the record's history, and counted nowhere. One this file
        carries again is accepted again. A changed action category replaces the earlier one. Labels
        set by a person or suggested by a model are left as they are. Each record that changed gets
        one audit event. Done after the last batch because a record's rows may straddle batches.
        """
        ids = sorted(self.carried)
        codes = self.resolver.label_codes
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            rows = Classification.objects.filter(recommendation_id__in=chunk).values_list(
                "pk", "recommendation_id", "label_id", "kind", "status", "provenance", "import_run__format"
            )
            by_record: dict[int, list[tuple[int, int, str, str, bool]]] = {}
            for pk, rec_id, label_id, kind, status, provenance, run_format in rows:
                ours = provenance == IMPORTED and run_format == self.run.format
                by_record.setdefault(rec_id, []).append((pk, label_id, kind, status, ours))
            superseded: list[int] = []
            restored: list[int] = []
            added: list[tuple[Any, ...]] = []
            changes: dict[int, dict[str, list[str]]] = {}
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            for rec_id in chunk:
                carried, action = self.carried[rec_id], self.carried_action.get(rec_id)
                change: dict[str, list[str]] = {"superseded": [], "restored": []}
                have = by_record.get(rec_id, [])
                for pk, label_id, _kind, status, ours in have:
                    keep = label_id in carried or label_id == action
                    if ours and keep and status == SUPERSEDED:
                        restored.append(pk)
                        change["restored"].append(codes[label_id])
                    elif ours and not keep and status == ACCEPTED:
                        superseded.append(pk)
                        change["superseded"].append(codes[label_id])
                stays = [
                    label_id
                    for pk, label_id, kind, status, _ours in have
                    if kind == LabelKind.ACTION_CATEGORY and status == ACCEPTED and pk not in superseded
                ]
                if action is not None and not stays and all(label_id != action for _, label_id, *_ in have):
                    added.append(
                        (rec_id, action, LabelKind.ACTION_CATEGORY, ACCEPTED, IMPORTED, self.run.pk, "", now)
                    )
                    change["restored"].append(codes[action])
                if change["superseded"] or change["restored"]:
                    changes[rec_id] = change
            Classification.objects.filter(pk__in=superseded).update(status=SUPERSEDED)
            Classification.objects.filter(pk__in=restored).update(status=ACCEPTED)
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
                added,
            )
            self.labels_superseded += len(superseded)
            self.labels_restored += len(restored) + len(added)
            if not changes:
                continue
            self.updated_ids.update(changes)
            records = Recommendation.objects.filter(pk__in=list(changes)).only("pk", "public_id")
            record_events(
                actor=self.run.actor,
                action=RecommendationAction.LABELS_FOLLOWED,
                changes=[
                    (record, {**changes[record.pk], "file": self.run.file_name, "import_run": self.run.pk})
                    for record in records
                ],
            )
            for record in records:
                if len(self.label_changes) < SAMPLE_LIMIT:
                    self.label_changes.append({"public_id": record.public_id, **changes[record.pk]})

    def report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "records_created": self.created,
            "records_updated": len(self.updated_ids),
            "records_unchanged": len(self.touched_ids - self.updated_ids),
            "responses_recorded": len(self.answered) - len(self.responses_changed),
            "responses_changed": self.responses_changed,
            "labels_superseded": self.labels_superseded,
            "labels_restored": self.labels_restored,
            "label_change_samples": self.label_changes,
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


def _import_one(
    path: Path,
    *,
    format_name: str,
    actor: User | None,
    new_labels: bool,
    batch_size: int,
    rejects: list[RejectedRow],
    dry_run: bool,
) -> dict[str, Any]:
    """Import one file in the run's transaction; its rejected rows are added to ``rejects``. A dry
    run sends no event: what it wrote rolls back, and derived data need not follow it."""
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
        batch: dict[str, _Entry] = {}
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
    record_event(actor=actor, action=RecommendationAction.FILE_IMPORTED, target=run, data=summary)
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
    """
    parser = FORMATS.get(format_name)
    if parser is None:
        raise InvalidInput(f"unknown import format {format_name!r}: one of {', '.join(sorted(FORMATS))}")
    reports: list[dict[str, Any]] = []
    unreadable: list[Problem] = []
    rejects: list[RejectedRow] = []
    for path in map(Path, files):
        try:
            with transaction.atomic():  # a file that breaks off part-way leaves nothing behind
                report = _import_one(
                    path,
                    format_name=format_name,
                    actor=actor,
                    new_labels=new_labels,
                    batch_size=batch_size,
                    rejects=rejects,
                    dry_run=dry_run,
                )
        except ImportFailed as error:
            unreadable.append(Problem.of(error))
            continue
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
        action=RecommendationAction.CORRECTED,
        target=recommendation,
        data={"before": before, "after": changes},
    )
    return recommendation
