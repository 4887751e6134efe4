"""From extracted text to logical blocks: line ends, page furniture, hyphenation, paragraph boundaries.

Official documents reach us as text extracted from PDF or Word: Windows line ends, form feeds, page
headers and footers ("GE.21-09512", page numbers, the document symbol repeated on every page), words
hyphenated at line ends, and paragraphs cut in two by a page's footnotes. Two layouts occur: paragraphs
separated by blank lines (Word exports) and paragraphs marked by a first-line indent with no blank line
(``pdftotext -layout``). Both become the same list of ``Block``s, so the structure parser never sees a
line break.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SYMBOL_RE = re.compile(
    r"\b(?:A|E|S|CCPR|CRC|CEDAW|CERD|CAT|CMW|CRPD|CED)/(?:[A-Za-z0-9.\-]+/)*[A-Za-z0-9.]*[A-Za-z0-9]"
)
GE_LINE_RE = re.compile(r"^\s*(?:\d{1,4}\s+)?GE\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\d{1,4})?\s*$")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")
FURNITURE_RE = re.compile(r"^\s*(?:\*\d{5,}\*|Please recycle.*)\s*$", re.IGNORECASE)
FOOTNOTE_START_RE = re.compile(r"^(\*{1,4}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\^\{[^}]+\})\s+(\S.*)$")
NUMBERED_START_RE = re.compile(r"^(?:\d{1,3}\.|\([a-z]{1,4}\))\s")
WORD_RE = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Line:
    indent: int
    text: str


@dataclass(slots=True)
class Block:
    """A logical paragraph (or a footnote, when ``footnote_marker`` is set) with its line breaks undone."""

    text: str
    indent: int
    footnote_marker: str = ""


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\u00a0", " ")


def furniture_symbols(lines: list[str]) -> set[str]:
    """Document symbols that stand alone on a line more than once: the running page header."""
    counts = Counter(line.strip() for line in lines if SYMBOL_RE.fullmatch(line.strip()))
    return {symbol for symbol, n in counts.items() if n >= 2}


def strip_furniture(text: str) -> tuple[list[Line], list[str]]:
    """Lines without page headers and footers, and the standalone symbols seen (first one first).

    A symbol alone on a line is the document's own symbol (top of page one or a running header); it is
    removed from the text and returned, so the parser can still read it.
    """
    raw = normalise_newlines(text).split("\n")
    symbols: list[str] = []
    lines: list[Line] = []
    for raw_line in raw:
        stripped = raw_line.strip()
        if not stripped:
            lines.append(Line(0, ""))
            continue
        if SYMBOL_RE.fullmatch(stripped):
            if stripped not in symbols:
                symbols.append(stripped)
            continue
        if GE_LINE_RE.match(stripped) or PAGE_NUMBER_RE.match(stripped) or FURNITURE_RE.match(stripped):
            continue
        expanded = raw_line.expandtabs(8).rstrip()
        lines.append(Line(len(expanded) - len(expanded.lstrip()), expanded.strip()))
    return lines, symbols


def vocabulary(text: str) -> set[str]:
    return {word.lower() for word in WORD_RE.findall(text)}


def join_lines(first: str, second: str, vocab: set[str]) -> str:
    """Join two wrapped lines, undoing a line-end hyphenation only when the document spells the word whole.

    UN texts are full of real compounds broken at their hyphen ("victim-\\noriented"), so a hyphen is kept
    (and the two halves are joined without a space) unless the joined word occurs elsewhere in the document.
    """
    if not first:
        return second
    if first.endswith("-") and len(first) > 1 and first[-2].isalpha() and second[:1].isalpha():
        head = WORD_RE.findall(first[-40:])
        tail = WORD_RE.match(second)
        if second[:1].islower() and head and tail and (head[-1] + tail.group(0)).lower() in vocab:
            return first[:-1] + second
        return first + second  # a compound broken at its own hyphen
    return f"{first} {second}"


TRAILING_MARKERS_RE = re.compile(r"(?:\^\{[^}]*\}|[¹²³⁴⁵⁶⁷⁸⁹⁰*\s])+$")


def _ends_paragraph(text: str) -> bool:
    return TRAILING_MARKERS_RE.sub("", text).endswith((",", ";", ":", ".", "]", "”", '"'))


def build_blocks(lines: list[Line], vocab: set[str]) -> list[Block]:
    """Group lines into blocks: new block at a blank line or a first-line indent; undo page breaks.

    After a blank line (a paragraph break, or a page break whose furniture was removed) the text goes on
    with the previous paragraph when that one has no closing punctuation, when the line starts in lower
    case, when (in indented layout) the line is not indented, or when the previous paragraph ends with a
    comma and the line cannot open a preambular paragraph. A footnote cut by a page break goes on in the
    same way (``_continues_footnote``), so that footnotes at the foot of a page never split a paragraph.
    """
    indents = [line.indent for line in lines if line.text]
    layout = bool(indents) and max(indents) - min(indents) >= 3
    blocks: list[Block] = []
    current: Block | None = None
    last_text: Block | None = None  # the last non-footnote block, for continuations across footnotes
    after_gap = True
    for i, line in enumerate(lines):
        if not line.text:
            after_gap = True
            continue
        footnote = FOOTNOTE_START_RE.match(line.text)
        starts_numbered = bool(NUMBERED_START_RE.match(line.text))
        local_base = _local_base(lines, i) if layout else line.indent
        indented = layout and line.indent >= local_base + 3
        if footnote and (after_gap or current is None or current.footnote_marker or indented):
            current = Block(footnote.group(2), line.indent, footnote_marker=footnote.group(1))
            blocks.append(current)
        elif current is None:
            current = Block(line.text, line.indent)
            blocks.append(current)
            last_text = current
        elif (
            after_gap and current.footnote_marker and _continues_footnote(current.text, line.text, last_text)
        ):
            current.text = join_lines(current.text, line.text, vocab)  # a footnote cut by a page break
        elif after_gap:
            previous = last_text
            continues = previous is not None and (
                line.text[:1].islower()
                or not _ends_paragraph(previous.text)
                or (layout and not indented and not starts_numbered)
                or (
                    _ends_with_comma(previous.text)
                    and not indented
                    and not starts_numbered
                    and not _opens_preamble(line.text)
                )
            )
            if continues and previous is not None:
                previous.text = join_lines(previous.text, line.text, vocab)
                current = previous
            else:
                current = Block(line.text, line.indent)
                blocks.append(current)
                last_text = current
        elif indented or (starts_numbered and _ends_paragraph(current.text) and not layout):
            current = Block(line.text, line.indent)
            blocks.append(current)
            last_text = current
        else:
            current.text = join_lines(current.text, line.text, vocab)
        after_gap = False
    return blocks


PREAMBLE_OPENERS = {
    "aware", "mindful", "convinced", "conscious", "determined", "alarmed", "cognizant", "desirous",
    "concerned", "guided", "encouraged", "disturbed", "appalled", "shocked", "dismayed", "gratified",
    "inspired", "committed", "deeply", "gravely", "seriously", "profoundly", "strongly", "fully", "firmly",
    "further", "also",
}  # fmt: skip


def _ends_with_comma(text: str) -> bool:
    return TRAILING_MARKERS_RE.sub("", text).endswith(",")


def _opens_preamble(line: str) -> bool:
    """Whether a line can open a preambular paragraph ("Recalling", "Deeply concerned", "Aware", ...).

    After a paragraph that ends with a comma, a line that cannot is the same paragraph resumed after a page
    break ("... of 16 December 2020, | page break | Human Rights Council resolution 44/18 ...").
    """
    first = line.lstrip("\u201c\"\u2018'").split(" ", 1)[0].rstrip(",").lower()
    return (first.endswith("ing") and first != "beijing") or first in PREAMBLE_OPENERS


def _continues_footnote(footnote: str, line: str, last_text: Block | None) -> bool:
    """Whether a line after a page break goes on with the footnote just read.

    Not when a paragraph plainly starts, nor when the last paragraph was cut mid-sentence (it resumes
    after the page's footnotes); otherwise the footnote itself was cut.
    """
    if footnote.endswith("-"):
        return True
    if _opens_preamble(line) or NUMBERED_START_RE.match(line) or FOOTNOTE_START_RE.match(line):
        return False
    return last_text is None or _ends_paragraph(last_text.text)


def _local_base(lines: list[Line], i: int, radius: int = 6) -> int:
    window = [line.indent for line in lines[max(0, i - radius) : i + radius + 1] if line.text]
    return min(window) if window else 0
