"""``uhri``: exports of OHCHR's Universal Human Rights Index, as JSON or as an XLSX workbook.

The Index holds the recommendations of the UPR, the treaty bodies and the special procedures, one
"annotation" each, classified by theme, affected persons and SDG target. Its JSON export is one
top-level array of objects (keys in DESIGN.md §5); the XLSX export has one row per annotation and
the same fields under other names (OHCHR spells "Reccomending"). The format is told by the content:
a ZIP container is a workbook, a text starting with "[" is JSON.

Streaming: the JSON array is decoded one element at a time (``json.JSONDecoder.raw_decode`` over a
buffer refilled in chunks), so memory holds one record and one chunk, never the file; the workbook is
read with openpyxl's read-only mode, row by row.

An annotation that cannot be imported (no text, an unknown body, a field of the wrong JSON type)
is rejected with its reason and the reading goes on; ``--skip-invalid FILE`` writes the rejected
annotations back as a JSON array, each with an ``ImportProblem`` key, which imports as it is once
corrected (from either export: the workbook's rows are written as the JSON export's objects).

Only annotations of type "Recommendation" become records (the Index also holds concerns and
positive aspects, which recommend nothing); the others are skipped and not counted.
"""

from __future__ import annotations

import codecs
import datetime
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers.base import (
    Parsed,
    ParsedRecommendation,
    Problem,
    RejectedRow,
    SourceFacts,
)
from hrcoop.recommendations.importers.files import ZIP_MAGIC, Source, open_source
from hrcoop.recommendations.importers.ohchr_list import (
    RecommendingStatesError,
    StateNames,
    parse_position,
    split_recommending_states,
)
from hrcoop.recommendations.models import LabelKind, Response
from hrcoop.reference.models import Mechanism

REASON_KEY = "ImportProblem"  # what a rejects file adds to each annotation; not read back
NOT_UHRI = "not a UHRI export: expected a JSON array of annotations (starting with '[') or an XLSX workbook"
CHUNK_CHARS = 64 * 1024
MAX_RECORD_CHARS = 1_000_000  # a real annotation is a few kilobytes
LIST_KEYS = (
    "Countries",
    "Regions",
    "Themes",
    "AffectedPersons",
    "Sdgs",
    "UprPositions",
    "UprRecommendingCountry",
    "UprRecommendingRegions",
    "UprSession",
)
# XLSX column -> JSON key; the misspellings are OHCHR's own.
XLSX_COLUMNS = {
    "OHCHR Annotation Id": "AnnotationId",
    "Document Symbol": "Symbol",
    "Document Publication Date": "PublicationDate",
    "Reccomending Body": "Body",
    "Type": "AnnotationType",
    "Countries Concerned": "Countries",
    "Regions Concerned": "Regions",
    "Themes": "Themes",
    "Affected Persons": "AffectedPersons",
    "Sdgs": "Sdgs",
    "Text": "Text",
    "UPR Session": "UprSession",
    "UPR Reccomending States": "UprRecommendingCountry",
    "UPR Position": "UprPositions",
}
# The writer's errors name the source's field: writer field -> JSON key (-> XLSX column via XLSX_COLUMNS).
JSON_FIELDS = {
    "state_under_review": "Countries",
    "text": "Text",
    "document_symbol": "Symbol",
    "source_id": "AnnotationId",
    "recommending_states": "UprRecommendingCountry",
    "session": "UprSession",
    "mechanism": "Body",
    LabelKind.THEME: "Themes",
    LabelKind.AFFECTED_PERSONS: "AffectedPersons",
    LabelKind.SDG_GOAL: "Sdgs",
    LabelKind.SDG_TARGET: "Sdgs",
}
SDG = re.compile(
    r"^(?:SDG\s*)?(?P<goal>\d{1,2})(?:\.(?P<target>\d{1,2}|[a-z]))?(?:\s*[-\u2013:]\s*.*)?$", re.I
)
PARAGRAPH = re.compile(r"^(?P<para>\d{1,3}\.\d{1,3})\.?\s+")
SPECIAL_PROCEDURE = re.compile(
    r"^(Special Rapporteur|Working Group|Independent Expert|SR|WG|IE)\b|special procedure", re.I
)


class UhriParser:
    """The ``uhri`` format: see the module docstring."""

    name = "uhri"

    def parse(self, path: Path) -> Iterator[Parsed]:
        workbook = _starts_with_zip(path)
        records = self._xlsx_records(path) if workbook else self._json_records(path)
        yield SourceFacts(encoding="xlsx" if workbook else "utf-8")
        reader = _Reader(str(path))
        for row, record, columns in records:
            try:
                yield from reader.recommendations(row, record, columns)
            except ImportFailed as error:
                yield RejectedRow(str(path), row, [Problem.of(error)], raw=record)

    def write_rejects(self, path: Path, rejects: Sequence[RejectedRow]) -> list[Path]:
        """The rejected annotations as a JSON array, each with its ``ImportProblem``."""
        annotations = []
        for reject in rejects:
            if isinstance(reject.raw, dict):
                annotation = {k: v for k, v in reject.raw.items() if k != REASON_KEY}
            else:  # an element that is not an object at all
                annotation = {"Element": reject.raw}
            annotation[REASON_KEY] = f"{Path(reject.file).name} element {reject.row}: {reject.reason}"
            annotations.append(annotation)
        # backslashreplace writes a lone surrogate (JSON's "\ud800") back as the escape it was read from
        with path.open("w", encoding="utf-8", errors="backslashreplace") as handle:
            json.dump(annotations, handle, ensure_ascii=False, indent=1, default=str)
        return [path]

    # --- JSON ------------------------------------------------------------------------------------

    def _json_records(self, path: Path) -> Iterator[tuple[int, Any, dict[str, str]]]:
        with open_source(path) as source:
            if not source.head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
                raise ImportFailed(NOT_UHRI, file=str(path))
            for index, record in enumerate(_json_array(source), start=1):
                yield index, record, {key: key for key in record} if isinstance(record, dict) else {}

    # --- XLSX ------------------------------------------------------------------------------------

    def _xlsx_records(self, path: Path) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFailed(f"not a readable XLSX workbook ({exc})", file=str(path)) from exc
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = next(rows, None)
            names = [str(cell).strip() if cell is not None else "" for cell in header or ()]
            missing = [column for column in XLSX_COLUMNS if column not in names]
            if missing:
                raise ImportFailed(
                    f"not a UHRI export: the first row lacks the column(s) {', '.join(missing)}",
                    file=str(path),
                    row=1,
                )
            positions = {
                XLSX_COLUMNS[name]: (index, name) for index, name in enumerate(names) if name in XLSX_COLUMNS
            }
            for row, cells in enumerate(rows, start=2):
                if not any(cell not in (None, "") for cell in cells):
                    continue
                record: dict[str, Any] = {}
                for key, (index, _column) in positions.items():
                    value = cells[index] if index < len(cells) else None
                    record[key] = _cell_list(value, key) if key in LIST_KEYS else value
                yield row, record, {key: column for key, (_, column) in positions.items()}
        finally:
            workbook.close()


def _starts_with_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False  # ``open_source`` says what is wrong with the file


def _cell_list(value: Any, key: str) -> list[str]:
    """A multi-valued cell: one value per line, or values separated by ";".

    A theme name may itself hold ";" ("Children: definition; general principles; protection"): a
    piece that starts in lower case continues the theme before it.
    """
    if value is None:
        return []
    text = str(value)
    pieces = [piece.strip() for piece in re.split(r"[\r\n]+" if "\n" in text else ";", text)]
    values: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if key == "Themes" and values and piece[0].islower() and "\n" not in text:
            values[-1] = f"{values[-1]}; {piece}"
        else:
            values.append(piece)
    return values


def _json_array(source: Source) -> Iterator[Any]:
    """The elements of the top-level JSON array in ``source``, decoded one at a time."""
    decoder = json.JSONDecoder()
    text_decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buffer, position, index, eof = "", 0, 0, False

    def refill() -> bool:
        nonlocal buffer, position, eof
        if eof:
            return False
        chunk = source.stream.read(CHUNK_CHARS)
        try:
            text = text_decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"not UTF-8 ({exc.reason}) in or after element {index + 1}: save the export as UTF-8",
                file=source.name,
                row=index + 1,
            ) from exc
        eof = not chunk
        buffer = buffer[position:] + text
        position = 0
        return True

    def skip_space() -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not refill():
                return ""

    if skip_space() != "[":
        raise ImportFailed(NOT_UHRI, file=source.name)
    position += 1
    if skip_space() == "]":
        return
    while True:
        index += 1
        while True:
            try:
                element, end = decoder.raw_decode(buffer, position)
                break
            except RecursionError as exc:  # "[[[[...": Python's decoder recurses once per level
                raise ImportFailed(
                    f"element {index} is nested too deeply (lists or objects inside each other "
                    "thousands of times): not an annotation",
                    file=source.name,
                    row=index,
                ) from exc
            except json.JSONDecodeError as exc:
                if len(buffer) - position > MAX_RECORD_CHARS:
                    raise ImportFailed(
                        f"element {index} is longer than {MAX_RECORD_CHARS:,} characters: not an annotation",
                        file=source.name,
                        row=index,
                    ) from exc
                if not refill():
                    raise ImportFailed(
                        f"the JSON breaks off or is malformed in element {index} ({exc.msg}): the file looks "
                        "truncated",
                        file=source.name,
                        row=index,
                    ) from exc
        position = end
        yield element
        separator = skip_space()
        position += 1
        if separator == "]":
            if skip_space():
                raise ImportFailed("text after the end of the JSON array", file=source.name, row=index)
            return
        if separator != ",":
            problem = "the file ends" if not separator else f"found {separator!r}"
            raise ImportFailed(
                f"after element {index} expected ',' or ']' but {problem}: the file looks truncated",
                file=source.name,
                row=index,
            )
        skip_space()


class _Reader:
    """Turns one annotation (from either export) into records; holds the look-ups for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.names = StateNames()
        self.mechanisms: dict[str, str] = {}
        for code, name in Mechanism.objects.values_list("code", "name"):
            self.mechanisms[code.casefold()] = code
            self.mechanisms[name.casefold()] = code

    def fail(self, row: int, column: str, message: str) -> ImportFailed:
        return ImportFailed(message, file=self.file, row=row, column=column)

    def recommendations(
        self, row: int, record: Any, columns: dict[str, str]
    ) -> Iterator[ParsedRecommendation]:
        if not isinstance(record, dict):
            raise ImportFailed(
                f"element {row} of the array is a {type(record).__name__}, not an annotation",
                file=self.file,
                row=row,
            )

        def column(key: str) -> str:
            return columns.get(key, key)

        def text_of(key: str) -> str:
            value = record.get(key)
            if value is not None and not isinstance(value, str | int | float | datetime.date):
                raise self.fail(row, column(key), f"expected a text, found {type(value).__name__}")
            return "" if value is None else str(value).strip()

        def list_of(key: str) -> list[str]:
            value = record.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
                raise self.fail(row, column(key), "expected a list of texts")
            return [str(item).strip() for item in value if str(item).strip()]

        kind = text_of("AnnotationType")
        if kind and "recommendation" not in kind.casefold():
            return
        text = text_of("Text")
        if not text:
            raise self.fail(row, column("Text"), "the recommendation has no text")
        mechanism = self._mechanism(row, column("Body"), text_of("Body"))
        countries = list_of("Countries")
        if not countries:
            raise self.fail(
                row, column("Countries"), "no country concerned: the State under review is missing"
            )
        paragraph = ""
        if match := PARAGRAPH.match(text):
            paragraph, text = match["para"], text[match.end() :]
        recommending = list_of("UprRecommendingCountry")
        if mechanism == "UPR":
            try:
                text, in_text = split_recommending_states(text, self.names)
                recommending = recommending or in_text
            except RecommendingStatesError:
                pass  # the Index usually gives the States apart from the text
        session = self._number(row, column("UprSession"), list_of("UprSession")[:1])
        cycle = self._number(row, column("UprCycle"), [text_of("UprCycle")] if text_of("UprCycle") else [])
        symbol = text_of("Symbol")
        annotation = text_of("AnnotationId")
        item_columns = {field: column(key) for field, key in JSON_FIELDS.items()}
        for country in countries:
            yield ParsedRecommendation(
                row=row,
                state_under_review=country,
                text=text,
                response=self._response(row, column("UprPositions"), list_of("UprPositions")),
                recommending_states=recommending,
                mechanism=mechanism,
                session=session if mechanism == "UPR" else None,
                cycle=cycle if mechanism == "UPR" else None,
                date=self._date(row, column("PublicationDate"), record.get("PublicationDate")),
                document_symbol=symbol,
                paragraph=paragraph,
                source_id=annotation or (f"{symbol} para {paragraph}" if symbol and paragraph else ""),
                labels=[
                    *((LabelKind.THEME, theme) for theme in list_of("Themes")),
                    *((LabelKind.AFFECTED_PERSONS, group) for group in list_of("AffectedPersons")),
                    *self._sdgs(row, column("Sdgs"), list_of("Sdgs")),
                ],
                columns=item_columns,
                raw=record,
            )

    def _mechanism(self, row: int, column: str, body: str) -> str:
        if not body:
            raise self.fail(row, column, "no recommending body (UPR, a treaty body or a special procedure)")
        code = self.mechanisms.get(body.casefold())
        if code is None and SPECIAL_PROCEDURE.search(body):
            code = "SP"
        if code is None:
            raise self.fail(
                row,
                column,
                f"unknown recommending body {body!r}: expected UPR, a treaty body (e.g. CRC or "
                "'Committee on the Rights of the Child') or a special procedure",
            )
        return code

    def _response(self, row: int, column: str, positions: list[str]) -> Response:
        """No position: pending; one kind: that one; Supported and Noted parts of one annotation: in part."""
        responses = set()
        for position in positions:
            response = parse_position(position)
            if response is None:
                raise self.fail(
                    row,
                    column,
                    f"unknown position {position!r}: expected Supported, Noted or Supported in part",
                )
            responses.add(response)
        if not responses:
            return Response.PENDING
        if len(responses) == 1:
            return responses.pop()
        return Response.SUPPORTED_IN_PART

    def _number(self, row: int, column: str, values: list[str]) -> int | None:
        if not values:
            return None
        match = re.search(r"\d+", values[0])
        if match is None:
            raise self.fail(row, column, f"{values[0]!r} is not a number such as '34' or '34th'")
        return int(match.group())

    def _date(self, row: int, column: str, value: Any) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise self.fail(row, column, f"{value!r} is not a date such as 2019-12-11") from None

    def _sdgs(self, row: int, column: str, values: list[str]) -> Iterator[tuple[LabelKind, str]]:
        """ "16.2 - Protect children ..." is target 16.2 and goal 16; "16 - Peace ..." goal 16."""
        for value in values:
            match = SDG.match(value)
            if match is None or not 1 <= int(match["goal"]) <= 17:
                raise self.fail(
                    row, column, f"{value[:60]!r} is not an SDG such as '16.2 - Protect children ...'"
                )
            goal = str(int(match["goal"]))
            if match["target"]:
                yield LabelKind.SDG_TARGET, f"{goal}.{match['target'].lower()}"
            yield LabelKind.SDG_GOAL, goal
