"""``hrcoop classify evaluate``: train on earlier sessions, test on later ones, beside a baseline.

The split is by session because that is how the models are used: trained on what has been tagged,
applied to the next session. Everything - thresholds, calibration - is fitted inside the training
sessions; the test sessions are only predicted and scored. Labels are compared by their code in the
registry, where the importer has already mapped each export's renamed labels (``LabelAlias``) onto
one label; labels that occur only in the test sessions are listed, because no model could learn them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from hrcoop.recommendations.classification.data import TASKS, LabelledSet, labelled_records
from hrcoop.recommendations.classification.learn import (
    ACCEPT_PRECISION,
    Baseline,
    MultiLabelModel,
    NotEnoughData,
    SingleLabelModel,
    precision_threshold,
    set_confidences,
)
from hrcoop.recommendations.models import LabelAlias, LabelKind

SESSION_TASKS = ("issues", "action_category")
RECORD_ACCURACY = 0.97  # a record's whole label set (issues and action category) decided this often right


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


@dataclass
class RecordConfidence:
    """For one model and task: per record id, how sure it was of the record's whole suggestion and
    whether that suggestion was exactly right; out-of-fold for the training records, as predicted for
    the test records."""

    train: dict[int, tuple[float, bool]]
    test: dict[int, tuple[float, bool]]


def _by_id(ids: list[int], confidence: np.ndarray, correct: np.ndarray) -> dict[int, tuple[float, bool]]:
    return {pk: (float(c), bool(ok)) for pk, c, ok in zip(ids, confidence, correct, strict=True)}


def coverage(
    held_out: dict[int, tuple[float, bool]], test: dict[int, tuple[float, bool]], *, target: float
) -> dict[str, Any]:
    """The share of test records whose suggestion is accepted without review, at a threshold chosen on
    the held-out training records for ``target`` precision, and how precise that was on the test."""
    train_confidence, train_correct = (np.array(v) for v in zip(*held_out.values(), strict=True))
    threshold = precision_threshold(train_confidence, train_correct, target=target)
    confidence, correct = (np.array(v) for v in zip(*test.values(), strict=True))
    accepted = threshold.accepts(confidence)
    return {
        "coverage": _r(accepted.mean()),
        "precision": _r(correct[accepted].mean()) if accepted.any() else None,
        "threshold": threshold.as_dict()["threshold"],
        "held_out": threshold.as_dict(),
    }


def _both(
    issues: dict[int, tuple[float, bool]], actions: dict[int, tuple[float, bool]]
) -> dict[int, tuple[float, bool]]:
    """A record's complete label set: its issues and its action category, sure as both are."""
    return {
        pk: (issues[pk][0] * actions[pk][0], issues[pk][1] and actions[pk][1])
        for pk in sorted(issues.keys() & actions.keys())
    }


def evaluate_task(
    task: str, train: LabelledSet, test: LabelledSet
) -> tuple[dict[str, Any], dict[str, RecordConfidence]]:
    """Model and baseline on one split; raises NotEnoughData when the split cannot train or test.

    Returns the figures and, for the model and the baseline, their record confidences (for the
    figures that combine tasks)."""
    if not train or not test:
        raise NotEnoughData(
            f"{len(train)} labelled records in the training sessions, {len(test)} in the test sessions"
        )
    train_labels = {label for labels in train.labels for label in labels}
    test_labels = {label for labels in test.labels for label in labels}
    labels = sorted(train_labels | test_labels)
    started = time.process_time()
    confidences: dict[str, RecordConfidence] = {}
    if TASKS[task] == LabelKind.ACTION_CATEGORY:
        truth = [labels_[0] for labels_ in test.labels]
        targets = [ls[0] for ls in train.labels]
        model = SingleLabelModel.train(train.texts, targets, groups=train.sessions)
        trained = time.process_time()
        baseline = Baseline.train_single(train.texts, targets, groups=train.sessions)
        outcomes = {}
        for name, fitted in (("model", model), ("baseline", baseline)):
            winners, confidence = fitted.confidences(test.texts)
            predicted = [fitted.labels[k] for k in winners]
            outcomes[name] = _single_scores(labels, truth, predicted)
            assert fitted.held_out is not None
            confidences[name] = RecordConfidence(
                _by_id(train.ids, fitted.held_out.confidence, fitted.held_out.correct),
                _by_id(test.ids, confidence, np.asarray(predicted) == np.asarray(truth)),
            )
    else:
        multi = MultiLabelModel.train(train.texts, train.labels, groups=train.sessions)
        trained = time.process_time()
        baseline_multi = Baseline.train_multilabel(train.texts, train.labels, groups=train.sessions)
        truth_matrix = MultiLabelBinarizer(classes=labels).fit_transform(test.labels).astype(bool)
        outcomes = {}
        for name, fitted_multi in (("model", multi), ("baseline", baseline_multi)):
            chosen, confidence = fitted_multi.decide(test.texts)
            predicted_sets = [[fitted_multi.labels[j] for j in np.flatnonzero(row)] for row in chosen]
            outcomes[name] = _multilabel_scores(labels, test.labels, predicted_sets)
            predicted_matrix = MultiLabelBinarizer(classes=labels).fit_transform(predicted_sets).astype(bool)
            assert fitted_multi.held_out is not None
            confidences[name] = RecordConfidence(
                _by_id(train.ids, fitted_multi.held_out.confidence, fitted_multi.held_out.correct),
                _by_id(
                    test.ids,
                    set_confidences(confidence, chosen),
                    (predicted_matrix == truth_matrix).all(axis=1),
                ),
            )
            outcomes[name]["suggestions_at_98"] = _suggestions_at(fitted_multi, chosen, confidence, test)
    for name in ("model", "baseline"):
        outcomes[name]["coverage_at_98"] = coverage(
            confidences[name].train, confidences[name].test, target=ACCEPT_PRECISION
        )
    result = outcomes["model"]
    result.update(
        train=len(train),
        test=len(test),
        train_cpu_seconds=round(trained - started, 1),
        test_only_labels=sorted(test_labels - train_labels),
        train_only_labels=sorted(train_labels - test_labels),
        aliases=LabelAlias.objects.filter(kind=TASKS[task]).count(),
        baseline=outcomes["baseline"],
    )
    return result, confidences


def _suggestions_at(
    model: MultiLabelModel | Baseline, chosen: np.ndarray, confidence: np.ndarray, test: LabelledSet
) -> dict[str, Any]:
    """What the review queue's bulk acceptance does with one label at a time: the share of the test
    records' suggested labels at or above the model's own threshold, and how many of those were right."""
    index = {label: j for j, label in enumerate(model.labels)}
    truth = np.zeros(chosen.shape, dtype=bool)
    for i, labels in enumerate(test.labels):
        for label in labels:
            if label in index:
                truth[i, index[label]] = True
    accepted = chosen & model.accept.accepts(confidence)
    return {
        "coverage": _r(accepted.sum() / max(1, chosen.sum())),
        "precision": _r(truth[accepted].mean()) if accepted.any() else None,
        "held_out": model.accept.as_dict(),
    }


def evaluate(*, train_sessions: set[int], test_sessions: set[int]) -> dict[str, Any]:
    """Every task that has labelled records in the split; a task that cannot be evaluated says why."""
    if train_sessions & test_sessions:
        raise ValueError(
            f"sessions {sorted(train_sessions & test_sessions)} are in both the training and the test split"
        )
    details: dict[str, Any] = {}
    confidences: dict[str, dict[str, RecordConfidence]] = {}
    train_ids: set[int] = set()
    test_ids: set[int] = set()
    for task in SESSION_TASKS:
        data = labelled_records(TASKS[task])
        train, test = data.subset(train_sessions), data.subset(test_sessions)
        train_ids.update(train.ids)
        test_ids.update(test.ids)
        try:
            details[task], confidences[task] = evaluate_task(task, train, test)
        except NotEnoughData as exc:
            details[task] = {"error": f"cannot evaluate {task}: {exc}"}
    if len(confidences) == len(SESSION_TASKS):
        details["records_decided_at_97"] = {
            name: coverage(
                _both(confidences["issues"][name].train, confidences["action_category"][name].train),
                _both(confidences["issues"][name].test, confidences["action_category"][name].test),
                target=RECORD_ACCURACY,
            )
            for name in ("model", "baseline")
        }
    from hrcoop.recommendations.classification.sdg import evaluate_sdg

    details["sdg_goals"] = evaluate_sdg(LabelKind.SDG_GOAL)
    return {"summary": summary(details, train=len(train_ids), test=len(test_ids)), "details": details}


def summary(details: dict[str, Any], *, train: int, test: int) -> dict[str, Any]:
    """The one-line JSON of the issues: headline figures of the model and of the baseline."""
    keys = {"issues": ("micro_f1", "macro_f1"), "action_category": ("accuracy", "macro_f1")}
    line: dict[str, Any] = {}
    baseline: dict[str, Any] = {}
    for task, names in keys.items():
        figures = details.get(task, {})
        base = figures.get("baseline", {})
        line[task] = {name: figures.get(name) for name in names}
        baseline[task] = {name: base.get(name) for name in names}
        line[task]["coverage_at_98"] = figures.get("coverage_at_98", {}).get("coverage")
        baseline[task]["coverage_at_98"] = base.get("coverage_at_98", {}).get("coverage")
    decided = details.get("records_decided_at_97", {})
    line["records_decided_at_97"] = decided.get("model", {}).get("coverage")
    baseline["records_decided_at_97"] = decided.get("baseline", {}).get("coverage")
    sdg = details.get("sdg_goals", {})
    line["sdg_goals"] = {k: sdg.get(k) for k in ("precision", "recall", "f1", "records")}
    line["baseline"] = baseline
    line["train"] = train
    line["test"] = test
    return line
