"""``hrcoop classify`` as a person runs it: clear refusals, and evaluate's last line is the JSON summary."""

from __future__ import annotations

import json

import pytest

from hrcoop.recommendations.classification.models import EvaluationRun, ModelVersion
from hrcoop.recommendations.models import Classification, Recommendation
from tests.conftest import run_cli

pytestmark = pytest.mark.django_db


def test_train_on_an_empty_database_fails_with_a_message(
    reference_data: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "classify", "train", "--task", "issues")
    assert code == 2
    assert "no record carries an accepted issue label" in err and "Traceback" not in err
    code, _, err = run_cli(capsys, "classify", "apply", "--task", "issues")
    assert code == 2 and "run `hrcoop classify train` first" in err
    code, _, err = run_cli(capsys, "classify", "train", "--task", "nonsense")
    assert code == 2 and "unknown task 'nonsense'" in err
    assert not ModelVersion.objects.exists()


def test_evaluate_prints_the_summary_json_last(
    registry: list[Recommendation], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(
        capsys, "classify", "evaluate", "--train-sessions", "1-6", "--test-sessions", "7-8"
    )
    assert code == 0, out
    summary = json.loads(out.strip().splitlines()[-1])
    assert set(summary) == {
        "issues",
        "action_category",
        "records_decided_at_97",
        "sdg_goals",
        "baseline",
        "train",
        "test",
    }
    assert summary["train"] + summary["test"] == len(registry)
    assert 0 <= summary["issues"]["micro_f1"] <= 1 and 0 <= summary["action_category"]["accuracy"] <= 1
    assert set(summary["baseline"]["issues"]) == {"micro_f1", "macro_f1", "coverage_at_98"}
    for figures in (summary, summary["baseline"]):
        for task in ("issues", "action_category"):
            assert 0 <= figures[task]["coverage_at_98"] <= 1
        assert 0 <= figures["records_decided_at_97"] <= 1
    assert "coverage at 0.98 precision" in out and "whole records" in out
    assert "sdg_goals: 0 records carry an accepted sdg_goal label" in out
    assert EvaluationRun.objects.count() == 1
    assert not Classification.objects.filter(status=Classification.Status.SUGGESTED).exists()


def test_overlapping_split_is_refused(
    registry: list[Recommendation], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        capsys, "classify", "evaluate", "--train-sessions", "1-6", "--test-sessions", "6-8"
    )
    assert code == 2 and "sessions [6] are in both" in err
    code, _, err = run_cli(capsys, "classify", "evaluate", "--train-sessions", "one")
    assert code == 2 and "not a list of sessions" in err
    assert not EvaluationRun.objects.exists()
