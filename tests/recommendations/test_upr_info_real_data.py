"""The real UPR Info export of sessions 1-20 (../shared/data/upr_info_terman): every row accounted for.

The record rule (models docstring): one record per (mechanism, State under review, session, text with
whitespace collapsed and case folded, response). By that rule the 41,066 rows of the five session
files are 39,890 records: 1,172 rows are joint recommendations merged into the record of the same
words from another State, and 4 are exact duplicates. (Counting distinct (State, session, stripped
text) gives 39,897; case folding merges a few more, the response in the key separates none here.)
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hrcoop.recommendations.importers.base import recommendations_only
from hrcoop.recommendations.importers.upr_info import UprInfoParser
from hrcoop.recommendations.models import LabelKind, Recommendation, Response
from hrcoop.recommendations.selectors import registry_stats
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import shared_data

SESSION_FILES = ["1-5", "6-9", "10-13", "14-17", "17-20"]
# Distinct (State, session, text folded to its letters and digits, response): 39,890 with the text
# folded only for case and spaces, less 19 near-duplicate pairs ("... Paris Principles." and without
# the full stop); counted apart from the importer by reading the CSVs with csv and ftfy.
RECORDS = 39_871
VOLUNTARY_RECORDS = 944  # 945 texts, one of them twice with different punctuation


def session_files() -> list[Path]:
    return [shared_data("upr_info_terman", f"upr_info_sessions_{name}.csv.gz") for name in SESSION_FILES]


def test_parser_reads_every_row_as_source_md_counts_them(reference_data: None) -> None:
    rows, responses, actions, states = 0, Counter[str](), Counter[str](), set()
    for path in session_files():
        for item in recommendations_only(UprInfoParser().parse(path)):
            rows += 1
            responses[item.response] += 1
            actions.update(code for kind, code in item.labels if kind == LabelKind.ACTION_CATEGORY)
            states.add(item.state_under_review)
    assert rows == 41_066
    assert len(states) == 193
    assert responses == {Response.SUPPORTED: 30_472, Response.NOTED: 10_594}
    assert actions == {"1": 603, "2": 6_981, "3": 3_449, "4": 16_261, "5": 13_772}


@pytest.mark.slow  # about 30 s of CPU: the whole corpus, then the voluntary file, then all again
@pytest.mark.django_db
def test_import_of_sessions_1_to_20_and_the_voluntary_pledges(reference_data: None) -> None:
    reports = import_files(session_files(), format_name="upr-info", actor=None)

    assert sum(r["rows"] for r in reports) == 41_066
    for r in reports:  # every row made a record or was merged into one
        assert r["records_created"] + r["joint_rows_merged"] + r["duplicate_rows"] == r["rows"]
    assert sum(r["records_created"] for r in reports) == RECORDS
    stats = registry_stats()
    assert stats["recommendations"] == RECORDS
    assert stats["states_under_review"] == 193
    assert sum(stats["by_response"].values()) == RECORDS
    assert stats["by_response"]["voluntary_pledge"] == 0
    assert sum(stats["by_action_category"].values()) == RECORDS
    assert "none" not in stats["by_action_category"]  # every record has exactly one category
    assert sum(stats["by_cycle"].values()) == RECORDS
    joint = Recommendation.objects.get(
        state_under_review__iso3="ARG",
        session=1,
        text__startswith="Adopt measures to improve prison conditions",
    )
    assert joint.recommending_states.count() >= 2

    [pledges] = import_files(
        [shared_data("upr_info_terman", "upr_info_sessions_voluntary.csv.gz")],
        format_name="upr-info",
        actor=None,
    )
    assert pledges["rows"] == 947
    assert (
        registry_stats()["by_response"]["voluntary_pledge"] == pledges["records_created"] == VOLUNTARY_RECORDS
    )

    again = import_files(session_files(), format_name="upr-info", actor=None)
    assert sum(r["records_created"] + r["records_updated"] for r in again) == 0
    assert sum(r["records_unchanged"] for r in again) == RECORDS
    assert Recommendation.objects.count() == RECORDS + VOLUNTARY_RECORDS
