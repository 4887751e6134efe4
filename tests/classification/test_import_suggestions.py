"""A committed import queues the active models' suggestions for its new records, and only for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from hrcoop.recommendations.classification import services
from hrcoop.recommendations.models import Classification, LabelKind, Provenance, Recommendation
from hrcoop.recommendations.services.imports import import_file
from tests.classification.conftest import Make
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db

# A later session as UPR Info publishes it before tagging it: no action category, no issues.
UNTAGGED = [
    ("Kenya", "Adopt a law on the death penalty as a priority", "France", "Noted", "", "", "22"),
    ("Kenya", "Consider action on torture in places of detention", "Ghana", "Supported", "", "", "22"),
]


def _model_rows(record: Recommendation) -> dict[str, dict[str, str | None]]:
    return {
        kind: dict(
            record.classifications.filter(kind=kind, provenance=Provenance.MODEL).values_list(
                "label__code", "model_version"
            )
        )
        for kind in (LabelKind.ISSUE, LabelKind.ACTION_CATEGORY)
    }


def test_new_records_arrive_with_the_active_models_suggestions(
    registry: list[Recommendation],
    make_record: Make,
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    issues = services.train(LabelKind.ISSUE, actor=None)
    actions = services.train(LabelKind.ACTION_CATEGORY, actor=None)
    earlier = make_record("Take measures on child labour", session=9)  # untagged, but not this import's

    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(write_2018(tmp_path / "s22.csv", UNTAGGED), format_name="upr-info", actor=None)

    assert report["records_created"] == 2
    death_penalty, torture = Recommendation.objects.filter(session__number=22).order_by("text")
    assert _model_rows(death_penalty) == {
        LabelKind.ISSUE: {"death-penalty": issues.version},
        LabelKind.ACTION_CATEGORY: {"5": actions.version},
    }
    assert _model_rows(torture) == {
        LabelKind.ISSUE: {"torture": issues.version},
        LabelKind.ACTION_CATEGORY: {"3": actions.version},
    }
    assert set(
        Classification.objects.filter(provenance=Provenance.MODEL).values_list("status", flat=True)
    ) == {Classification.Status.SUGGESTED}
    assert not earlier.classifications.exists()  # `hrcoop classify apply` is what reaches older records


def test_a_dry_run_or_a_registry_without_models_queues_nothing(
    registry: list[Recommendation],
    tmp_path: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    path = write_2018(tmp_path / "s22.csv", UNTAGGED)
    with django_capture_on_commit_callbacks() as callbacks:
        import_file(path, format_name="upr-info", actor=None)
    assert len(callbacks) >= 1
    for callback in callbacks:  # no model is active: the import's own callbacks run, and suggest nothing
        callback()
    assert not Classification.objects.filter(provenance=Provenance.MODEL).exists()

    services.train(LabelKind.ISSUE, actor=None)
    dry_path = write_2018(tmp_path / "s23.csv", [(*row[:6], "23") for row in UNTAGGED])
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(dry_path, format_name="upr-info", actor=None, dry_run=True)
    assert report["records_created"] == 2 and not Recommendation.objects.filter(session__number=23).exists()
    assert not Classification.objects.filter(provenance=Provenance.MODEL).exists()
