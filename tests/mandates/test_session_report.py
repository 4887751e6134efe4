"""A/HRC/14/37 (report of the Council's fourteenth session) cut into resolutions 14/1-14/16 and decisions.

Paragraph counts were established by reading the report: 14/1-14/11 on the full text, 14/12-14/16 from
the paragraph-opening lines and the printed numbering (14/12 prints paragraph 6 as "6" without a point).
"""

from __future__ import annotations

from datetime import date

import pytest

from hrcoop.mandates.parsing import (
    NotAResolution,
    ParsedResolution,
    parse_document,
    parse_resolution,
    split_session_report,
)
from hrcoop.mandates.parsing.splitter import report_symbol
from tests.conftest import shared_data

# number: (preambular paragraphs, operative paragraphs), counted by hand
EXPECTED_COUNTS = {
    "14/1": (5, 10),
    "14/2": (18, 13),
    "14/3": (22, 16),
    "14/4": (11, 34),
    "14/5": (5, 8),
    "14/6": (5, 18),
    "14/7": (9, 3),
    "14/8": (8, 2),
    "14/9": (10, 12),
    "14/10": (13, 14),
    "14/11": (4, 15),
    "14/12": (12, 24),
    "14/13": (5, 11),
    "14/14": (9, 10),
    "14/15": (8, 5),
    "14/16": (9, 9),
}


@pytest.fixture(scope="module")
def parsed(report_text: str) -> dict[str, ParsedResolution]:
    return {
        part.number: parse_resolution(part.text, symbol=part.symbol, kind=part.kind)
        for part in split_session_report(report_text)
    }


def test_split_into_16_resolutions_and_19_decisions(report_text: str) -> None:
    parts = split_session_report(report_text)
    assert [p.number for p in parts if p.kind == "resolution"] == [f"14/{n}" for n in range(1, 17)]
    assert [p.number for p in parts if p.kind == "decision"] == [f"14/{n}" for n in range(101, 120)]
    assert report_symbol(report_text) == "A/HRC/14/37"


@pytest.mark.parametrize("number", list(EXPECTED_COUNTS))
def test_paragraph_counts(parsed: dict[str, ParsedResolution], number: str) -> None:
    resolution = parsed[number]
    assert (len(resolution.preamble), len(resolution.operative)) == EXPECTED_COUNTS[number]
    assert [p.number for p in resolution.operative] == [
        str(n) for n in range(1, len(resolution.operative) + 1)
    ]
    assert resolution.symbol == f"A/HRC/RES/{number}" and resolution.session == 14
    assert all(p.phrase for p in resolution.operative), "every operative paragraph of 14/1-14/16 has a verb"


def test_titles_and_adoption(parsed: dict[str, ParsedResolution]) -> None:
    first = parsed["14/1"]
    assert first.title == "The grave attacks by Israeli forces against the humanitarian boat convoy"
    assert (first.adopted_on, first.meeting) == (date(2010, 6, 2), "10th meeting")
    assert first.adoption == "Adopted by a recorded vote of 32 to 3, with 9 abstentions."
    assert parsed["14/14"].title == "Technical assistance and cooperation on human rights for Kyrgyzstan"
    assert parsed["14/2"].adoption == "Adopted without a vote."


def test_sub_paragraphs(parsed: dict[str, ParsedResolution]) -> None:
    ops = parsed["14/2"].operative
    assert [s.label for s in ops[0].subparagraphs] == ["a", "b", "c", "d"]
    assert [s.label for s in ops[6].subparagraphs] == list("abcdefghij")
    assert ops[6].phrase == "Also calls upon"
    assert [s.label for s in parsed["14/6"].operative[11].subparagraphs] == list("abcdefgh")


def test_mandate_renewals(parsed: dict[str, ParsedResolution]) -> None:
    (idp,) = parsed["14/6"].operative[10].mandates
    assert idp.kind == "renewal" and idp.renewal_years == 3
    assert idp.addressees[0].code == "SPECIAL_PROCEDURES"
    (religion,) = parsed["14/11"].operative[8].mandates
    assert religion.kind == "renewal" and religion.renewal_years == 3
    assert "Special Rapporteur" in religion.action
    renewals = {n for n, r in parsed.items() for p in r.operative for m in p.mandates if m.kind == "renewal"}
    assert renewals == {"14/6", "14/11"}


def test_deadlines_in_the_report(parsed: dict[str, ParsedResolution]) -> None:
    (fact_finding,) = (
        parsed["14/1"].operative[8].mandates
    )  # "... report ... to the Council at its fifteenth session"
    assert fact_finding.deadline is not None and fact_finding.deadline.session == 15
    (prevention,) = parsed["14/5"].operative[6].mandates
    assert [a.code for a in prevention.addressees] == ["OHCHR"]
    assert prevention.deadline is not None and (prevention.deadline.body, prevention.deadline.session) == (
        "HRC",
        18,
    )
    (annual,) = parsed["14/11"].operative[13].mandates
    assert annual.deadline is not None and annual.deadline.recurrence == "annual"


def test_decisions_are_parsed(parsed: dict[str, ParsedResolution]) -> None:
    qatar = parsed["14/101"]
    assert qatar.kind == "decision" and qatar.symbol == "A/HRC/DEC/14/101"
    assert [p.phrase for p in qatar.operative] == ["Adopts"]
    assert {c.key for c in qatar.citations} >= {"GA res 60/251", "HRC res 5/1", "A/HRC/14/2"}
    assert parsed["14/4"].preamble[2].citations[0].key == "HRC res S-10/1"


@pytest.mark.parametrize(
    ("path", "symbol", "adopted_on", "meeting"),
    [
        ("cycle1/g1014611.txt", "A/HRC/DEC/14/105", date(2010, 6, 9), "22nd meeting"),
        ("cycle2/g1510722.txt", "A/HRC/DEC/28/111", date(2015, 3, 19), "41st meeting"),
        ("cycle3/g2007307.txt", "A/HRC/DEC/43/112", date(2020, 3, 12), "32nd meeting"),
        ("cycle4/g2511026.txt", "A/HRC/DEC/59/112", date(2025, 7, 2), "25th meeting"),
    ],
)
def test_single_decision_documents(path: str, symbol: str, adopted_on: date, meeting: str) -> None:
    """The decision adopting Slovenia's review outcome in each cycle, as issued alone (dates read by hand)."""
    (decision,) = parse_document(
        shared_data("upr_docs_slovenia", *path.split("/")).read_text(encoding="utf-8")
    )
    assert (decision.symbol, decision.kind, decision.adopted_on, decision.meeting) == (
        symbol,
        "decision",
        adopted_on,
        meeting,
    )
    assert "Slovenia" in decision.title and len(decision.operative) == 1
    assert "HRC res 5/1" in {c.key for c in decision.citations}


def test_other_documents_are_not_resolutions() -> None:
    report = shared_data(
        "upr_docs_slovenia", "cycle1", "g1012049.txt"
    )  # the Working Group report A/HRC/14/15
    with pytest.raises(NotAResolution, match="not a resolution"):
        parse_document(report.read_text(encoding="utf-8"))
