"""CSV for people who open it in a spreadsheet program, where most of our exports end up.

Two things go wrong there with plain ``csv.writer``: Excel reads a file without a byte-order mark in
the local code page, garbling every accent and every non-Latin script; and it runs a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula, so a donor name or a request title typed by anyone
could fetch a URL or start a program on the secretariat's machine (CSV injection). Cells that start
so are written after an apostrophe, which spreadsheets show as text; numbers such as ``-120.50`` are
left as they are.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")


def inert(value: Any) -> Any:
    """The value, made unable to run as a spreadsheet formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object that hands back what is written, so ``csv.writer`` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The lines of a CSV file of ``rows`` (the first is the header), byte-order mark first."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([inert(value) for value in row])
