"""The seed resolution (HRC 47, enhancement of international cooperation), parsed.

Every expected value here was established by reading the text (``../shared/seed/*.txt``), not by running
the parser: 34 preambular paragraphs (lines 28-104, footnotes excluded), 36 operative paragraphs with the
verbs in italics, six footnotes (*, **, 1-4), 22 numbered references and 9 instruments cited by name.
"""

from __future__ import annotations

from datetime import date

import pytest

from hrcoop.mandates.parsing import ParsedResolution, parse_resolution

OPENING_PHRASES = [
    "Reaffirming", "Recalling", "Recalling also", "Recalling further", "Recalling", "Recalling also",
    "Reaffirming", "Recalling", "Taking note with appreciation", "Recalling", "Deeply concerned",
    "Recalling", "Recalling also", "Welcoming", "Noting", "Recognizing with deep concern", "Recognizing",
    "Recognizing also", "Underlining", "Recognizing", "Stressing", "Recognizing", "Determined",
    "Recalling", "Recognizing", "Reiterating", "Recalling", "Reaffirming", "Reiterating", "Emphasizing",
    "Recognizing", "Emphasizing", "Underlining", "Stressing",
]  # fmt: skip

VERBS = [
    "Reaffirms", "Recognizes", "Reaffirms", "Underlines", "Reaffirms", "Also reaffirms", "Urges",
    "Expresses its concern", "Resolves", "Calls upon", "Reaffirms", "Considers", "Reaffirms", "Re-emphasizes",
    "Also re-emphasizes", "Reaffirms", "Emphasizes", "Also emphasizes", "Further emphasizes", "Takes note",
    "Requests", "Also requests", "Urges", "Calls upon", "Calls upon", "Urges", "Reaffirms", "Calls for",
    "Calls upon", "Requests", "Takes note", "Requests", "Invites", "Recalls", "Also recalls", "Decides",
]  # fmt: skip

# (paragraph anchor, citation key, date) in order of appearance, footnotes included
CHARTER = "instrument Charter of the United Nations"
CITATIONS = [
    ("pp1", CHARTER, None),
    ("pp1", "instrument Vienna Declaration and Programme of Action", None),
    ("pp2", "GA res 70/1", date(2015, 9, 25)),  # "the 2030 Agenda" here is 70/1's quoted title: not counted
    ("pp3", "GA res 69/313", date(2015, 7, 27)),
    ("pp3", "instrument Addis Ababa Action Agenda", None),
    ("pp3", "instrument 2030 Agenda for Sustainable Development", None),
    ("pp4", "instrument United Nations Millennium Declaration", None),
    ("pp4", "GA res 75/180", date(2020, 12, 16)),
    ("pp4", "HRC res 44/18", date(2020, 7, 17)),
    ("pp5", "GA res 41/128", date(1986, 12, 4)),
    ("pp6", "GA res 48/141", date(1993, 12, 20)),
    ("pp7", "GA res 33/134", date(1978, 12, 19)),
    ("pp7", "instrument Buenos Aires Plan of Action", None),
    ("pp8", "SubCom res 2000/22", date(2000, 8, 18)),
    ("pp8", "E/CN.4/2001/2", None),
    ("pp8", "E/CN.4/Sub.2/2000/46", None),
    ("pp10", "instrument Durban Declaration and Programme of Action", None),
    ("pp12", "GA res 74/270", date(2020, 4, 2)),
    ("pp12", "GA res 74/274", date(2020, 4, 20)),
    ("pp12", "GA res 74/306", date(2020, 9, 11)),
    ("pp12", "GA res 74/307", date(2020, 9, 11)),
    ("pp13", "HRC res 46/14", date(2021, 3, 23)),
    ("pp14", "GA res 74/2", None),
    ("pp24", "GA res 60/251", date(2006, 3, 15)),
    ("pp27", "HRC res 6/17", date(2007, 9, 28)),
    ("op3", CHARTER, None),
    ("op13", "instrument Universal Declaration of Human Rights", None),
    ("op20", "A/HRC/46/70", None),
    ("op31", "A/HRC/47/47", None),
    ("op34", "GA res 74/151", date(2019, 12, 18)),
    ("op35", "GA res 75/180", None),
]


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedResolution:
    return parse_resolution(seed_text)


def citation_rows(resolution: ParsedResolution) -> list[tuple[str, str, date | None]]:
    rows = []
    for paragraph in resolution.paragraphs:
        for citation in paragraph.citations:
            rows.append((paragraph.anchor, citation.key, citation.date))
        for footnote in paragraph.footnotes:
            rows.extend((paragraph.anchor, c.key, c.date) for c in footnote.citations)
    return rows


def test_header(seed: ParsedResolution) -> None:
    assert (seed.kind, seed.body, seed.session, seed.number) == ("draft", "HRC", 47, "47/...")
    assert seed.title == "Enhancement of international cooperation in the field of human rights"
    assert seed.agenda_item == "3"
    assert seed.agenda_title.startswith("Promotion and protection of all human rights")
    assert seed.document_date == date(2021, 7, 9)
    assert seed.warnings == []


def test_sponsors_with_footnotes(seed: ParsedResolution) -> None:
    assert [s.name for s in seed.sponsors] == ["Azerbaijan", "State of Palestine"]
    azerbaijan, palestine = seed.sponsors
    assert azerbaijan.on_behalf_of.endswith("members of the Movement of Non-Aligned Countries")
    assert not azerbaijan.non_member
    assert palestine.non_member and palestine.on_behalf_of == ""


def test_every_preambular_paragraph_with_its_opening_phrase(seed: ParsedResolution) -> None:
    assert [p.phrase for p in seed.preamble] == OPENING_PHRASES
    assert seed.preamble[0].text.startswith(
        "Reaffirming its commitment to promoting international cooperation"
    )
    assert seed.preamble[-1].text.endswith("among Member States in the field of human rights,")


def test_36_operative_paragraphs_with_their_verbs(seed: ParsedResolution) -> None:
    assert [p.number for p in seed.operative] == [str(n) for n in range(1, 37)]
    assert [p.phrase for p in seed.operative] == VERBS
    assert "*" not in " ".join(p.text for p in seed.operative)


def test_paragraph_cut_by_footnotes_is_joined(seed: ParsedResolution) -> None:
    para34 = seed.operative[33]
    assert "through the promotion of international cooperation and the importance" in para34.text
    assert para34.text.endswith("including in the context of the universal periodic review;")


def test_footnotes_attached_to_their_paragraphs(seed: ParsedResolution) -> None:
    assert [f.marker for f in seed.footnotes] == ["*", "**", "1", "2", "3", "4"]
    attached = {p.anchor: [f.marker for f in p.footnotes] for p in seed.paragraphs if p.footnotes}
    assert attached == {"pp8": ["1"], "pp14": ["2"], "op20": ["3"], "op31": ["4"]}
    para31 = seed.operative[30]
    marker, offset = para31.footnote_refs[0]
    assert marker == "4" and para31.text[:offset].endswith("at its forty-seventh session;")


def test_citations_normalised_with_dates(seed: ParsedResolution) -> None:
    assert citation_rows(seed) == CITATIONS


def test_mandates_with_addressees_and_deadlines(seed: ParsedResolution) -> None:
    with_mandates = {p.number: p.mandates for p in seed.operative if p.mandates}
    assert sorted(with_mandates, key=int) == ["21", "22", "30", "32", "36"]
    (m21,) = with_mandates["21"]
    (m22,) = with_mandates["22"]
    (m32,) = with_mandates["32"]
    (m36,) = with_mandates["36"]
    assert [a.code for a in m21.addressees] == ["OHCHR"] and m21.deadline is None
    assert [a.code for a in m22.addressees] == ["OHCHR"]
    assert [a.code for a in with_mandates["30"][0].addressees] == ["STATES", "UN_SYSTEM"]
    assert m32.kind == "report" and [a.code for a in m32.addressees] == ["HC"]
    assert m32.deadline is not None and (m32.deadline.body, m32.deadline.session) == ("HRC", 50)
    assert m36.kind == "consideration" and m36.deadline is not None and m36.deadline.session == 50
    assert m36.deadline.recurrence == ""  # "annual programme of work" is not a yearly mandate


def test_addressees_of_exhortations(seed: ParsedResolution) -> None:
    codes = {p.number: [a.code for a in p.addressees] for p in seed.operative}
    assert codes["23"] == ["STATES"]
    assert codes["24"] == ["STATES", "AGENCIES", "IGOS", "NGOS"]
    assert codes["33"] == ["STATES", "MECHANISMS"]
    assert codes["1"] == [] and codes["36"] == ["COUNCIL"]
