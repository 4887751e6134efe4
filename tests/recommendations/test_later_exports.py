"""A newer export supersedes an older one: the record follows it, the old labels stay as history
(issue 18, Imports 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrcoop.core.models import AuditEvent
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.models import Classification, Recommendation
from hrcoop.recommendations.selectors import registry_stats, retired_labels
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import write_2015, write_2018

pytestmark = pytest.mark.django_db

TEXT = "Adopt a national plan of action on human rights"
OTHER = "Strengthen the ombudsman"


def labels(record: Recommendation, status: str) -> set[str]:
    return set(record.classifications.filter(status=status).values_list("label__code", flat=True))


def import_export(path: Path) -> dict:
    [report] = import_files([path], format_name="upr-info", actor=None)
    return report


def test_labels_a_later_export_drops_are_superseded_not_deleted(reference_data: None, tmp_path: Path) -> None:
    older = write_2015(
        tmp_path / "2015.csv",
        [
            ("Kenya", TEXT, "Norway", "Accepted", "4", "National plan of action, Justice", "21"),
            ("Kenya", OTHER, "Ghana", "Accepted", "4", "Other, NHRI", "21"),
        ],
    )
    newer = write_2018(
        tmp_path / "2018.csv",
        [
            ("Kenya", TEXT, "Norway", "Supported", "5", "Justice", "21"),
            ("Kenya", OTHER, "Ghana", "Supported", "4", "National Human Rights Institution", "21"),
        ],
    )
    import_export(older)
    report = import_export(newer)
    plan = Recommendation.objects.get(text=TEXT)
    assert labels(plan, "accepted") == {"justice", "5"}
    assert labels(plan, "superseded") == {"national-plan-of-action", "4"}
    kept = plan.classifications.get(label__code="national-plan-of-action")
    assert kept.import_run.file_name == "2015.csv"  # its provenance stays
    assert report["labels_superseded"] == 3  # the plan's issue and action, the ombudsman's "Other"
    assert report["records_updated"] == 2
    event = AuditEvent.objects.get(action=RecommendationAction.LABELS_FOLLOWED, target_id=str(plan.pk))
    assert sorted(event.data["superseded"]) == ["4", "national-plan-of-action"]
    assert event.data["restored"] == ["5"] and event.data["file"] == "2018.csv"
    assert registry_stats()["by_action_category"]["5"] == 1  # counted as the later export says
    assert set(retired_labels().values_list("code", flat=True)) == {"national-plan-of-action", "other"}

    # The same newer file again changes nothing; an even later export that carries a label again
    # brings it back.
    again = import_export(newer)
    assert again["labels_superseded"] == again["labels_restored"] == again["records_updated"] == 0
    latest = write_2018(
        tmp_path / "2019.csv",
        [("Kenya", TEXT, "Norway", "Supported", "5", "Justice, National plans of action", "21")],
    )
    assert import_export(latest)["labels_restored"] == 1
    assert labels(plan, "accepted") == {"justice", "national-plan-of-action", "5"}
    assert set(retired_labels().values_list("code", flat=True)) == {"other"}


def test_labels_set_by_a_person_are_not_superseded(reference_data: None, tmp_path: Path) -> None:
    import_export(
        write_2015(tmp_path / "a.csv", [("Kenya", TEXT, "Norway", "Accepted", "4", "Justice", "21")])
    )
    record = Recommendation.objects.get()
    Classification.objects.filter(recommendation=record, label__code="justice").update(provenance="person")
    import_export(
        write_2018(tmp_path / "b.csv", [("Kenya", TEXT, "Norway", "Supported", "4", "Women's rights", "21")])
    )
    assert labels(record, "accepted") == {"justice", "womens-rights", "4"}


def test_an_older_export_read_after_a_newer_one_supersedes_nothing(
    reference_data: None, tmp_path: Path
) -> None:
    """Its rows, still pending there, join the answered record and change none of its labels."""
    import_export(
        write_2018(tmp_path / "new.csv", [("Kenya", TEXT, "Norway", "Supported", "5", "Justice", "21")])
    )
    import_export(write_2018(tmp_path / "old.csv", [("Kenya", TEXT, "Norway", "", "4", "Other", "21")]))
    record = Recommendation.objects.get()
    assert labels(record, "accepted") == {"justice", "5", "other"}
    assert labels(record, "superseded") == set()
