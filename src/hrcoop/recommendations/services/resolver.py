"""Resolving a parsed row against the reference data: the import writer's first step for every row.

A ``Resolver`` holds one file's States, sessions, mechanisms and labels in memory and turns each
``ParsedRecommendation`` into an ``Entry`` (the record-to-be with its identity, ``identity``), or
rejects the row naming every problem it has at once (``RowRejected``), so that one pass over a file
lists all its bad rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ftfy
from django.db import connection
from django.utils.text import slugify

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.identity import identity_stem, stem_key
from hrcoop.recommendations.importers.base import ParsedRecommendation, Problem
from hrcoop.recommendations.models import Label, LabelAlias, LabelKind, Response
from hrcoop.recommendations.services.vocabularies import create_labels
from hrcoop.reference.models import Mechanism, State, UprSession
from hrcoop.reference.names import StateIndex, name_key

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Entry:
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


class Resolver:
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

    def entry(self, item: ParsedRecommendation) -> Entry:
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
        entry = Entry(
            key=stem_key(stem, item.response),
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
