"""What every importer produces and the contract between a format parser and the registry writer.

A format module parses a file into ``ParsedRecommendation`` items, streaming, and raises
``ImportFailed`` naming file, row and column for anything it cannot read. The writer (one for all
formats) resolves names against the reference data, merges joint recommendations, writes in batches
inside one transaction per file, and rolls back on any error or in a dry run.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

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


class FormatParser(Protocol):
    """A source format: ``parse`` yields recommendations from an opened file, streaming."""

    name: str

    def parse(self, path: Path) -> Iterator[ParsedRecommendation]: ...
