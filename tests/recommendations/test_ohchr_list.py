"""The ``ohchr-list`` parser on the real Slovenia lists and China matrices, and on broken input."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers.base import ParsedRecommendation, recommendations_only
from hrcoop.recommendations.importers.ohchr_list import (
    OhchrListParser,
    RecommendingStatesError,
    StateNames,
    split_recommending_states,
    upr_session_for_hrc,
)
from hrcoop.recommendations.models import LabelKind, Response
from tests.conftest import shared_data

CHINA = ["Matrix_recommendations_2013.txt", "Matrix_recommendations_2018.txt"]
SLOVENIA = {
    2: "cycle2/UPR20__Slovenia_ThematicListRecommendations_E.txt",
    3: "cycle3/UPR34_Slovenia_Thematic_list_of_Recommendations.txt",
    4: "cycle4/upr48-slovenia-thematic-list-of-recommendatio.txt",
}


parser = OhchrListParser()


def parse(path: Path) -> list[ParsedRecommendation]:
    return list(recommendations_only(parser.parse(path)))


def labels(items: list[ParsedRecommendation], kind: LabelKind) -> list[str]:
    return [value for item in items for k, value in item.labels if k == kind]


# SOURCE.md counts: recommendations, Supported, Noted; the session and the Council report. SDG goal
# labels are the "- n - NAME" lines less the three repeated within one recommendation (122.127,
# 122.137, 140.205), counted with grep and awk.
SLOVENIA_COUNTS = {  # cycle: total, supported, noted, session, symbol, SDG labels, recommendations with SDGs
    2: (163, 142, 21, 20, "A/HRC/28/15", 0, 0),
    3: (215, 182, 33, 34, "A/HRC/43/15", 317, 202),
    4: (254, 217, 37, 48, "A/HRC/59/15", 412, 254),
}


def test_slovenia_thematic_lists(reference_data: None) -> None:
    for cycle, (total, supported, noted, session, symbol, sdg_labels, with_sdgs) in SLOVENIA_COUNTS.items():
        items = parse(shared_data("upr_docs_slovenia", SLOVENIA[cycle]))
        assert len(items) == total, cycle
        assert Counter(item.response for item in items) == {
            Response.SUPPORTED: supported,
            Response.NOTED: noted,
        }
        assert {
            (item.state_under_review, item.session, item.cycle, item.document_symbol) for item in items
        } == {("Slovenia", session, cycle, symbol)}
        assert len(labels(items, LabelKind.SDG_GOAL)) == sdg_labels, cycle
        assert sum(any(kind == LabelKind.SDG_GOAL for kind, _ in item.labels) for item in items) == with_sdgs
        assert all(item.recommending_states and item.text and "&amp;" not in item.text for item in items)
        assert len({item.source_id for item in items}) == total, cycle
    first = parse(shared_data("upr_docs_slovenia", SLOVENIA[3]))[0]
    assert first.paragraph == "121.1"
    assert first.source_id == "A/HRC/43/15 para 121.1"
    assert (
        first.text
        == "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance"
    )
    assert first.recommending_states == ["France", "Lithuania"]
    assert first.response_source == "A/HRC/43/15 - Para 121"
    assert first.labels == [
        (LabelKind.THEME, "Acceptance of international norms"),
        (LabelKind.THEME, "Enforced disappearances"),
        (LabelKind.SDG_GOAL, "16"),
        (LabelKind.AFFECTED_PERSONS, "Disappeared persons"),
    ]


# SOURCE.md: "Source of position" entries and positions; themes, SDG and affected-persons lines
# counted with grep on the decoded file (``^([A-H][0-9]{0,2}|S) ``, ``^S[0-9]{2} SDG``, ``^- ``).
CHINA_COUNTS = {  # name: total, supported, noted, session, cycle, themes, SDGs, affected persons
    "Matrix_recommendations_2013.txt": (252, 204, 48, 17, 2, 658, 0, 368),
    "Matrix_recommendations_2018.txt": (346, 284, 62, 31, 3, 610, 316, 442),
}


def test_china_matrices(reference_data: None) -> None:
    for name, (total, supported, noted, session, cycle, themes, sdgs, persons) in CHINA_COUNTS.items():
        items = parse(shared_data("upr_matrix_china", name))
        assert len(items) == total, name
        assert Counter(item.response for item in items) == {
            Response.SUPPORTED: supported,
            Response.NOTED: noted,
        }
        assert {(item.state_under_review, item.session, item.cycle) for item in items} == {
            ("China", session, cycle)
        }
        assert len(labels(items, LabelKind.THEME)) == themes, name
        assert len(labels(items, LabelKind.SDG_GOAL)) == sdgs, name
        assert len(labels(items, LabelKind.AFFECTED_PERSONS)) == persons, name
    joint = {item.paragraph: item for item in items}  # 2018
    assert joint["28.4"].text == (
        "Continue working towards ratification of the International Covenant on Civil and Political "
        "Rights by the earliest possible date; Accelerate the ratification of the International "
        "Covenant on Civil and Political Rights"
    )
    assert "(the Paris Principles)" in joint["28.14"].text


# Counted by hand (reading the decoded file) for 35 recommendations: every 25th of each matrix in file
# order, and the ten joint ones with the most States. Per recommendation: the recommending States
# (distinct, in order), the number of themes, the SDG goals, the number of affected-persons entries;
# ``None`` where only the States were counted. See docs/importers.md for the accuracy measured.
HAND_COUNT: dict[str, dict[str, tuple[list[str], int | None, list[str] | None, int | None]]] = {
    "Matrix_recommendations_2013.txt": {
        "186.28": (["Mongolia"], 2, [], 1),
        "186.17": (["Benin"], 4, [], 1),
        "186.250": (["South Africa"], 5, [], 2),
        "186.47": (["Togo"], 1, [], 1),
        "186.114": (["Chile"], 1, [], 1),
        "186.145": (["Saudi Arabia"], 2, [], 2),
        "186.124": (["Singapore"], 1, [], 1),
        "186.190": (["Eritrea"], 4, [], 3),
        "186.217": (["Jordan"], 3, [], 2),
        "186.223": (["Venezuela (Bolivarian Republic of)"], 1, [], 1),
        "186.62": (["Switzerland"], 5, [], 1),
        "186.23": (["Argentina", "France"], None, None, None),
        "186.2": (["Brazil", "Bulgaria", "Estonia", "Ghana"], None, None, None),
        "186.1": (
            [
                "Albania",
                "Chile",
                "Belgium",
                "Hungary",
                "Japan",
                "Maldives",
                "Spain",
                "Sierra Leone",
                "France",
            ],
            None,
            None,
            None,
        ),
        "186.107": (
            ["New Zealand", "Rwanda", "Portugal", "Argentina", "Australia", "Spain"],
            None,
            None,
            None,
        ),
    },
    "Matrix_recommendations_2018.txt": {
        "28.212": (["Tunisia"], 3, ["16"], 1),
        "28.48": (["Democratic Republic of the Congo"], 1, [], 1),
        "28.151": (["Belarus"], 2, ["16"], 1),
        "28.58": (["Democratic People's Republic of Korea"], 1, ["16"], 1),
        "28.80": (["Equatorial Guinea"], 1, ["16"], 1),
        "28.121": (["Iran (Islamic Republic of)"], 2, [], 1),
        "28.172": (["Viet Nam"], 1, ["16"], 1),
        "28.217": (["Gabon"], 1, ["16"], 2),
        "28.238": (["Ghana"], 2, [], 1),
        "28.258": (["Morocco"], 1, ["3"], 1),
        "28.279": (["Tunisia"], 1, ["5"], 1),
        "28.328": (["Lao People's Democratic Republic"], 1, ["16"], 1),
        "28.22": (["United Kingdom of Great Britain and Northern Ireland"], 4, ["16"], 1),
        "28.161": (["Portugal", "Spain", "Iceland"], 1, ["16"], 1),
        "28.4": (["New Zealand", "Uruguay", "Mali"], None, None, None),
        "28.9": (["Benin", "Estonia", "Georgia", "Latvia", "Malta", "Namibia"], None, None, None),
        "28.14": (["Niger", "Philippines", "Indonesia"], None, None, None),
        "28.6": (["Canada", "Hungary", "Luxembourg", "Republic of Korea", "Japan"], None, None, None),
        "28.66": (["Liechtenstein", "Poland", "Togo", "Uruguay", "Seychelles", "Mali"], None, None, None),
    },
}


def test_china_matrices_against_a_hand_count(reference_data: None) -> None:
    checked = agreed = 0
    disagreements = []
    for name, counted in HAND_COUNT.items():
        by_paragraph = {item.paragraph: item for item in parse(shared_data("upr_matrix_china", name))}
        for paragraph, (states, themes, sdgs, persons) in counted.items():
            item = by_paragraph[paragraph]
            found = {
                "states": item.recommending_states,
                "themes": len([1 for kind, _ in item.labels if kind == LabelKind.THEME]),
                "sdgs": [value for kind, value in item.labels if kind == LabelKind.SDG_GOAL],
                "persons": len([1 for kind, _ in item.labels if kind == LabelKind.AFFECTED_PERSONS]),
            }
            expected = {"states": states, "themes": themes, "sdgs": sdgs, "persons": persons}
            for field, value in expected.items():
                if value is not None:
                    checked += 1
                    agreed += found[field] == value
                    if found[field] != value:
                        disagreements.append((paragraph, field, value, found[field]))
    assert checked == 109
    assert agreed == checked, disagreements


def test_session_derived_from_the_council_session(reference_data: None) -> None:
    """Checked against the sessions the documents state (China) or their file names say (Slovenia)."""
    assert [upr_session_for_hrc(n) for n in (25, 28, 40, 43, 59)] == [17, 20, 31, 34, 48]
    assert upr_session_for_hrc(51) is None  # 2022 had two UPR sessions: no guess


RECOMMENDING_STATES = [
    (
        "Ratify the Protocol, 1930 (No. 29) (United Kingdom of Great Britain and Northern Ireland);",
        "Ratify the Protocol, 1930 (No. 29)",
        ["United Kingdom of Great Britain and Northern Ireland"],
    ),
    ("Do A (Ukraine); Do B (Slovakia);", "Do A; Do B", ["Ukraine", "Slovakia"]),
    (
        "Do A (Senegal, Venezuela (Bolivarian Republic of),Peru)",
        "Do A",
        ["Senegal", "Venezuela (Bolivarian Republic of)", "Peru"],
    ),
    ("Do A (Japan);Do B (Sierra Le one) ;", "Do A;Do B", ["Japan", "Sierra Leone"]),
    ("Do A (2016-2020) and B (Croatia).", "Do A (2016-2020) and B", ["Croatia"]),
]
BAD_RECOMMENDING_STATES = [
    ("Ratify the Convention (Atlantis);", "unknown State 'Atlantis'"),
    ("Ratify the Convention on the Rights", "no recommending State"),
    ("Ratify the Convention (France", "no recommending State"),
]


def test_recommending_states_in_parentheses(reference_data: None) -> None:
    names = StateNames()
    for text, clean, states in RECOMMENDING_STATES:
        assert split_recommending_states(text, names) == (clean, states), text
    for text, message in BAD_RECOMMENDING_STATES:
        with pytest.raises(RecommendingStatesError, match=message):
            split_recommending_states(text, names)


# --- broken input ---------------------------------------------------------------------------------

SMALL_LIST = """\r
UPR of Slovenia (3rd Cycle \u2013 34th session)\t\tThematic list of recommendations\t\tPage 1 of 1\r
Recommendation\r
Position\r
Full list of themes\r
Theme: Acceptance of international norms\r
121.1 Ratify the Convention on Enforced Disappearance (France) (Lithuania);
Source of Position: A/HRC/43/15 - Para 121
Supported
- Acceptance of international norms
SDGs: \r
- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS
Affected persons: \r
- Disappeared persons

122.63 Gradually increase official development assistance to 0.7 per cent (Luxembourg);
Source of Position: A/HRC/43/15/Add.1 - Para.3
Noted
- Inter-State cooperation &amp; development or humanitarian assistance
"""


def write(tmp_path: Path, text: str, name: str = "list.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_small_list_with_stated_review_and_gzip(reference_data: None, tmp_path: Path) -> None:
    plain = parse(write(tmp_path, SMALL_LIST))
    zipped = tmp_path / "list.txt.gz"
    zipped.write_bytes(gzip.compress(SMALL_LIST.encode("utf-8")))
    assert parse(zipped) == plain
    assert [(i.paragraph, i.state_under_review, i.session, i.cycle, i.response) for i in plain] == [
        ("121.1", "Slovenia", 34, 3, Response.SUPPORTED),
        ("122.63", "Slovenia", 34, 3, Response.NOTED),
    ]
    assert plain[1].labels == [
        (LabelKind.THEME, "Inter-State cooperation & development or humanitarian assistance")
    ]


BROKEN_LISTS = {
    "unknown State": (
        SMALL_LIST.replace("(Luxembourg)", "(Atlantis)"),
        "row 16, column 'recommending States'",
        "paragraph 122.63: unknown State 'Atlantis' in parentheses",
    ),
    "truncated list": (
        SMALL_LIST.split("Source of Position: A/HRC/43/15/Add.1")[0],
        "row 16, column 'source of position'",
        "paragraph 122.63: no 'Source of position' line",
    ),
    "truncated text": (
        SMALL_LIST.replace("to 0.7 per cent (Luxembourg);", "to 0.7 per"),
        "row 16, column 'recommending States'",
        "paragraph 122.63: no recommending State in parentheses",
    ),
    "bad position": (
        SMALL_LIST.replace("Noted", "Maybe"),
        "row 18, column 'position'",
        "'Maybe' is not a position",
    ),
    "wrong format": (
        "To,To-Rgrp,To-Org,Text,From\rAfghanistan,Asia,,Ratify (France),France\r",
        "list.txt",
        "not an OHCHR thematic list",
    ),
    "no State under review": (
        SMALL_LIST.replace("UPR of Slovenia (3rd Cycle \u2013 34th session)", ""),
        "column 'State under review'",
        "cannot tell which State is under review",
    ),
    "a 10 MB line": (SMALL_LIST + "x" * 10_000_000 + "\n", "row 20", "a line of 10,000,001 characters"),
}
UNREADABLE = {
    "empty": (b"", "empty"),
    "binary": (b"121.1 Ratify\x00\x01\x02 (France)", "binary"),
    "truncated gzip": (gzip.compress(SMALL_LIST.encode())[:60], "gzip"),
}


def test_broken_lists_name_file_row_and_field(reference_data: None, tmp_path: Path) -> None:
    for case, (text, where, message) in BROKEN_LISTS.items():
        path = write(tmp_path, text)
        with pytest.raises(ImportFailed) as failure:
            parse(path)
        assert failure.value.where.startswith(str(path)), case
        assert where in failure.value.where, (case, failure.value.where)
        assert message in failure.value.message, (case, failure.value.message)
    for case, (content, message) in UNREADABLE.items():
        path = tmp_path / "list.txt"
        path.write_bytes(content)
        with pytest.raises(ImportFailed, match=message):
            parse(path)
        assert case


def test_mac_roman_with_cr_line_ends(reference_data: None, tmp_path: Path) -> None:
    path = tmp_path / "matrix.txt"
    text = (
        SMALL_LIST.replace("\r\n", "\n").replace("\n", "\r").replace("official", "Slovenia\u2019s official")
    )
    path.write_bytes(text.encode("mac_roman"))
    items = parse(path)
    assert "Slovenia\u2019s official" in items[1].text


def test_lists_flattened_with_cells_glued_together(reference_data: None, tmp_path: Path) -> None:
    """SOURCE.md describes the matrices as cells concatenated without separators; the stored files have a
    line end between cells. Gluing every cell of a real list together must give the same recommendations."""

    def essentials(item: ParsedRecommendation) -> tuple[object, ...]:
        return (item.paragraph, item.text, item.recommending_states, item.response, item.labels, item.session)

    lists = [("upr_matrix_china", name) for name in CHINA] + [
        ("upr_docs_slovenia", n) for n in SLOVENIA.values()
    ]
    compared = 0
    for folder, name in lists:
        original = shared_data(folder, name)
        encoding = "mac_roman" if folder == "upr_matrix_china" else "utf-8"
        lines = original.read_bytes().decode(encoding).splitlines()
        flattened = tmp_path / Path(name).name
        flattened.write_bytes("".join(line.strip() for line in lines).encode(encoding))
        assert b"\r" not in flattened.read_bytes() and b"\n" not in flattened.read_bytes()
        expected = [essentials(item) for item in parse(original)]
        assert [essentials(item) for item in parse(flattened)] == expected, name
        compared += len(expected)
    assert compared == 1230
