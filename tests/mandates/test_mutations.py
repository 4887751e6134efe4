"""The parser on damaged input: the structure survives, or the error says what is missing.

Each mutation imitates what text extraction does to official documents: lines re-wrapped at another
width, page headers and footers in the middle of a paragraph, words hyphenated at line ends, footnotes
lost, Windows line ends, italics lost.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrcoop.mandates.parsing import NotAResolution, ParsedResolution, parse_resolution, split_session_report

FURNITURE = ["", "GE.21-09512", "", "7", "", "A/HRC/47/L.10", ""]


def structure(resolution: ParsedResolution) -> list[tuple[str, str, str]]:
    return [(p.anchor, p.phrase, p.text) for p in resolution.paragraphs]


def rewrap(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(line, width) if line else "" for line in text.split("\n"))


def with_furniture(text: str, every: int) -> str:
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines, start=1):
        out.append(line)
        if i % every == 0:
            out.extend(FURNITURE)
    return "\n".join(out)


def hyphenate(text: str) -> tuple[str, int]:
    """Break the last word of every third wrapped line across the line end, as a typesetter would."""
    lines = text.split("\n")
    count = 0
    for i in range(0, len(lines) - 1, 3):
        match = re.search(r"\b([a-z]{9,})$", lines[i])
        if match and lines[i + 1] and lines[i + 1][:1].isalpha():
            word = match.group(1)
            lines[i] = lines[i][: match.start()] + word[:4] + "-"
            lines[i + 1] = word[4:] + " " + lines[i + 1]
            count += 1
    return "\n".join(lines), count


@pytest.fixture(scope="module")
def original(seed_text: str) -> ParsedResolution:
    return parse_resolution(seed_text)


def test_windows_line_ends(seed_text: str, original: ParsedResolution) -> None:
    crlf = parse_resolution(seed_text.replace("\n", "\r\n"))
    assert structure(crlf) == structure(original)
    assert [f.marker for f in crlf.footnotes] == [f.marker for f in original.footnotes]


@pytest.mark.parametrize("width", [45, 72, 100])
def test_rewrapped_lines(seed_text: str, original: ParsedResolution, width: int) -> None:
    assert structure(parse_resolution(rewrap(seed_text, width))) == structure(original)


def test_page_headers_and_footers_inside_paragraphs(seed_text: str, original: ParsedResolution) -> None:
    mutated = parse_resolution(with_furniture(rewrap(seed_text, 60), every=7))
    assert structure(mutated) == structure(original)
    assert mutated.symbol == "A/HRC/47/L.10", "the running header names the document"


def test_hyphenation_at_line_ends(seed_text: str, original: ParsedResolution) -> None:
    hyphenated, count = hyphenate(rewrap(seed_text, 60))
    assert count > 20
    mutated = parse_resolution(hyphenated)
    assert [p.phrase for p in mutated.paragraphs] == [p.phrase for p in original.paragraphs]
    assert len(mutated.preamble) == 34 and len(mutated.operative) == 36
    # a word broken at a line end is joined whole when the document spells it whole elsewhere; a word seen
    # nowhere else keeps its hyphen (it may be a compound such as "far-reaching"), but never gains a space
    joined = " ".join(p.text for p in mutated.paragraphs)
    assert joined.replace("-", "") == " ".join(p.text for p in original.paragraphs).replace("-", "")
    assert "inte-\nrnational" in hyphenated and "inte-rnational" not in joined and "international" in joined


def test_italic_markers_lost(seed_text: str, original: ParsedResolution) -> None:
    plain = re.sub(r"\*([A-Za-z][^*]*?)\*", r"\1", seed_text)
    assert "*Requests*" not in plain
    assert [p.phrase for p in parse_resolution(plain).operative] == [p.phrase for p in original.operative]


def test_missing_footnotes_are_named(seed_text: str, original: ParsedResolution) -> None:
    without = "\n".join(line for line in seed_text.split("\n") if not line.startswith(("¹ ", "³ ")))
    mutated = parse_resolution(without)
    assert structure(mutated) == structure(original)
    assert "footnote 1 is referred to in paragraph pp8 but its text is missing" in mutated.warnings
    assert "footnote 3 is referred to in operative paragraph 20 but its text is missing" in mutated.warnings
    assert mutated.operative[19].footnotes == []


def test_report_with_windows_line_ends(report_text: str) -> None:
    parts = split_session_report(report_text.replace("\n", "\r\n"))
    six = next(p for p in parts if p.number == "14/6")
    parsed = parse_resolution(six.text, symbol=six.symbol)
    assert (len(parsed.preamble), len(parsed.operative)) == (5, 18)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=25, deadline=None)
@given(width=st.integers(min_value=30, max_value=140), every=st.integers(min_value=3, max_value=40))
def test_any_wrap_and_page_break(seed_text: str, original: ParsedResolution, width: int, every: int) -> None:
    mutated = parse_resolution(with_furniture(rewrap(seed_text, width), every))
    assert structure(mutated) == structure(original)


def test_not_a_resolution(report_text: str) -> None:
    prose = report_text[report_text.index("Part Two") : report_text.index("Part Two") + 5000]
    with pytest.raises(NotAResolution, match="not a resolution: no line 'The Human Rights Council,'"):
        parse_resolution(prose)


def test_preamble_without_operative_part_is_not_a_resolution(seed_text: str) -> None:
    cut = seed_text[: seed_text.index("1. *Reaffirms*")]
    with pytest.raises(NotAResolution, match="found no operative paragraph"):
        parse_resolution(cut)


def test_report_without_part_one() -> None:
    with pytest.raises(Exception, match="not a session report"):
        split_session_report("Report of the Human Rights Council\n\nSummary of proceedings\n")


def test_lost_operative_paragraphs_are_named(seed_text: str) -> None:
    start, end = seed_text.index("5. *Reaffirms*"), seed_text.index("8. *Expresses its concern*")
    mutated = parse_resolution(seed_text[:start] + seed_text[end:])
    assert len(mutated.operative) == 33
    assert "operative paragraph 5-7 is missing (numbering goes from 4 to 8)" in mutated.warnings
