"""UPR Info database exports, in both formats that exist, told apart by their header row.

* 2015: comma-separated, Mac Roman, CR line ends; header
  ``To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session``; responses
  ``Accepted``, ``Noted``, ``Voluntary Pledge``.
* 2018: semicolon-separated, UTF-8 with BOM, CRLF; header
  ``SuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session``; responses ``Supported``,
  ``Noted``; issue labels partly renamed ("NHRI" became "National Human Rights Institution"). Both
  spellings are aliases of one label in ``data/labels_upr_info_issues.csv``.

Fields may carry HTML entities (``&#40;Unknown&#41;``), which are unescaped. The recommending State
"(Unknown)" means UPR Info does not know who made the recommendation: the record has no recommending
State; that is a documented fact of the source, not an error. Regional group and organisation columns
are UPR Info's own coding of reference facts we hold already, and are not read.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers.base import ParsedRecommendation
from hrcoop.recommendations.importers.files import Source, open_source, read_delimited
from hrcoop.recommendations.models import LabelKind, Response

ISSUES_FILE = Path(__file__).resolve().parent.parent / "data" / "labels_upr_info_issues.csv"
UNKNOWN_STATES = {"", "(unknown)", "unknown"}
RESPONSES = {
    "": Response.PENDING,  # the latest session's rows, exported before the State responded
    "accepted": Response.SUPPORTED,
    "supported": Response.SUPPORTED,
    "noted": Response.NOTED,
    "voluntary pledge": Response.VOLUNTARY_PLEDGE,
    "pending": Response.PENDING,
}
ACTION_CATEGORIES = {"1", "2", "3", "4", "5"}


@dataclass(frozen=True)
class Layout:
    """One export format: how to read it and what its columns are called."""

    version: str
    delimiter: str
    encoding: str
    columns: tuple[str, ...]

    @property
    def header_line(self) -> str:
        return self.delimiter.join(self.columns)


LAYOUTS = (
    Layout(
        "2015",
        ",",
        "mac_roman",
        (
            "To",
            "To-Rgrp",
            "To-Org",
            "Text",
            "From",
            "From-Rgrp",
            "From-Org",
            "Response",
            "Action",
            "Issue",
            "Session",
        ),
    ),
    Layout(
        "2018",
        ";",
        "utf-8-sig",
        (
            "SuR",
            "Rgrp",
            "Org",
            "Recommendation",
            "RS",
            "Rgrp",
            "Org",
            "Response",
            "Action",
            "Issue",
            "Session",
        ),
    ),
)
# Column positions, the same in both layouts.
STATE, TEXT, FROM, RESPONSE, ACTION, ISSUE, SESSION = 0, 3, 4, 7, 8, 9, 10


def detect_layout(source: Source) -> Layout:
    """The layout whose header the file's first line is (case and surrounding spaces aside)."""
    bom = source.head.startswith(b"\xef\xbb\xbf")
    first = source.head[3 if bom else 0 :].replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n", 1)[0]
    found = first.decode("latin-1").strip()
    for layout in LAYOUTS:
        cells = [cell.strip().strip('"').casefold() for cell in found.split(layout.delimiter)]
        if cells == [column.casefold() for column in layout.columns]:
            if bom and layout.encoding == "mac_roman":
                return Layout(layout.version, layout.delimiter, "utf-8-sig", layout.columns)
            return layout
    expected = " or ".join(f"{layout.header_line!r} ({layout.version})" for layout in LAYOUTS)
    raise ImportFailed(
        f"not a UPR Info export: the header is {found[:200]!r}, expected {expected}", file=source.name, row=1
    )


@cache
def _labels_with_commas() -> re.Pattern[str]:
    """Issue names that themselves contain a comma, which a plain split on "," would cut apart."""
    with ISSUES_FILE.open(encoding="utf-8", newline="") as handle:
        names = [n for row in csv.DictReader(handle) for n in [row["name"], *row["aliases"].split("|")]]
    longest_first = sorted((n for n in names if "," in n), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in longest_first), re.IGNORECASE)


def split_issues(value: str) -> list[str]:
    """Split an Issue cell on commas, keeping the known labels that contain a comma whole."""
    whole = _labels_with_commas().findall(value) if "," in value else []
    if whole:
        value = _labels_with_commas().sub(",", value)
    return whole + [part.strip() for part in value.split(",") if part.strip()]


def _unescape(value: str) -> str:
    return html.unescape(value).strip() if "&" in value else value.strip()


class UprInfoParser:
    """``hrcoop import upr-info``: both export formats, detected from the header."""

    name = "upr-info"

    def parse(self, path: Path) -> Iterator[ParsedRecommendation]:
        with open_source(path) as source:
            layout = detect_layout(source)
            columns = {
                "state_under_review": layout.columns[STATE],
                "recommending_states": layout.columns[FROM],
                "session": layout.columns[SESSION],
                "response": layout.columns[RESPONSE],
                LabelKind.ISSUE: layout.columns[ISSUE],
                LabelKind.ACTION_CATEGORY: layout.columns[ACTION],
            }
            for row, fields in read_delimited(
                source, encoding=layout.encoding, delimiter=layout.delimiter, columns=list(layout.columns)
            ):
                yield self._record(row, [_unescape(f) for f in fields], layout, columns, source.name)

    @staticmethod
    def _record(
        row: int, fields: list[str], layout: Layout, columns: dict[str, str], file: str
    ) -> ParsedRecommendation:
        def fail(index: int, message: str) -> ImportFailed:
            return ImportFailed(message, file=file, row=row, column=layout.columns[index])

        text = fields[TEXT]
        if not text:
            raise fail(TEXT, "the recommendation text is empty")
        if not fields[STATE]:
            raise fail(STATE, "the State under review is empty")
        response = RESPONSES.get(fields[RESPONSE].casefold())
        if response is None:
            raise fail(
                RESPONSE, f"unknown response {fields[RESPONSE]!r}: expected one of {_known_responses()}"
            )
        action = fields[ACTION]
        if action and action not in ACTION_CATEGORIES:
            raise fail(ACTION, f"unknown action category {action!r}: expected 1 to 5")
        if not fields[SESSION].isdigit():
            raise fail(SESSION, f"session {fields[SESSION]!r} is not a UPR session number")
        recommending = fields[FROM]
        labels = [(LabelKind.ISSUE, issue) for issue in split_issues(fields[ISSUE])]
        if action:
            labels.append((LabelKind.ACTION_CATEGORY, action))
        return ParsedRecommendation(
            row=row,
            state_under_review=fields[STATE],
            text=text,
            response=response,
            recommending_states=[] if recommending.casefold() in UNKNOWN_STATES else [recommending],
            session=int(fields[SESSION]),
            response_source=f"UPR Info database export ({layout.version})",
            labels=labels,
            columns=columns,
        )


def _known_responses() -> str:
    return ", ".join(sorted({"Accepted", "Supported", "Noted", "Voluntary Pledge", "Pending"}))
