"""Reading an export of search results as a reader's program would."""

from __future__ import annotations

import csv
import io


def read_csv_export(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """(the note before the header, heading -> value; the rows keyed by their readable headers)."""
    head, _, body = text.partition("\r\n\r\n")
    lines = [cell for [cell] in csv.reader(io.StringIO(head))]
    note = dict(line.removeprefix("# ").split(": ", 1) for line in lines)
    return note, list(csv.DictReader(io.StringIO(body)))
