"""What every importer produces and the contract between a format parser and the registry writer.

A format module parses a file into ``ParsedRecommendation`` items, streaming. A row it can read but
not accept (an empty cell, an unknown response) becomes a ``RejectedRow`` naming file, row, column
and reason, and the parser goes on with the next row, so that one pass reports every bad row of every
file; what stops the reading of a file altogether (no such file, the wrong header, a truncated gzip)
raises ``ImportFailed``. What a parser learns about the whole file (the encoding it read it in) comes
as one ``SourceFacts`` before the first row. The writer (one for all formats) resolves names against
the reference data (rejecting rows too), merges joint recommendations, writes in batches, and rolls
the whole run back when any row or file is bad (unless told to skip bad rows) or in a dry run.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.models import LabelKind, Response


@dataclass
class ParsedRecommendation:
    """One recommendation as read from a source, before names are resolved."""

    row: int  # where it starts in the file, for error messages
    state_under_review: str  # a name or ISO code, resolved against the reference data
    text: str
    response: Response
    recommending_states: list[str] = field(default_factory=list)
    mechanism: str = "UPR"
    session: int | None = None
    cycle: int | None = None
    date: datetime.date | None = None
    document_symbol: str = ""
    paragraph: str = ""
    source_id: str = ""
    language: str = "en"
    response_source: str = ""
    # (kind, name or code as written in the source), resolved against the label vocabulary
    labels: list[tuple[LabelKind, str]] = field(default_factory=list)
    # field name or label kind -> the source's column name, so that the writer's errors name the column
    columns: dict[str, str] = field(default_factory=dict)
    # The row as the source has it (its fields, or its JSON object), to write it back if it is rejected.
    raw: Any = None
    # How the source was written (``SourceFacts.dialect``), for the same purpose.
    dialect: Any = None


@dataclass(frozen=True)
class Problem:
    """One reason a row (or a whole file, ``row`` None) cannot be imported, and where."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    @classmethod
    def of(cls, error: ImportFailed) -> Problem:
        return cls(file=error.file, message=error.message, row=error.row, column=error.column)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.message}

    def __str__(self) -> str:
        return str(ImportFailed(self.message, file=self.file, row=self.row, column=self.column))


@dataclass
class RejectedRow:
    """A row that was read but cannot be imported: its problems, and the row as the source wrote it."""

    file: str
    row: int
    problems: list[Problem]
    raw: Any = None
    dialect: Any = None

    @property
    def reason(self) -> str:
        """All of the row's problems in one line, as a rejects file's reason column gives them."""
        return "; ".join(
            f"{problem.column}: {problem.message}" if problem.column else problem.message
            for problem in self.problems
        )


@dataclass
class SourceFacts:
    """What a parser learned about a whole file: the encoding it read it in, and anything doubtful."""

    encoding: str
    dialect: Any = None  # the parser's own description of how the file is written, for its rejects
    warnings: list[str] = field(default_factory=list)


Parsed = ParsedRecommendation | RejectedRow | SourceFacts


def recommendations_only(parsed: Iterable[Parsed]) -> Iterator[ParsedRecommendation]:
    """A parser's recommendations alone, raising at the first rejected row: for a reader that wants
    every row good (a training set, a test) rather than the import's report of all of them."""
    for item in parsed:
        if isinstance(item, RejectedRow):
            first = item.problems[0]
            raise ImportFailed(first.message, file=first.file, row=first.row, column=first.column)
        if isinstance(item, ParsedRecommendation):
            yield item


class FormatParser(Protocol):
    """A source format: ``parse`` yields recommendations (and rejected rows) from a file, streaming.

    ``write_rejects`` writes rejected rows back in the source's own format, with a reason column, so
    that a person can correct them and import that file; it returns the files written.
    """

    name: str

    def parse(self, path: Path) -> Iterator[Parsed]: ...

    def write_rejects(self, path: Path, rejects: Sequence[RejectedRow]) -> list[Path]: ...


class ImportRejected(ImportFailed):
    """Rows or files of an import run cannot be imported: every problem of every file, in one error.

    Raised after the whole run has been read, with nothing written. ``where`` and the message are
    those of the first problem, so that a single problem reads as before; ``problems`` lists them all
    and ``reports`` holds what each readable file would have done.
    """

    def __init__(self, problems: Sequence[Problem], *, reports: Sequence[dict[str, Any]] = ()) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, row=first.row, column=first.column)
        self.problems = list(problems)
        self.reports = list(reports)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return super().__str__()
        files = len({problem.file for problem in self.problems})
        lines = [f"{len(self.problems)} problems in {files} file(s); nothing was imported:"]
        lines += [f"  {problem}" for problem in self.problems]
        unknown: dict[tuple[str, str], int] = {}
        for report in self.reports:
            for label in report.get("unknown_labels", []):
                unknown[(label["kind"], label["value"])] = (
                    unknown.get((label["kind"], label["value"]), 0) + label["rows"]
                )
        if unknown:  # one line per label, however many rows use it
            lines.append("unknown labels (add them to the vocabulary, or import with --new-labels):")
            lines += [
                f"  {kind.replace('_', ' ')} {value!r}: {rows} row(s)"
                for (kind, value), rows in unknown.items()
            ]
        return "\n".join(lines)
