"""``hrcoop import ohchr-list`` end to end: the real lists into the registry, again, and broken input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.models import Classification, ImportRun, LabelKind, Recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import shared_data

SLOVENIA = [
    "cycle2/UPR20__Slovenia_ThematicListRecommendations_E.txt",
    "cycle3/UPR34_Slovenia_Thematic_list_of_Recommendations.txt",
    "cycle4/upr48-slovenia-thematic-list-of-recommendatio.txt",
]
CHINA = ["Matrix_recommendations_2013.txt", "Matrix_recommendations_2018.txt"]


def snapshot() -> tuple[int, int, int, int]:
    return (
        Recommendation.objects.count(),
        Recommendation.recommending_states.through.objects.count(),
        Classification.objects.count(),
        ImportRun.objects.count(),
    )


def test_slovenia_lists_into_the_registry_and_again(reference_data: None) -> None:
    files = [shared_data("upr_docs_slovenia", name) for name in SLOVENIA]
    reports = import_files(files, format_name="ohchr-list", actor=None)
    assert [report["rows"] for report in reports] == [163, 215, 254]
    # 115.8 and 115.10 of cycle 2 are both "Ratify ICRMW", both noted: one joint record (models.py)
    assert [report["records_created"] for report in reports] == [162, 215, 254]
    assert [report["joint_rows_merged"] for report in reports] == [1, 0, 0]
    by_cycle = Counter(Recommendation.objects.values_list("cycle_id", "response"))
    assert by_cycle == {
        (2, "supported"): 142, (2, "noted"): 20, (3, "supported"): 182, (3, "noted"): 33,
        (4, "supported"): 217, (4, "noted"): 37,
    }  # fmt: skip
    joint = Recommendation.objects.get(source_id="A/HRC/28/15 para 115.8")
    assert joint.recommending_states.count() == 6
    sdgs = Counter(
        Classification.objects.filter(kind=LabelKind.SDG_GOAL).values_list(
            "recommendation__cycle_id", flat=True
        )
    )
    assert sdgs == {3: 317, 4: 412}
    goal16 = Classification.objects.filter(kind=LabelKind.SDG_GOAL, label__code="16")
    assert goal16.filter(recommendation__cycle_id=3).count() == 92  # grep -c '^- 16 - ' on the list
    before = snapshot()
    again = import_files(files, format_name="ohchr-list", actor=None)
    assert [report["records_created"] for report in again] == [0, 0, 0]
    assert [report["records_updated"] for report in again] == [0, 0, 0]
    assert snapshot()[:3] == before[:3]


def test_china_matrices_into_the_registry(reference_data: None) -> None:
    files = [shared_data("upr_matrix_china", name) for name in CHINA]
    reports = import_files(files, format_name="ohchr-list", actor=None)
    assert [report["records_created"] for report in reports] == [252, 346]
    records = Recommendation.objects.filter(state_under_review__iso3="CHN")
    assert Counter(records.values_list("session_id", "response")) == {
        (17, "supported"): 204, (17, "noted"): 48, (31, "supported"): 284, (31, "noted"): 62,
    }  # fmt: skip
    assert records.get(source_id="A/HRC/25/5 para 186.1").recommending_states.count() == 9


def test_a_broken_list_leaves_the_registry_unchanged(reference_data: None, tmp_path: Path) -> None:
    good = shared_data("upr_docs_slovenia", SLOVENIA[1])
    import_files([good], format_name="ohchr-list", actor=None)
    before = snapshot()
    text = good.read_text(encoding="utf-8")
    broken = tmp_path / "list.txt"
    broken.write_text(text.replace("(Luxembourg);", "(Atlantis);", 1), encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_files([broken], format_name="ohchr-list", actor=None)
    assert "unknown State 'Atlantis'" in failure.value.message
    assert failure.value.where.startswith(f"{broken}, row ")
    assert failure.value.column == "recommending States"
    dry = import_files([good], format_name="ohchr-list", actor=None, dry_run=True)
    assert dry[0]["rows"] == 215
    assert snapshot() == before
