"""``hrcoop cooperation evaluate`` on the real UPR Info export, and its arithmetic on a case by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hrcoop.cooperation.evaluation import Case, keywords, measure
from tests.conftest import run_cli, shared_data


def test_measure_worked_by_hand() -> None:
    keys = ["a", "b", "c", "d", "e", "f"]
    cases = [Case("x", "en", frozenset({"b"})), Case("y", "en", frozenset({"a", "f"}))]
    scores = np.array([[0.9, 0.8, 0, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])
    # Need x: b ranks 2nd (P@5 1/5, RR 1/2). Need y: order f,e,d,c,b (P@5 1/5, RR 1).
    assert measure(scores, keys, cases) == {"precision_at_5": 0.2, "mrr": 0.75}


def test_keywords_are_stemmed_without_stop_words() -> None:
    assert keywords("Training of the trainers in human rights") == {"train", "trainer", "human", "right"}


@pytest.mark.django_db
def test_the_matcher_beats_keyword_overlap_on_real_needs(capsys: pytest.CaptureFixture[str]) -> None:
    data = shared_data("upr_info_terman").parent
    code, out, err = run_cli(capsys, "cooperation", "evaluate", "--data", str(data))
    assert code == 0, err
    lines = out.strip().splitlines()
    result = json.loads(lines[-1])
    assert set(result) == {"precision_at_5", "mrr", "baseline", "pairs"}
    assert result["pairs"] > 900  # distinct recommendations asking for assistance, with a relevant offer
    assert result["mrr"] > result["baseline"]["mrr"]
    assert result["precision_at_5"] > result["baseline"]["precision_at_5"]
    french = next(line for line in lines if line.startswith("fr:"))
    assert "7 needs" in french


def test_evaluate_without_the_data_says_where_to_point_it(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    code, _, err = run_cli(capsys, "cooperation", "evaluate", "--data", str(tmp_path))
    assert code == 2
    assert "--data" in err
