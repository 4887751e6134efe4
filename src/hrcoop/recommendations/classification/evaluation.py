"""``hrcoop classify evaluate``: train on earlier sessions, test on later ones, beside a baseline.

The split is by session because that is how the models are used: trained on what has been tagged,
applied to the next session. Everything - thresholds, calibration - is fitted inside the training
sessions; the test sessions are only predicted and scored. Labels are compared by their code in the
registry, where the importer has already mapped each export's renamed labels (``LabelAlias``) onto
one label; labels that occur only in the test sessions are listed, because no model could learn them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from hrcoop.recommendations.classification.data import TASKS, LabelledSet, labelled_records
from hrcoop.recommendations.classification.learn import (
    Baseline,
    MultiLabelModel,
    NotEnoughData,
    SingleLabelModel,
)
from hrcoop.recommendations.models import LabelAlias, LabelKind

SESSION_TASKS = ("issues", "action_category")


def _r(value: float) -> float:
    return round(float(value), 4)


def _per_label(labels: list[str], truth: np.ndarray, predicted: np.ndarray) -> dict[str, dict[str, float]]:
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, zero_division=0)
    return {
        label: {"precision": _r(p), "recall": _r(r), "f1": _r(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }


def _multilabel_scores(
    labels: list[str], truth: list[list[str]], predicted: list[list[str]]
) -> dict[str, Any]:
    binarizer = MultiLabelBinarizer(classes=labels)
    y_true, y_pred = binarizer.fit_transform(truth), binarizer.fit_transform(predicted)
    in_test = y_true.sum(axis=0) > 0  # macro-F1 over the labels the test sessions use
    return {
        "micro_f1": _r(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "macro_f1": _r(f1_score(y_true[:, in_test], y_pred[:, in_test], average="macro", zero_division=0)),
        "per_label": _per_label(labels, y_true, y_pred),
    }


def _single_scores(labels: list[str], truth: list[str], predicted: list[str]) -> dict[str, Any]:
    in_test = sorted(set(truth))
    binarizer = MultiLabelBinarizer(classes=labels)
    return {
        "accuracy": _r(accuracy_score(truth, predicted)),
        "macro_f1": _r(f1_score(truth, predicted, labels=in_test, average="macro", zero_division=0)),
        "per_label": _per_label(
            labels,
            binarizer.fit_transform([[t] for t in truth]),
            binarizer.fit_transform([[p] for p in predicted]),
        ),
    }


def evaluate_task(task: str, train: LabelledSet, test: LabelledSet) -> dict[str, Any]:
    """Model and baseline on one split; raises NotEnoughData when the split cannot train or test."""
    if not train or not test:
        raise NotEnoughData(
            f"{len(train)} labelled records in the training sessions, {len(test)} in the test sessions"
        )
    train_labels = {label for labels in train.labels for label in labels}
    test_labels = {label for labels in test.labels for label in labels}
    labels = sorted(train_labels | test_labels)
    started = time.perf_counter()
    if TASKS[task] == LabelKind.ACTION_CATEGORY:
        truth = [labels_[0] for labels_ in test.labels]
        model = SingleLabelModel.train(train.texts, [ls[0] for ls in train.labels], groups=train.sessions)
        trained = time.perf_counter()
        result = _single_scores(labels, truth, [label for label, _ in model.predict(test.texts)])
        baseline = Baseline.train_single(train.texts, [ls[0] for ls in train.labels])
        base = _single_scores(labels, truth, baseline.predict_single(test.texts))
    else:
        multi = MultiLabelModel.train(train.texts, train.labels, groups=train.sessions)
        trained = time.perf_counter()
        result = _multilabel_scores(
            labels, test.labels, [[lb for lb, _ in p] for p in multi.predict(test.texts)]
        )
        baseline = Baseline.train_multilabel(train.texts, train.labels)
        base = _multilabel_scores(labels, test.labels, baseline.predict_sets(test.texts))
    result.update(
        train=len(train),
        test=len(test),
        train_seconds=round(trained - started, 1),
        test_only_labels=sorted(test_labels - train_labels),
        train_only_labels=sorted(train_labels - test_labels),
        aliases=LabelAlias.objects.filter(kind=TASKS[task]).count(),
        baseline=base,
    )
    return result


def evaluate(*, train_sessions: set[int], test_sessions: set[int]) -> dict[str, Any]:
    """Every task that has labelled records in the split; a task that cannot be evaluated says why."""
    if train_sessions & test_sessions:
        raise ValueError(
            f"sessions {sorted(train_sessions & test_sessions)} are in both the training and the test split"
        )
    details: dict[str, Any] = {}
    train_ids: set[int] = set()
    test_ids: set[int] = set()
    for task in SESSION_TASKS:
        data = labelled_records(TASKS[task])
        train, test = data.subset(train_sessions), data.subset(test_sessions)
        train_ids.update(train.ids)
        test_ids.update(test.ids)
        try:
            details[task] = evaluate_task(task, train, test)
        except NotEnoughData as exc:
            details[task] = {"error": f"cannot evaluate {task}: {exc}"}
    from hrcoop.recommendations.classification.sdg import evaluate_sdg

    details["sdg_goals"] = evaluate_sdg(LabelKind.SDG_GOAL)
    return {"summary": summary(details, train=len(train_ids), test=len(test_ids)), "details": details}


def summary(details: dict[str, Any], *, train: int, test: int) -> dict[str, Any]:
    """The one-line JSON of the issue: headline figures of the model and of the baseline."""
    keys = {"issues": ("micro_f1", "macro_f1"), "action_category": ("accuracy", "macro_f1")}
    line: dict[str, Any] = {}
    baseline: dict[str, Any] = {}
    for task, names in keys.items():
        figures = details.get(task, {})
        line[task] = {name: figures.get(name) for name in names}
        baseline[task] = {name: figures.get("baseline", {}).get(name) for name in names}
    sdg = details.get("sdg_goals", {})
    line["sdg_goals"] = {k: sdg.get(k) for k in ("precision", "recall", "f1", "records")}
    line["baseline"] = baseline
    line["train"] = train
    line["test"] = test
    return line
