"""Other shapes of the same kind of text: an Assembly resolution, an official A/HRC/RES document, sponsor
lists with compound names, and the normal forms of citations."""

from __future__ import annotations

from datetime import date

import pytest

from hrcoop.mandates.parsing import parse_resolution
from hrcoop.mandates.parsing.citations import extract_citations
from hrcoop.mandates.parsing.structure import _parse_sponsors
from hrcoop.mandates.sessions import session_dates

ASSEMBLY = """United Nations\tA/RES/75/999

General Assembly

Distr.: General
28 December 2020

Seventy-fifth session
Agenda item 72 (b)

Resolution adopted by the General Assembly on 16 December 2020

[on the report of the Third Committee (A/75/478/Add.2)]

75/999. Enhancement of international cooperation in the field of human rights

The General Assembly,

Recalling its resolution 74/151 of 18 December 2019 and Human Rights Council resolution 44/18 of 17 July 2020,

1. Requests the Secretary-General, in collaboration with the High Commissioner, to submit a report to the
General Assembly at its seventy-sixth session;

2. Decides to continue its consideration of the question at its seventy-sixth session.
"""

OFFICIAL = """
A/HRC/RES/14/1

Human Rights Council
Fourteenth session
Agenda item 1

Resolution adopted by the Human Rights Council*

14/1 The grave attacks by Israeli forces against the humanitarian boat convoy

The Human Rights Council,

Guided by the purposes and principles of the Charter of the United Nations,

1. Condemns in the strongest terms the outrageous attack;

2. Decides to remain seized of this matter.

10th meeting
2 June 2010
[Adopted by a recorded vote of 32 to 3, with 9 abstentions.]
"""


def test_general_assembly_resolution() -> None:
    resolution = parse_resolution(ASSEMBLY)
    assert (resolution.body, resolution.session, resolution.number) == ("GA", 75, "75/999")
    assert resolution.symbol == "A/RES/75/999" and resolution.kind == "resolution"
    assert resolution.adopted_on == date(2020, 12, 16) and resolution.agenda_item == "72 (b)"
    assert [c.key for c in resolution.preamble[0].citations] == ["GA res 74/151", "HRC res 44/18"]
    (report,) = resolution.operative[0].mandates
    assert [a.code for a in report.addressees] == ["SG"]
    assert report.deadline is not None and (report.deadline.body, report.deadline.session) == ("GA", 76)
    (consideration,) = resolution.operative[1].mandates
    assert consideration.addressees[0].code == "GA"
    assert session_dates("GA", 76) == (date(2021, 9, 1), date(2022, 8, 31))


def test_official_council_resolution_document() -> None:
    resolution = parse_resolution(OFFICIAL)
    assert (resolution.symbol, resolution.number, resolution.session) == ("A/HRC/RES/14/1", "14/1", 14)
    assert resolution.title == "The grave attacks by Israeli forces against the humanitarian boat convoy"
    assert resolution.adopted_on == date(2010, 6, 2)
    assert [p.phrase for p in resolution.operative] == ["Condemns", "Decides"]
    assert resolution.operative[1].mandates == [], "remaining seized sets no deadline"


def test_sponsor_list_with_compound_names() -> None:
    sponsors = _parse_sponsors(
        "Bosnia and Herzegovina, Pakistan (on behalf of the Organization of Islamic Cooperation),* "
        "Trinidad and Tobago and United Kingdom of Great Britain and Northern Ireland:*"
    )
    assert [s.name for s in sponsors] == [
        "Bosnia and Herzegovina",
        "Pakistan",
        "Trinidad and Tobago",
        "United Kingdom of Great Britain and Northern Ireland",
    ]
    assert sponsors[1].on_behalf_of == "the Organization of Islamic Cooperation"
    assert sponsors[1].markers == ["*"] and sponsors[0].markers == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("see A/HRC/RES/14/1 and A/RES/70/1", ["HRC res 14/1", "GA res 70/1"]),
        ("in its decision 17/119 of 17 June 2011", ["HRC dec 17/119"]),
        ("Commission on Human Rights resolution 2005/66 of 20 April 2005", ["CHR res 2005/66"]),
        (
            "Commission resolutions 1998/24 of 17 April 1998 and 2000/82",
            ["CHR res 1998/24", "CHR res 2000/82"],
        ),
        ("its resolution S-10/1 of 23 February 2009", ["HRC res S-10/1"]),
        ("Security Council resolution 1325 (2000)", []),
        ("the report (A/HRC/14/2/Add.1) and E/CN.4/2006/91.", ["A/HRC/14/2/Add.1", "E/CN.4/2006/91"]),
        ("the period 2001\u20132010 and paragraph 3/4 of nothing", []),
    ],
)
def test_citation_normal_forms(text: str, keys: list[str]) -> None:
    assert [c.key for c in extract_citations(text, own_body="HRC")] == keys


def test_citation_dates() -> None:
    (cited,) = extract_citations(
        "General Assembly resolution 70/1 of 25 September 2015, entitled", own_body="HRC"
    )
    assert cited.date == date(2015, 9, 25)
    assert cited.label == "General Assembly resolution 70/1 of 25 September 2015"


def test_named_instruments_but_not_quoted_titles() -> None:
    text = (
        "Recalling General Assembly resolution 41/128, entitled "
        "\u201cDeclaration on the Right to Development\u201d, the Millennium Declaration and the "
        "International Covenant on Economic, Social and Cultural Rights,"
    )
    keys = [c.key for c in extract_citations(text)]
    assert keys == [
        "GA res 41/128",
        "instrument United Nations Millennium Declaration",
        "instrument International Covenant on Economic, Social and Cultural Rights",
    ]
