"""``ohchr-list``: OHCHR's thematic lists ("matrices") of UPR recommendations, as text taken from the DOCX.

OHCHR publishes, for each review, a table of the recommendations grouped by theme. The text
extracted from it has one cell per line, and every recommendation is a block::

    121.1 Ratify the ... (France) (Lithuania);          paragraph of the Working Group report, text, States
    Source of Position: A/HRC/43/15 - Para 121          where the State gave its position
    Supported                                            the position
    - Acceptance of international norms                  themes: "- name" (2019 on) or "A12 name" (before)
    SDGs:                                                SDG goals: "- 16 - PEACE, ..." or "S16 SDG 16 - ..."
    - 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS
    Affected persons:                                    or "Groups of Persons:" (2025)
    - Disappeared persons

The lists come as UTF-8 with mixed CRLF/LF line ends and HTML entities left in (``&amp;``), or, for
the older matrices, as Mac Roman with CR line ends; both are read with universal newlines. Text
flattened with its cells glued together ("...Para. 2SupportedA12 Acceptance of ...") is cut back into
cells (``cells``). Every format quirk found in the real files is documented in ``docs/importers.md``.

The State under review is taken from the document: the matrices end with a line
"UPR of China (3rd Cycle - 31st session)"; the thematic lists name it nowhere but in the text of the
recommendations, so the State named most often there (outside the parentheses that name the
recommending States) is taken when it clearly dominates, and the import stops otherwise. The
session is the stated one, or else derived from the Council session of the "Source of position"
symbol (``upr_session_for_hrc``). Both need a look at the whole file before the first
recommendation, so the file is read twice; each pass holds one line at a time.
"""

from __future__ import annotations

import html
import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hrcoop.core.errors import ImportFailed, InvalidInput
from hrcoop.recommendations.importers.base import (
    Parsed,
    ParsedRecommendation,
    Problem,
    RejectedRow,
    SourceFacts,
)
from hrcoop.recommendations.importers.files import open_source
from hrcoop.recommendations.models import LabelKind, Response
from hrcoop.reference.models import State, StateName, UprSession
from hrcoop.reference.names import name_key

# A flattened matrix can be one line (China 2018: 132 kB); a recommendation is under 3,000 characters.
MAX_LINE = 2_000_000

PARAGRAPH = re.compile(r"^(?P<para>\d{1,3}\.\d{1,3})\.?\s+(?P<text>\S.*)$")
SOURCE = re.compile(r"^Source of position\s*:\s*(?P<source>.*)$", re.IGNORECASE)
# the paragraph after the symbol is free text in practice ("Para.3", "Para. 186.28.", "Para.3vv", none)
SYMBOL = re.compile(r"^(?P<doc>A/HRC/(?P<hrc>\d{1,3})/\d{1,3})(?:/Add\.\d+)?(?![\w/])", re.IGNORECASE)
THEME_HEADING = re.compile(r"^Theme\s*:", re.IGNORECASE)
LIST_HEADING = re.compile(r"^(?P<heading>Affected persons|Groups of persons|SDGs)\s*:\s*(?P<rest>.*)$", re.I)
CODED_SDG = re.compile(r"^S\d{1,2}\s+SDG\s+(?P<goal>\d{1,2})\b")
CODED_THEME = re.compile(r"^(?:[A-H]\d{0,2}|S)\s+(?P<name>\S.*)$")
LISTED_SDG = re.compile(r"^-\s*(?P<goal>\d{1,2})\s+-\s+\S")
ITEM = re.compile(r"^-\s*(?P<name>\S.*)$")
REVIEW = re.compile(
    r"UPR of (?P<state>.+?) \((?P<cycle>\d+)\w*\s+Cycle\W+(?P<session>\d+)\w*\s+session\)", re.IGNORECASE
)
FOOTER = re.compile(
    REVIEW.pattern + r"(?:\s*Thematic list of recommendations)?(?:\s*Page \d+ of \d+)?", re.IGNORECASE
)
# Where cells glued together by the flattening meet (see ``cells``).
GLUED_HEADING = re.compile(
    r"(?<=\S)\s*(?=(?:Source of position|Affected persons|Groups of persons|SDGs|Theme)\s*:)", re.IGNORECASE
)
GLUED_POSITION = re.compile(  # the first position word after the symbol ends the source ("Para.3vvSupported")
    r"^(?P<source>Source of [Pp]osition\s*:\s*A/HRC/.*?)\s*"
    r"(?P<position>Supported in part|Partially supported|Supported|Noted)(?P<rest>(?:[A-Z-].*)?)$"
)
GLUED_PARAGRAPH = re.compile(r"(?<=[A-Za-z):])\s*(?=\d{1,3}\.\d{1,3}\.?\s+\S)")
GLUED_LABEL = re.compile(
    r"(?<=[A-Za-z):])(?=(?:[A-H]\d{1,2}|S\d{2}) [A-Za-z]|S Sustainable Development Goal|- \S)"
)
POSITIONS = {
    "supported": Response.SUPPORTED,
    "accepted": Response.SUPPORTED,
    "noted": Response.NOTED,
    "supported in part": Response.SUPPORTED_IN_PART,
    "partially supported": Response.SUPPORTED_IN_PART,
    "pending": Response.PENDING,
}


def parse_position(value: str) -> Response | None:
    """A position as OHCHR writes it ("Supported", "Noted", ...), or None if it is not one."""
    return POSITIONS.get(" ".join(value.split()).casefold())


def cells(line: str) -> list[str]:
    """The cells of a line: itself, or, in a matrix flattened with its cells glued together, the cells.

    SOURCE.md of the China matrices describes text such as ``...(Tunisia);Source of position:
    A/HRC/40/6/Add.1 - Para. 2SupportedA12 Acceptance of international normsA41 ...Affected persons:-
    general28.346 ...``. It is cut before the headings, after the position, between theme codes and
    persons, and before the next paragraph number. The text of a recommendation is never cut inside.
    """
    if not GLUED_HEADING.search(line) and not FOOTER.search(line):
        return [line]
    found: list[str] = []
    for part in FOOTER.sub("\n", line).split("\n"):
        for segment in GLUED_HEADING.split(part.strip()):
            if not segment.strip():
                continue
            labels = segment
            if position := GLUED_POSITION.match(segment):
                found += [position["source"], position["position"]]
                labels = position["rest"]
            elif not re.match(
                r"(?:Affected persons|Groups of persons|SDGs|Theme)\s*:", segment, re.IGNORECASE
            ):
                found.append(segment)  # an ordinary line, or the text of a recommendation
                continue
            labels, *text = GLUED_PARAGRAPH.split(labels, maxsplit=1)
            found += [cell.strip() for cell in GLUED_LABEL.split(labels) if cell.strip()]
            found += text
    return found


def upr_session_for_hrc(hrc_session: int) -> int | None:
    """The UPR Working Group session whose outcomes the Human Rights Council adopted at ``hrc_session``.

    The Council has met three times a year since its 4th session (March 2007): March, June,
    September. It adopts in March the outcomes of the UPR session held the previous autumn (the
    last of that year), in June those of the session held that winter (the first of the year) and
    in September those of the spring session (the second). The years of the UPR sessions are in
    the reference data. Checked on Slovenia (28 -> 20, 43 -> 34, 59 -> 48) and China (25 -> 17,
    40 -> 31); it answers None where a year broke the pattern (2020 and 2022 had two sessions).
    """
    if hrc_session < 7:
        return None
    year, slot = 2007 + (hrc_session - 4) // 3, (hrc_session - 4) % 3
    wanted_year, index = (year - 1, -1) if slot == 0 else (year, slot - 1)
    sessions = list(
        UprSession.objects.filter(year=wanted_year).order_by("number").values_list("number", flat=True)
    )
    if len(sessions) != 3:
        return None
    return sessions[index]


class StateNames:
    """Recognises State names in the text, including the broken spacing of the older matrices
    ("Sierra Le one"); gives the reference name of the State."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        for name in State.objects.values_list("name", flat=True):
            self.by_key[name_key(name)] = name
        for key, state_name in StateName.objects.values_list("key", "state__name"):
            self.by_key[key] = state_name
        self.squeezed = {key.replace(" ", ""): name for key, name in self.by_key.items()}
        keys = sorted(self.by_key, key=len, reverse=True)
        # "Slovenia", "Slovenia's", and the demonyms made with -n ("Slovenian society", "Slovenians")
        self.mention = re.compile(r"\b(" + "|".join(re.escape(key) for key in keys) + r")(?:n|ns)?\b")

    def get(self, written: str) -> str | None:
        key = name_key(written)
        return self.by_key.get(key) or self.squeezed.get(key.replace(" ", ""))

    def mentioned(self, text: str) -> Iterator[str]:
        for match in self.mention.finditer(name_key(text)):
            yield self.by_key[match.group(1)]


@dataclass
class _Group:
    """A top-level parenthesised group of a recommendation text."""

    start: int
    end: int  # index after ")"
    content: str


def _groups(text: str) -> list[_Group]:
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(_Group(start, index + 1, text[start + 1 : index]))
    return groups


def _split_names(content: str) -> list[str]:
    """ "Senegal, Venezuela (Bolivarian Republic of),Peru" -> three names (commas inside brackets kept)."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in content:
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    names.append("".join(current).strip())
    return [name for name in names if name]


class RecommendingStatesError(ValueError):
    pass


def split_recommending_states(text: str, names: StateNames) -> tuple[str, list[str]]:
    """The text without the recommending States, and the States, in order of appearance.

    The States are the chains of parenthesised groups that end a recommendation: at the end of the
    text, or before the ";" that separates the parts of a joint one ("... (Ukraine); Increase ...
    (Slovakia);"). A chain is read from its end: "(No. 29) (United Kingdom ...)" keeps "(No. 29)"
    in the text. The last group of the text must name States; any other group that does not stays
    text.
    """
    groups = _groups(text)
    chains: list[list[_Group]] = []
    for group in groups:
        if chains and not text[chains[-1][-1].end : group.start].strip():
            chains[-1].append(group)
        else:
            chains.append([group])
    removed: list[tuple[int, int]] = []
    states: list[list[str]] = []
    for chain in chains:
        after = text[chain[-1].end :]
        at_end = not after.strip(" ;.,")
        if not at_end and not re.match(r"\s*;", after):
            continue
        found: list[str] = []
        start = chain[-1].end
        for position, group in enumerate(reversed(chain)):
            written = _split_names(group.content)
            resolved = [names.get(name) for name in written]
            if None in resolved:
                if at_end and position == 0:
                    unknown = written[resolved.index(None)]
                    raise RecommendingStatesError(f"unknown State {unknown!r} in parentheses")
                break
            found[:0] = [name for name in resolved if name]
            start = group.start
        if found:
            states.append(found)
            end = len(text) if at_end else chain[-1].end
            removed.append((start, end))
    if not states or not removed or removed[-1][1] != len(text):
        raise RecommendingStatesError("no recommending State in parentheses at the end of the text")
    kept, cursor = [], 0
    for start, end in removed:
        kept.append(text[cursor:start].rstrip())
        cursor = end
    kept.append(text[cursor:])
    clean = " ".join("".join(kept).split()).rstrip(" ;,")
    ordered = list(dict.fromkeys(name for group_states in states for name in group_states))
    return clean, ordered


@dataclass
class _Block:
    row: int
    paragraph: str
    text: str
    source: str = ""
    source_row: int = 0
    response: Response | None = None
    mode: str = "themes"
    labels: list[tuple[LabelKind, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # cells that could not be read

    def add(self, kind: LabelKind, value: str) -> None:
        if (kind, value) not in self.labels:
            self.labels.append((kind, value))


@dataclass
class _Review:
    """What the whole document says about itself: the State under review and the session."""

    state: str
    session: int | None
    cycle: int | None


class OhchrListParser:
    """The ``ohchr-list`` format: see the module docstring."""

    name = "ohchr-list"

    def parse(self, path: Path) -> Iterator[Parsed]:
        names = StateNames()
        encoding, review = self._survey(path, names)
        yield SourceFacts(encoding=encoding)
        block: _Block | None = None
        for row, line in self._cells(path, encoding):
            match = PARAGRAPH.match(line)
            if match or THEME_HEADING.match(line):
                if block is not None:
                    yield self._checked(path, block, review, names)
                block = _Block(row, match["para"], match["text"]) if match else None
            elif block is not None:
                try:
                    self._read_cell(path, block, row, line)
                except ImportFailed as error:
                    block.problems.append(Problem.of(error))
        if block is not None:
            yield self._checked(path, block, review, names)

    def write_rejects(self, path: Path, rejects: Sequence[RejectedRow]) -> list[Path]:
        """Not offered: a block cut out of a thematic list no longer says which State it is about."""
        raise InvalidInput(
            "--skip-invalid is not offered for ohchr-list files: correct the list (the problems "
            "name each paragraph) and import it again"
        )

    def _checked(self, path: Path, block: _Block, review: _Review, names: StateNames) -> Parsed:
        """The block's recommendation, or the block rejected with every problem found in it."""
        problems = list(block.problems)
        try:
            item = self._finish(path, block, review, names)
        except ImportFailed as error:
            problems.append(Problem.of(error))
        if problems:
            return RejectedRow(str(path), block.row, problems)
        return item

    @staticmethod
    def _lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
        """Non-blank lines, HTML entities decoded and spaces collapsed, with their line numbers."""
        with open_source(path) as source:
            text = io.TextIOWrapper(source.stream, encoding=encoding, newline=None)  # type: ignore[type-var]
            try:
                for row, raw in enumerate(text, start=1):
                    if len(raw) > MAX_LINE:
                        raise ImportFailed(
                            f"a line of {len(raw):,} characters (at most {MAX_LINE:,}): not a list of "
                            "recommendations",
                            file=str(path),
                            row=row,
                        )
                    if "\x00" in raw:
                        raise ImportFailed(
                            "binary content (a NUL byte): not a text file", file=str(path), row=row
                        )
                    line = " ".join(html.unescape(raw).split())
                    if line:
                        yield row, line
            except (EOFError, OSError, zlib.error) as exc:
                raise ImportFailed(f"the file cannot be read to its end ({exc})", file=str(path)) from exc

    @classmethod
    def _cells(cls, path: Path, encoding: str) -> Iterator[tuple[int, str]]:
        """The cells of the list with their line numbers; the running footer of the matrices dropped."""
        for row, line in cls._lines(path, encoding):
            for cell in cells(line):
                yield row, cell

    def _survey(self, path: Path, names: StateNames) -> tuple[str, _Review]:
        """First pass: the encoding, and the State under review and session the document states."""
        for encoding in ("utf-8-sig", "mac_roman"):
            try:
                return encoding, self._review(path, encoding, names)
            except UnicodeDecodeError:
                continue
        raise AssertionError("mac_roman decodes every byte")

    def _review(self, path: Path, encoding: str, names: StateNames) -> _Review:
        stated: re.Match[str] | None = None
        mentions: Counter[str] = Counter()
        paragraphs = sources = 0
        hrc_session: int | None = None
        for _row, line in self._lines(path, encoding):
            stated = REVIEW.search(line) or stated
            for cell in cells(line):
                if match := PARAGRAPH.match(cell):
                    paragraphs += 1
                    outside_parentheses = re.sub(r"\([^()]*(?:\([^()]*\)[^()]*)*\)", " ", match["text"])
                    mentions.update(names.mentioned(outside_parentheses))
                elif match := SOURCE.match(cell):
                    sources += 1
                    symbol = SYMBOL.match(match["source"])
                    if symbol and hrc_session is None:
                        hrc_session = int(symbol["hrc"])
        if not paragraphs or not sources:
            raise ImportFailed(
                "not an OHCHR thematic list of recommendations: no line starts with a paragraph number "
                "such as '121.1' followed by a 'Source of position' line",
                file=str(path),
            )
        if stated is not None:
            state = names.get(stated["state"])
            if state is None:
                raise ImportFailed(
                    f"unknown State under review {stated['state']!r}",
                    file=str(path),
                    column="State under review",
                )
            session: int | None = int(stated["session"])
        else:
            state = self._dominant(path, mentions)
            session = upr_session_for_hrc(hrc_session) if hrc_session else None
        cycle = None
        if session is not None:
            cycle = UprSession.objects.filter(number=session).values_list("cycle_id", flat=True).first()
        return _Review(state=state, session=session, cycle=cycle)

    @staticmethod
    def _dominant(path: Path, mentions: Counter[str]) -> str:
        ranked = mentions.most_common(2)
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            return ranked[0][0]
        counted = ", ".join(f"{name} {count}" for name, count in ranked) or "none"
        raise ImportFailed(
            "cannot tell which State is under review: the list does not say, and no State is named "
            f"clearly most often in its recommendations (mentions: {counted})",
            file=str(path),
            column="State under review",
        )

    def _read_cell(self, path: Path, block: _Block, row: int, line: str) -> None:
        if match := SOURCE.match(line):
            block.source, block.source_row = match["source"], row
            return
        if not block.source:  # the text of the recommendation goes on
            block.text = f"{block.text} {line}"
            return
        if block.response is None:
            response = parse_position(line)
            if response is None:
                raise ImportFailed(
                    f"paragraph {block.paragraph}: {line[:60]!r} is not a position (Supported, Noted, "
                    "Supported in part)",
                    file=str(path),
                    row=row,
                    column="position",
                )
            block.response = response
            return
        if match := LIST_HEADING.match(line):
            heading = match["heading"].casefold()
            block.mode = "sdgs" if heading == "sdgs" else "persons"
            if match["rest"]:
                self._read_cell(path, block, row, match["rest"])
        elif (match := LISTED_SDG.match(line)) or (match := CODED_SDG.match(line)):
            block.add(LabelKind.SDG_GOAL, str(int(match["goal"])))
        elif match := ITEM.match(line):
            kind = LabelKind.AFFECTED_PERSONS if block.mode == "persons" else LabelKind.THEME
            block.add(kind, match["name"])
        elif match := CODED_THEME.match(line):
            block.add(LabelKind.THEME, match["name"])
        else:
            raise ImportFailed(
                f"paragraph {block.paragraph}: cannot read {line[:60]!r} (expected a theme, an SDG or a "
                "group of persons)",
                file=str(path),
                row=row,
                column="themes",
            )

    def _finish(self, path: Path, block: _Block, review: _Review, names: StateNames) -> ParsedRecommendation:
        def fail(message: str, column: str, row: int = block.row) -> ImportFailed:
            return ImportFailed(
                f"paragraph {block.paragraph}: {message}", file=str(path), row=row, column=column
            )

        if not block.source:
            raise fail(
                "no 'Source of position' line follows the text: the list looks truncated",
                "source of position",
            )
        symbol = SYMBOL.match(block.source)
        if symbol is None:
            raise fail(
                f"{block.source!r} is not a document symbol and paragraph such as 'A/HRC/43/15 - Para 121'",
                "source of position",
                block.source_row,
            )
        if block.response is None:
            raise fail(
                "no position (Supported or Noted) follows the source: the list looks truncated", "position"
            )
        try:
            text, recommending = split_recommending_states(block.text, names)
        except RecommendingStatesError as exc:
            raise fail(f"{exc}; the text reads {block.text[-80:]!r}", "recommending States") from None
        document = symbol["doc"]
        return ParsedRecommendation(
            row=block.row,
            state_under_review=review.state,
            text=text,
            response=block.response,
            recommending_states=recommending,
            session=review.session,
            cycle=review.cycle,
            document_symbol=document,
            paragraph=block.paragraph,
            source_id=f"{document} para {block.paragraph}",
            response_source=block.source,
            labels=block.labels,
        )
