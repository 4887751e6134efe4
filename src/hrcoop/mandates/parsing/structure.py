"""The structure of one resolution: header, sponsors, preambular and operative paragraphs, footnotes.

The text is first turned into blocks (``text.py``); the header is everything before the line "The Human
Rights Council," (or "The General Assembly,"), the body everything after it up to the adoption line
("10th meeting / 2 June 2010 / [Adopted without a vote.]"). A text with no such line, or with no
operative paragraph, is not a resolution and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from hrcoop.core.errors import InvalidInput
from hrcoop.mandates.parsing.addressees import Addressee, MandateSpec, addressees_of, mandates_in
from hrcoop.mandates.parsing.citations import DATE_RE, Citation, extract_citations, parse_date
from hrcoop.mandates.parsing.ordinals import ORDINAL_PATTERN, ordinal_value
from hrcoop.mandates.parsing.text import Block, Line, build_blocks, strip_furniture, vocabulary

ANCHOR_RE = re.compile(
    "^[\u201c\"\u2018']?The (Human Rights Council|General Assembly|Commission on Human Rights"
    r"|Security Council),\s*(.*)$"
)
OPERATIVE_RE = re.compile(r"^(\d{1,3})(?:\.\s+|\s{2,}(?=[A-Z*]))(.*)$", re.DOTALL)
SUB_RE = re.compile(r"^\(([a-z]{1,4})\)\s+(.*)$", re.DOTALL)
MARKER_RE = re.compile(r"\^\{([^}]+)\}|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
ITALIC_RE = re.compile(r"\*([^*\n]+?)\*")
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
MEETING_RE = re.compile(r"^(\d+(?:st|nd|rd|th) meeting)\b", re.IGNORECASE)
ADOPTED_RE = re.compile(r"^\[(Adopted[^\]]*)\]?", re.IGNORECASE)
SESSION_LINE_RE = re.compile(rf"^(?P<ordinal>{ORDINAL_PATTERN})\s+(?:special\s+)?session\b", re.IGNORECASE)
AGENDA_RE = re.compile(r"^Agenda items?\s+([\w ,()]+?)\s*$", re.IGNORECASE)
NUMBER_TITLE_RE = re.compile(r"^(\d{1,3}/(?:\d{1,3}[A-Z]?|\.{2,}|…))\.?(?:\s+(\S.*))?$")
SPONSORS_RE = re.compile(
    r"^(?P<who>.+?)\s*:?\s*(?:revised\s+)?draft\s+(?P<what>resolution|decision)\s*$", re.IGNORECASE
)
ADOPTED_BY_RE = re.compile(r"^(?:Resolution|Decision) adopted by the|^\[on the report")
DOC_SYMBOL_RE = re.compile(
    r"^(A/HRC/(?:RES/|DEC/)?\d+/(?:L\.\d+(?:/Rev\.\d+)?|\d+)|A/(?:RES/)?\d+/(?:L\.\d+|\d+))$"
)
ADVERBS = (
    r"(?:Also|Further|Again|Once again|Once more|Strongly|Urgently|Firmly|Deeply|Further also|Also further"
    r"|Likewise|Equally)"
)
VERB_RE = re.compile(
    rf"^(?:{ADVERBS}\s+)?(?:[A-Z]?[a-z]+(?:-[a-z]+)?s)\b"
    r"(?:(?<=Calls) (?:upon|on|for)|(?<=Appeals) to"
    r"|(?<=Takes) note(?: with (?:appreciation|interest|satisfaction|concern))?"
    r"|(?:(?<=Expresses)|(?<=Reiterates)|(?<=Reaffirms)) (?:its )?"
    r"(?:deep |grave |serious |profound |sincere |deepest |particular )?"
    r"(?:concern|appreciation|gratitude|condolences|sympathy|solidarity|alarm))?",
    re.IGNORECASE,
)
PREAMBLE_ADVERBS = (
    r"(?:Deeply|Gravely|Seriously|Profoundly|Strongly|Fully|Firmly|Greatly|Particularly|Equally|Further)"
)
OPENING_RE = re.compile(
    rf"^(?:{PREAMBLE_ADVERBS}\s+)?[A-Za-z][a-z]+(?:-[a-z]+)?"
    r"(?:(?<=Taking) (?:note|into account|into consideration)|(?<=Bearing) in mind|(?<=Having) \w+"
    r"|(?<=Expressing) (?:its )?(?:deep |grave |serious |profound |great )?"
    r"(?:concern|appreciation|satisfaction|alarm))?"
    r"(?: (?:also|further|moreover|furthermore|in particular|once again))?"
    r"(?: with (?:deep |grave |serious |great )?(?:concern|appreciation|satisfaction|interest|alarm))?"
    r"(?: (?:also|further))?(?=[\s,]|$)"
)
PREAMBLE_WORDS = {
    "aware",
    "mindful",
    "convinced",
    "conscious",
    "determined",
    "alarmed",
    "cognizant",
    "desirous",
    "concerned",
    "guided",
    "acknowledging",
    "affirming",
}
PROTECTED_NAMES = [
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
]


class NotAResolution(InvalidInput):
    """The text lacks what every resolution has; the message says what was looked for."""

    code = "not_a_resolution"


@dataclass(slots=True)
class Footnote:
    marker: str
    text: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class SubParagraph:
    label: str
    text: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    kind: str  # "preambular" or "operative"
    position: int  # 1-based within its kind
    number: str  # the printed number of an operative paragraph ("" for preambular ones)
    phrase: str  # opening phrase (preambular) or verb phrase (operative)
    text: str
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    footnote_refs: list[tuple[str, int]] = field(default_factory=list)  # (marker, offset in text)
    footnotes: list[Footnote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    addressees: list[Addressee] = field(default_factory=list)
    mandates: list[MandateSpec] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"op{self.number or self.position}" if self.kind == "operative" else f"pp{self.position}"

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *(f"({s.label}) {s.text}" for s in self.subparagraphs)])


@dataclass(slots=True)
class Sponsor:
    name: str
    on_behalf_of: str = ""
    non_member: bool = False
    markers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedResolution:
    symbol: str
    number: str
    kind: str  # "resolution", "draft" or "decision"
    body: str  # "HRC", "GA", "CHR", "SC"
    session: int | None
    title: str
    agenda_item: str = ""
    agenda_title: str = ""
    document_date: date | None = None
    adopted_on: date | None = None
    meeting: str = ""
    adoption: str = ""
    sponsors: list[Sponsor] = field(default_factory=list)
    preamble: list[Paragraph] = field(default_factory=list)
    operative: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [*self.preamble, *self.operative]

    @property
    def citations(self) -> list[Citation]:
        out: list[Citation] = []
        for paragraph in self.paragraphs:
            out.extend(paragraph.citations)
            for sub in paragraph.subparagraphs:
                out.extend(sub.citations)
            for footnote in paragraph.footnotes:
                out.extend(footnote.citations)
        return out


BODY_CODES = {
    "Human Rights Council": "HRC",
    "General Assembly": "GA",
    "Commission on Human Rights": "CHR",
    "Security Council": "SC",
}


def _canonical_marker(raw: str) -> str:
    return raw.translate(SUPERSCRIPTS).strip("^{} ")


def _strip_markers(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Remove footnote markers, remembering where they stood; then drop italic asterisks."""
    refs: list[tuple[str, int]] = []
    out: list[str] = []
    last = 0
    length = 0
    for match in MARKER_RE.finditer(text):
        piece = text[last : match.start()]
        out.append(piece)
        length += len(piece)
        refs.append((_canonical_marker(match.group(0)), length))
        last = match.end()
    out.append(text[last:])
    plain = "".join(out)
    if "*" not in plain:
        return plain, refs
    # dropping italic asterisks shifts later offsets: recompute them on the fly
    result: list[str] = []
    shifted: list[tuple[str, int]] = []
    removed_before: list[int] = []
    position = 0
    for match in ITALIC_RE.finditer(plain):
        result.append(plain[position : match.start()])
        result.append(match.group(1))
        removed_before.append(match.start())
        removed_before.append(match.end() - 1)
        position = match.end()
    result.append(plain[position:])
    for marker, offset in refs:
        shifted.append((marker, offset - sum(1 for r in removed_before if r < offset)))
    return "".join(result), shifted


def _verb_phrase(text: str) -> str:
    italic = re.match(r"^\*([^*]+)\*", text)
    if italic:
        return italic.group(1).strip()
    match = VERB_RE.match(text)
    return match.group(0) if match else ""


def _opening_phrase(text: str) -> str:
    match = OPENING_RE.match(text)
    return match.group(0) if match else text.split(" ", 1)[0].rstrip(",")


def _looks_operative(text: str) -> bool:
    """An unnumbered block that opens with a verb in the third person ("Adopts the outcome ...")."""
    first = re.sub(rf"^{ADVERBS}\s+", "", text.lstrip('*“"')).split(" ", 1)[0].strip("*,")
    lowered = first.lower()
    return (
        lowered.endswith("s")
        and not lowered.endswith(("ings", "ous", "ss"))
        and first[:1].isupper()
        and lowered not in PREAMBLE_WORDS
    )


def _split_names(chunk: str) -> list[str]:
    protected = chunk
    for i, name in enumerate(PROTECTED_NAMES):
        protected = protected.replace(name, f"\x00{i}\x00")
    names = []
    for piece in re.split(r",|\band\b", protected):
        name = re.sub(r"\x00(\d+)\x00", lambda m: PROTECTED_NAMES[int(m.group(1))], piece).strip(" :;.")
        if name:
            names.append(name)
    return names


def _parse_sponsors(line: str) -> list[Sponsor]:
    line = re.sub(r"(?<=[\w,:)])(\*+)(?=[\s,:]|$)", lambda m: "^{" + m.group(1) + "}", line)
    sponsors: list[Sponsor] = []
    for part in re.split(r"(\^\{[^}]+\}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)", line):
        if not part:
            continue
        if MARKER_RE.fullmatch(part):
            if sponsors:
                sponsors[-1].markers.append(_canonical_marker(part))
            continue
        for name in _split_names(part):
            behalf = re.search(r"\(on behalf of ([^)]+)\)", name, re.IGNORECASE)
            clean = re.sub(r"\s*\(on behalf of [^)]+\)", "", name, flags=re.IGNORECASE)
            sponsors.append(Sponsor(clean, on_behalf_of=behalf.group(1) if behalf else ""))
    return sponsors


def _find_anchor(lines: list[Line]) -> tuple[int, str]:
    for i, line in enumerate(lines):
        match = ANCHOR_RE.match(line.text)
        if match:
            if match.group(2):  # text run on after the comma: put it on a line of its own
                lines.insert(i + 1, Line(line.indent, match.group(2)))
                lines[i] = Line(line.indent, line.text[: line.text.index(",") + 1])
            return i, BODY_CODES[match.group(1)]
    raise NotAResolution(
        "not a resolution: no line 'The Human Rights Council,' or 'The General Assembly,' opens a preamble"
    )


def parse_resolution(
    text: str, *, symbol: str = "", session: int | None = None, kind: str = "", own_body: str = ""
) -> ParsedResolution:
    """Parse one resolution, draft resolution or decision; hints come from a report it was split out of."""
    lines, standalone_symbols = strip_furniture(text)
    vocab = vocabulary(text)
    anchor, body = _find_anchor(lines)
    body = own_body or body
    result = ParsedResolution(symbol=symbol, number="", kind=kind, body=body, session=session, title="")
    header = [line.text for line in lines[:anchor]]
    _parse_header(header, result, standalone_symbols)

    body_lines = lines[anchor + 1 :]
    tail: list[str] = []
    for i, line in enumerate(body_lines):
        if MEETING_RE.match(line.text) or ADOPTED_RE.match(line.text):
            tail = [ln.text for ln in body_lines[i:] if ln.text]
            body_lines = body_lines[:i]
            break
    _parse_tail(tail, result)
    blocks = build_blocks(body_lines, vocab)
    _parse_body(blocks, result)
    if not result.operative:
        raise NotAResolution(
            "not a resolution: found no operative paragraph "
            "(numbered '1. Decides ...' or one opening with a verb such as 'Adopts')"
        )
    _finish(result)
    return result


def _parse_header(header: list[str], result: ParsedResolution, symbols: list[str]) -> None:
    for candidate in symbols:
        if DOC_SYMBOL_RE.match(candidate) and not result.symbol:
            result.symbol = candidate
    i = 0
    title_lines: list[str] = []
    while i < len(header):
        line = header[i]
        if not line:
            pass
        elif not result.symbol and DOC_SYMBOL_RE.match(line):
            result.symbol = line
        elif SESSION_LINE_RE.match(line) and result.session is None:
            result.session = ordinal_value(SESSION_LINE_RE.match(line).group("ordinal"))  # type: ignore[union-attr]
        elif AGENDA_RE.match(line):
            result.agenda_item = AGENDA_RE.match(line).group(1)  # type: ignore[union-attr]
            following = next((h for h in header[i + 1 :] if h), "")
            known = (SPONSORS_RE, NUMBER_TITLE_RE, ADOPTED_BY_RE, DATE_RE)
            if following and not any(r.match(following) for r in known):
                result.agenda_title = following
                i = header.index(following, i + 1)
        elif SPONSORS_RE.match(line) and not result.sponsors:
            match = SPONSORS_RE.match(line)
            assert match is not None
            result.sponsors = _parse_sponsors(match.group("who"))
            if not result.kind:
                result.kind = "draft" if match.group("what").lower() == "resolution" else "decision"
        elif NUMBER_TITLE_RE.match(line) and not result.number:
            match = NUMBER_TITLE_RE.match(line)
            assert match is not None
            result.number = match.group(1)
            if match.group(2):
                title_lines.append(match.group(2))
            for following in header[i + 1 :]:
                if not following and title_lines:
                    break
                title_lines.append(following)
            break
        elif ADOPTED_BY_RE.match(line):
            result.adopted_on = result.adopted_on or parse_date(line)
        elif DATE_RE.fullmatch(line) and result.document_date is None:
            result.document_date = parse_date(line)
        i += 1
    result.title = " ".join(title_lines).strip()
    if result.number and result.session is None:
        head = result.number.split("/")[0]
        result.session = int(head) if head.isdigit() else None
    if not result.kind:
        tail = result.number.split("/")[-1] if result.number else ""
        if "/L." in result.symbol or tail.startswith((".", "…")):
            result.kind = "draft"
        elif "/DEC/" in result.symbol or (tail.isdigit() and int(tail) >= 100 and result.body == "HRC"):
            result.kind = "decision"
        else:
            result.kind = "resolution"
    if not result.symbol and result.number and result.kind != "draft":
        series = {"HRC": "A/HRC/", "GA": "A/"}.get(result.body, "")
        if series:
            result.symbol = f"{series}{'DEC' if result.kind == 'decision' else 'RES'}/{result.number}"


def _parse_tail(tail: list[str], result: ParsedResolution) -> None:
    for line in tail:
        meeting = MEETING_RE.match(line)
        if meeting:
            result.meeting = meeting.group(1)
        elif DATE_RE.fullmatch(line) and result.adopted_on is None:
            result.adopted_on = parse_date(line)
        elif ADOPTED_RE.match(line) and not result.adoption:
            adopted = ADOPTED_RE.match(line)
            assert adopted is not None
            result.adoption = adopted.group(1).split(". ")[0].rstrip(".") + "."


def _new_paragraph(kind: str, position: int, number: str, text: str) -> Paragraph:
    clean, refs = _strip_markers(text.strip('“”"').strip())
    phrase = _verb_phrase(text.lstrip('“"')) if kind == "operative" else _opening_phrase(clean)
    return Paragraph(kind, position, number, phrase, clean, footnote_refs=refs)


def _parse_body(blocks: list[Block], result: ParsedResolution) -> None:
    notes: dict[str, Footnote] = {}
    last: Paragraph | None = None
    for block in blocks:
        if block.footnote_marker:
            marker = _canonical_marker(block.footnote_marker)
            notes[marker] = Footnote(marker, block.text.strip())
            continue
        text = block.text
        numbered = OPERATIVE_RE.match(text)
        sub = SUB_RE.match(text)
        if numbered:
            last = _new_paragraph(
                "operative", len(result.operative) + 1, numbered.group(1), numbered.group(2)
            )
            result.operative.append(last)
        elif sub and last is not None:
            clean, refs = _strip_markers(sub.group(2).strip('“”"'))
            last.subparagraphs.append(SubParagraph(sub.group(1), clean))
            last.footnote_refs.extend((m, -1) for m, _ in refs)
        elif not result.operative and not text[:1].islower() and not _looks_operative(text):
            last = _new_paragraph("preambular", len(result.preamble) + 1, "", text)
            result.preamble.append(last)
        elif _looks_operative(text) and (not result.operative or not result.operative[-1].number):
            last = _new_paragraph("operative", len(result.operative) + 1, "", text)
            result.operative.append(last)
        elif last is not None:
            clean, refs = _strip_markers(text)
            base = len(last.text) + 1
            last.text = f"{last.text} {clean}"
            last.footnote_refs.extend((m, base + o) for m, o in refs)
        else:
            result.warnings.append(f"text before the first paragraph was ignored: {text[:60]!r}")
    _attach_footnotes(result, notes)


def _attach_footnotes(result: ParsedResolution, notes: dict[str, Footnote]) -> None:
    used: set[str] = set()
    for sponsor in result.sponsors:
        for marker in sponsor.markers:
            note = notes.get(marker)
            if note is None:
                result.warnings.append(f"footnote {marker} of sponsor {sponsor.name} is missing")
                continue
            used.add(marker)
            behalf = re.match(r"On behalf of (.+?)\.?$", note.text, re.IGNORECASE)
            if behalf:
                sponsor.on_behalf_of = behalf.group(1)
            if re.search(r"not a member of the (?:Human Rights )?Council", note.text, re.IGNORECASE):
                sponsor.non_member = True
    for paragraph in result.paragraphs:
        for marker, _offset in paragraph.footnote_refs:
            note = notes.get(marker)
            if note is None:
                where = (
                    f"operative paragraph {paragraph.number}"
                    if paragraph.number
                    else f"paragraph {paragraph.anchor}"
                )
                result.warnings.append(f"footnote {marker} is referred to in {where} but its text is missing")
                continue
            used.add(marker)
            if note not in paragraph.footnotes:
                paragraph.footnotes.append(note)
    for marker in notes:
        if marker not in used:
            result.warnings.append(f"footnote {marker} is not referred to in the text")
    result.footnotes = list(notes.values())


def _check_numbering(result: ParsedResolution) -> None:
    """Say which operative paragraphs are missing or repeated: a page lost in extraction shows here."""
    previous = 0
    for paragraph in result.operative:
        if not paragraph.number:
            continue
        number = int(paragraph.number)
        if number > previous + 1:
            missing = f"{previous + 1}" if number == previous + 2 else f"{previous + 1}-{number - 1}"
            result.warnings.append(
                f"operative paragraph {missing} is missing (numbering goes from {previous} to {number})"
            )
        elif number <= previous:
            result.warnings.append(f"operative paragraph {number} comes after paragraph {previous}")
        previous = number


def _finish(result: ParsedResolution) -> None:
    _check_numbering(result)
    own = result.body
    for footnote in result.footnotes:
        footnote.citations = extract_citations(footnote.text, own_body=own)
    for paragraph in result.paragraphs:
        paragraph.citations = extract_citations(paragraph.text, own_body=own)
        for sub in paragraph.subparagraphs:
            sub.citations = extract_citations(sub.text, own_body=own)
        if paragraph.kind == "operative":
            full = paragraph.full_text
            paragraph.addressees = addressees_of(full, paragraph.phrase, own_body=own)
            paragraph.mandates = mandates_in(paragraph.phrase, full, own_body=own)
            if not paragraph.phrase:
                result.warnings.append(f"operative paragraph {paragraph.number}: no verb found")
