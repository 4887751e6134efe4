"""Cutting a Council session report (A/HRC/14/37 and its like) into the texts it adopts.

Part One of a session report prints every resolution and decision under a heading line with its number
("14/1", then the title), ending with the meeting, the date and "[Adopted ...]". Part Two (summary of
proceedings) is not cut. Numbers of 100 and above are decisions, by the Council's numbering convention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hrcoop.core.errors import InvalidInput
from hrcoop.mandates.parsing.structure import ParsedResolution, parse_resolution
from hrcoop.mandates.parsing.text import SYMBOL_RE, normalise_newlines

HEADING_RE = re.compile(r"^\s{0,30}(\d{1,3})/(\d{1,3})\s*$")
PART_ONE_RE = re.compile(r"^\s*Part One\s*$|^\s*I\.\s+Resolutions\s*$", re.IGNORECASE)
PART_TWO_RE = re.compile(r"^\s*Part Two\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReportPart:
    number: str  # "14/6"
    kind: str  # "resolution" or "decision"
    text: str
    first_line: int  # 1-based line in the report, for error messages

    @property
    def symbol(self) -> str:
        return f"A/HRC/{'DEC' if self.kind == 'decision' else 'RES'}/{self.number}"


def report_symbol(text: str) -> str:
    """The report's own symbol: the one that heads most pages."""
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        stripped = line.strip()
        if SYMBOL_RE.fullmatch(stripped):
            counts[stripped] = counts.get(stripped, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else ""


def split_session_report(text: str) -> list[ReportPart]:
    """The resolutions and decisions printed in Part One, in the order printed."""
    lines = normalise_newlines(text).split("\n")
    start = next((i for i, line in enumerate(lines) if PART_ONE_RE.match(line)), None)
    if start is None:
        raise InvalidInput("not a session report: no 'Part One' or 'I. Resolutions' heading found")
    end = next((i for i in range(start, len(lines)) if PART_TWO_RE.match(lines[i])), len(lines))
    headings = [i for i in range(start, end) if HEADING_RE.match(lines[i])]
    parts: list[ReportPart] = []
    for n, i in enumerate(headings):
        stop = headings[n + 1] if n + 1 < len(headings) else end
        match = HEADING_RE.match(lines[i])
        assert match is not None
        session, number = match.groups()
        kind = "decision" if int(number) >= 100 else "resolution"
        chunk = "\n".join(lines[i:stop])
        chunk = re.split(r"\n\s*(?:II\.\s+Decisions|Part Two)\s*\n", chunk)[0]
        parts.append(ReportPart(f"{session}/{number}", kind, chunk, i + 1))
    if not parts:
        raise InvalidInput("not a session report: Part One contains no numbered resolution or decision")
    return parts


def parse_document(text: str) -> list[ParsedResolution]:
    """One resolution, or every resolution and decision of a session report."""
    if any(PART_ONE_RE.match(line) for line in text.splitlines()[:400]):
        report_parts = split_session_report(text)
        parsed = []
        for part in report_parts:
            try:
                parsed.append(parse_resolution(part.text, symbol=part.symbol, kind=part.kind))
            except InvalidInput as exc:
                raise InvalidInput(f"{part.number} (line {part.first_line}): {exc.message}") from exc
        return parsed
    return [parse_resolution(text)]
