"""The resolution parser, given the seed resolution or a session report garbled in any way (cut short,
lines dropped, repeated or swapped, noise spliced in) or arbitrary text: it parses, or refuses with
``InvalidInput`` saying what is missing; never another exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hrcoop.core.errors import InvalidInput
from hrcoop.mandates.parsing import parse_document

NOISE = st.text(
    alphabet=st.sampled_from(list("*_.;:,()[]1234567890 \t\x00\u00a0\u2028\féa\u0627中")) | st.characters(),
    max_size=60,
)
MARKERS = st.sampled_from(
    [
        "The Human Rights Council,",
        "1. *Reaffirms* its resolution",
        "2. *Decides* to",
        "*Requests* the High Commissioner to",
        "Part One",
        "Part Two",
        "Resolutions",
        "A/HRC/47/L.10",
        "47/1.",
        "(a) to present a report",
        "*Recalling*",
        "   ",
    ]
)


def _parses_or_refuses(text: str) -> None:
    try:
        parse_document(text)
    except InvalidInput as exc:
        assert exc.message


@st.composite
def garbled(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            break
        at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        span = draw(st.integers(min_value=1, max_value=40))
        change = draw(st.sampled_from(["cut", "drop", "repeat", "swap", "noise", "marker"]))
        if change == "cut":
            lines = lines[:at]
        elif change == "drop":
            del lines[at : at + span]
        elif change == "repeat":
            lines[at:at] = lines[at : at + span]
        elif change == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif change == "noise":
            lines.insert(at, draw(NOISE))
        else:
            lines.insert(at, draw(MARKERS) + draw(NOISE))
    return "\n".join(lines)


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_a_garbled_resolution_parses_or_is_refused(seed_text: str, data: st.DataObject) -> None:
    _parses_or_refuses(data.draw(garbled(seed_text)))


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_garbled_session_report_parses_or_is_refused(report_text: str, data: st.DataObject) -> None:
    _parses_or_refuses(data.draw(garbled(report_text)))


@settings(max_examples=200, deadline=None)
@given(text=st.lists(MARKERS | NOISE, max_size=30).map("\n".join))
def test_any_text_parses_or_is_refused(text: str) -> None:
    _parses_or_refuses(text)
