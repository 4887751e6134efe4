"""On real UPR Info rows (sessions 1-5): the model beats the same-run baseline on a later session."""

from __future__ import annotations

import csv
import gzip
import io

import numpy as np
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer

from hrcoop.recommendations.classification.learn import Baseline, MultiLabelModel, SingleLabelModel
from tests.conftest import shared_data


def test_issues_and_action_category_beat_the_baseline_on_a_later_session() -> None:
    path = shared_data("upr_info_terman", "upr_info_sessions_1-5.csv.gz")
    with io.TextIOWrapper(gzip.open(path), encoding="mac_roman", newline="") as handle:
        rows = list(csv.DictReader(handle))
    train = [r for r in rows if int(r["Session"]) <= 4]
    test = [r for r in rows if int(r["Session"]) == 5]

    def issues(r: dict[str, str]) -> list[str]:
        return [i.strip() for i in r["Issue"].split(",")]

    texts = [r["Text"] for r in train]
    model = MultiLabelModel.train(
        texts, [issues(r) for r in train], groups=[int(r["Session"]) for r in train]
    )
    baseline = Baseline.train_multilabel(
        texts, [issues(r) for r in train], groups=[int(r["Session"]) for r in train]
    )
    binarizer = MultiLabelBinarizer().fit([issues(r) for r in rows])
    truth = binarizer.transform([issues(r) for r in test])
    ours = binarizer.transform([[label for label, _ in p] for p in model.predict([r["Text"] for r in test])])
    theirs = binarizer.transform(baseline.predict_sets([r["Text"] for r in test]))
    assert f1_score(truth, ours, average="micro") > f1_score(truth, theirs, average="micro")
    assert f1_score(truth, ours, average="micro") > 0.8

    action = SingleLabelModel.train(
        texts, [r["Action"] for r in train], groups=[int(r["Session"]) for r in train]
    )
    predicted = np.array([label for label, _ in action.predict([r["Text"] for r in test])])
    assert (predicted == np.array([r["Action"] for r in test])).mean() > 0.8
