"""UPR Info database exports, in both formats that exist, told apart by their header row.

* 2015: comma-separated, Mac Roman, CR line ends; header
  ``To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session``; responses
  ``Accepted``, ``Noted``, ``Voluntary Pledge``.
* 2018: semicolon-separated, UTF-8 with BOM, CRLF; header
  ``SuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session``; responses ``Supported``,
  ``Noted``; issue labels partly renamed ("NHRI" became "National Human Rights Institution"). Both
  spellings are aliases of one label in ``data/labels_upr_info_issues.csv``.

The 2015 export is read in the encoding its bytes show (``files.detect_encoding``): Mac Roman as
published, Latin-1 or UTF-8 once someone has saved it again; the report names it.

Fields may carry HTML entities (``&#40;Unknown&#41;``), which are unescaped. The recommending State
"(Unknown)" means UPR Info does not know who made the recommendation: the record has no recommending
State; that is a documented fact of the source, not an error. Regional group and organisation columns
are UPR Info's own coding of reference facts we hold already, and are not read.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers.base import (
    Parsed,
    ParsedRecommendation,
    Problem,
    RejectedRow,
    SourceFacts,
)
from hrcoop.recommendations.importers.files import (
    ENCODING_NAMES,
    Source,
    detect_encoding,
    open_source,
    read_delimited,
)
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
# The column a rejects file adds after the export's own (``--skip-invalid``); ignored when read back.
REASON_COLUMN = "Import problem"


@dataclass(frozen=True)
class Layout:
    """One export format: how to read it and what its columns are called."""

    version: str
    delimiter: str
    encoding: str
    columns: tuple[str, ...]
    line_end: str = "\r"
    reason_column: bool = False  # a rejects file written by ``write_rejects``

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
        "\r\n",
    ),
)
# Column positions, the same in both layouts.
STATE, TEXT, FROM, RESPONSE, ACTION, ISSUE, SESSION = 0, 3, 4, 7, 8, 9, 10


def detect_layout(source: Source) -> Layout:
    """The layout whose header the file's first line is (case and surrounding spaces aside).

    A rejects file (``write_rejects``) has the same header and the reason column after it.
    """
    bom = source.head.startswith(b"\xef\xbb\xbf")
    first = source.head[3 if bom else 0 :].replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n", 1)[0]
    found = first.decode("latin-1").strip()
    for layout in LAYOUTS:
        cells = [cell.strip().strip('"').casefold() for cell in found.split(layout.delimiter)]
        reason = cells[-1:] == [REASON_COLUMN.casefold()]
        if cells[: len(cells) - reason] == [column.casefold() for column in layout.columns]:
            layout = dataclasses.replace(layout, reason_column=reason)
            if bom and layout.encoding == "mac_roman":
                return dataclasses.replace(layout, encoding="utf-8-sig")
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

    def parse(self, path: Path) -> Iterator[Parsed]:
        with open_source(path) as source:
            layout = detect_layout(source)
        warnings = []
        if layout.encoding == "mac_roman":  # the 2015 layout without a BOM: what was it saved as?
            encoding, warning = detect_encoding(path, usual=layout.encoding)
            layout = dataclasses.replace(layout, encoding=encoding)
            warnings += [warning] if warning else []
            if encoding != "mac_roman":
                warnings.append(
                    f"read as {ENCODING_NAMES[encoding]}, not Mac Roman as UPR Info published the "
                    "2015 export: the file was saved again in another encoding"
                )
        yield SourceFacts(encoding=layout.encoding, dialect=layout, warnings=warnings)
        columns = {
            "state_under_review": layout.columns[STATE],
            "text": layout.columns[TEXT],
            "recommending_states": layout.columns[FROM],
            "session": layout.columns[SESSION],
            "response": layout.columns[RESPONSE],
            LabelKind.ISSUE: layout.columns[ISSUE],
            LabelKind.ACTION_CATEGORY: layout.columns[ACTION],
        }
        names = [*layout.columns, *([REASON_COLUMN] if layout.reason_column else [])]
        with open_source(path) as source:
            for row, fields, problem in read_delimited(
                source,
                encoding=layout.encoding,
                delimiter=layout.delimiter,
                columns=names,
                optional=1 if layout.reason_column else 0,
            ):
                fields = fields[: len(layout.columns)]  # a rejects file's reason is not read back
                if problem is not None:
                    yield RejectedRow(source.name, row, [Problem.of(problem)], fields, layout)
                    continue
                yield self._record(row, fields, layout, columns, source.name)

    @staticmethod
    def _record(
        row: int, raw: list[str], layout: Layout, columns: dict[str, str], file: str
    ) -> ParsedRecommendation | RejectedRow:
        """The row as a recommendation, or rejected with every problem it has (not only the first)."""
        fields = [_unescape(f) for f in raw]
        problems: list[Problem] = []

        def fail(index: int, message: str) -> None:
            problems.append(Problem(file, message, row, layout.columns[index]))

        text = fields[TEXT]
        if not fields[STATE]:
            fail(STATE, "the State under review is empty")
        if not text:
            fail(TEXT, "the recommendation text is empty")
        response = RESPONSES.get(fields[RESPONSE].casefold())
        if response is None:
            fail(RESPONSE, f"unknown response {fields[RESPONSE]!r}: expected one of {_known_responses()}")
        action = fields[ACTION]
        if action and action not in ACTION_CATEGORIES:
            fail(ACTION, f"unknown action category {action!r}: expected 1 to 5")
        if not fields[SESSION].isdigit():
            fail(SESSION, f"session {fields[SESSION]!r} is not a UPR session number")
        if problems or response is None:
            return RejectedRow(file, row, problems, raw, layout)
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
            raw=raw,
            dialect=layout,
        )

    def write_rejects(self, path: Path, rejects: Sequence[RejectedRow]) -> list[Path]:
        """The rejected rows as an export of their own layout and encoding, with the reason column.

        Rows from exports of different layouts or encodings cannot share one file: the first layout's
        rows go to ``path``, each other's to ``path`` with the layout and encoding before the suffix
        (``rejects.2018-utf-8-sig.csv``).
        """
        by_layout: dict[Layout, list[RejectedRow]] = {}
        for reject in rejects:
            layout = dataclasses.replace(reject.dialect, reason_column=False)
            by_layout.setdefault(layout, []).append(reject)
        written = []
        for number, (layout, rows) in enumerate(by_layout.items()):
            target = (
                path if number == 0 else path.with_stem(f"{path.stem}.{layout.version}-{layout.encoding}")
            )
            with target.open("w", encoding=layout.encoding, errors="surrogateescape", newline="") as handle:
                writer = csv.writer(handle, delimiter=layout.delimiter, lineterminator=layout.line_end)
                writer.writerow([*layout.columns, REASON_COLUMN])
                for reject in rows:
                    reason = f"{Path(reject.file).name} row {reject.row}: {reject.reason}"
                    writer.writerow([*reject.raw, reason])
            written.append(target)
        return written


def _known_responses() -> str:
    return ", ".join(sorted({"Accepted", "Supported", "Noted", "Voluntary Pledge", "Pending"}))
