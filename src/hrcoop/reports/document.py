"""The typed structure every report builder returns, and templates render (docs/reports.md).

A builder computes figures and words; it never formats numbers or lays out pages. Texts are already
translated when a builder returns them: it runs under ``translation.override(language)``. Numbers stay
numbers (``int``, ``Money``, ``Share``) so that a test can compare them with its own SQL and the template
can write them in the report's language. Sections, tables, figures and footnotes are numbered by the
renderer, in document order, so a builder never counts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hrcoop.core.money import Money


@dataclass(frozen=True)
class Share:
    """A proportion kept exact (``part`` of ``whole``); printed as a percentage with one decimal."""

    part: int
    whole: int

    @property
    def percent(self) -> Fraction | None:
        return Fraction(100 * self.part, self.whole) if self.whole else None


Value = str | int | Decimal | Money | Share | None


def is_figure(value: Value) -> bool:
    """A number of the report (as opposed to a label or an empty cell): set flush to the end."""
    return isinstance(value, int | Decimal | Money | Share)


@dataclass
class Table:
    """A table of figures. ``key`` names it for tests and the methods annex; ``methods`` says how
    every number in it was computed."""

    key: str
    caption: str
    columns: list[str]
    rows: list[list[Value]]
    methods: str
    footnotes: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[tuple[str, bool]]:
        """Each column's name, and whether it holds figures (its heading then aligns with them)."""
        return [(name, any(is_figure(row[i]) for row in self.rows)) for i, name in enumerate(self.columns)]

    def values(self, name: str) -> list[Value]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def column(self, name: str) -> dict[Value, Value]:
        """The values of one column keyed by the first column (what the tests compare)."""
        index = self.columns.index(name)
        return {row[0]: row[index] for row in self.rows}


@dataclass
class Chart:
    """An SVG chart drawn from one of the section's tables (so the figure never says more than the table).

    The SVG holds digits only; its words are ``series`` (colour, name) and ``categories`` (the key
    on the axis, the row it stands for), which the page writes beside it in the report's language.
    """

    key: str
    caption: str
    svg: str
    methods: str
    series: list[tuple[str, str]] = field(default_factory=list)
    categories: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Section:
    """A numbered section. ``no_data`` replaces the figures with the reason there are none, when the
    data this section needs does not exist yet (an app not installed, nothing recorded for the year)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    no_data: str = ""

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


@dataclass
class Report:
    kind: str
    title: str
    subtitle: str
    year: int
    language: str
    sections: list[Section]
    annexes: list[Section] = field(default_factory=list)
    parameters: dict[str, str] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        return next(s for s in [*self.sections, *self.annexes] if s.key == key)

    def table(self, key: str) -> Table:
        return next(t for s in [*self.sections, *self.annexes] for t in s.tables if t.key == key)

    def data_version(self) -> str:
        """A fingerprint of every figure and word of the report: the same data gives the same version.

        Charts are left out (they are drawn from the tables), so a new matplotlib does not change it.
        """
        content = {
            "kind": self.kind,
            "year": self.year,
            "language": self.language,
            "parameters": self.parameters,
            "sections": [_without_charts(s) for s in [*self.sections, *self.annexes]],
        }
        encoded = json.dumps(content, default=_json_value, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()[:16]


def _without_charts(section: Section) -> dict[str, Any]:
    data = asdict(section)
    data.pop("charts")
    return data


def _json_value(value: object) -> object:
    if isinstance(value, Fraction):
        return [value.numerator, value.denominator]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")
