"""The learning core without the database: thresholds, held-out split, refusals."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from hrcoop.recommendations.classification.learn import (
    MultiLabelModel,
    NotEnoughData,
    SingleLabelModel,
    exclusive_labels,
    fit_temperature,
    leading_words,
    make_action_featurizer,
    nb_ratios,
    precision_threshold,
    scoring_folds,
    select_labels,
    tune_thresholds,
)


def test_each_label_gets_the_threshold_that_maximises_its_f1() -> None:
    rng = np.random.default_rng(0)
    n = 400
    truth = np.zeros((n, 3), dtype=int)
    truth[:200, 0] = 1
    truth[100:300, 1] = 1
    truth[:3, 2] = 1  # too rare for a threshold of its own
    scores = rng.normal(0, 0.05, size=(n, 3))
    scores[:, 0] += np.where(truth[:, 0], -0.4, -0.8)  # positives score low: the best cut is near -0.6
    scores[:, 1] += np.where(truth[:, 1], 0.5, 0.1)  # best cut near 0.3
    scores[:, 2] += np.where(truth[:, 2], 0.5, -0.5)

    thresholds, shared = tune_thresholds(scores, truth, min_positives=8)

    assert -0.75 < thresholds[0] < -0.45
    assert 0.15 < thresholds[1] < 0.45
    assert thresholds[2] == shared  # 3 positives: the shared threshold, not one fitted to noise
    predicted = scores > thresholds
    assert (predicted[:, :2] == truth[:, :2]).mean() > 0.97
    assert ((scores[:, :2] > 0) == truth[:, :2]).mean() < 0.8  # the default cut at 0 would be poor


def test_leading_words_mark_position() -> None:
    assert leading_words("Continue its efforts to end torture") == (
        "L0_continue L1_its L2_efforts L3_to LB_continue_its LB_its_efforts LB_efforts_to"
    )


@pytest.mark.parametrize("label_sets", [[], [["a"]] * 10])
def test_no_labels_or_one_label_is_refused_with_a_reason(label_sets: list[list[str]]) -> None:
    texts = [f"text number {i}" for i in range(len(label_sets))]
    with pytest.raises(NotEnoughData, match="at least"):
        MultiLabelModel.train(texts, label_sets, groups=[1] * len(texts))


def test_single_label_with_one_class_is_refused() -> None:
    with pytest.raises(NotEnoughData, match="same label \\(5\\)"):
        SingleLabelModel.train([f"Ratify treaty {i}" for i in range(10)], ["5"] * 10, groups=[1] * 10)


def test_confidence_is_calibrated_on_held_out_records() -> None:
    texts, labels, groups = [], [], []
    for i in range(300):
        topic = ["torture", "women", "children"][i % 3]
        texts.append(f"Act on {topic} number {i % 7} now")
        labels.append([topic])
        groups.append(1 + i // 50)  # six sessions, each with every topic, as real sessions are
    model = MultiLabelModel.train(texts, labels, groups=groups)
    predicted = model.predict(["Act on women number 3 now", "Act on children number 1 now"])
    assert [p[0][0] for p in predicted] == ["women", "children"]
    assert all(0.5 < conf <= 1.0 for p in predicted for _, conf in p)
    assert model.confidences(["Act on torture number 2 now"])[0, model.labels.index("women")] < 0.5


def test_scoring_folds_keep_each_session_whole() -> None:
    sessions = [1] * 30 + [2] * 20 + [3] * 25 + [4] * 15 + [5] * 10 + [None] * 6
    fold_of = scoring_folds(sessions, folds=3)
    assert set(fold_of) == {0, 1, 2}
    for session in range(1, 6):
        assert len({f for s, f in zip(sessions, fold_of, strict=True) if s == session}) == 1
    assert len(set(fold_of[-6:])) == 3  # records without a session are spread over the folds


def test_with_fewer_sessions_than_folds_records_are_interleaved() -> None:
    assert list(scoring_folds([7] * 5 + [8] * 2, folds=3)) == [0, 1, 2, 0, 1, 2, 0]


def test_separable_scores_get_a_threshold_inside_the_gap_not_at_its_edge() -> None:
    truth = np.array([[1], [1], [0], [0]] * 10)
    scores = np.where(truth == 1, 0.8, -0.9).astype(float)  # every threshold in [-0.9, 0.8) scores F1 = 1
    thresholds, shared = tune_thresholds(scores, truth)
    assert -0.3 < shared < 0.2
    assert -0.3 < thresholds[0] < 0.2


def test_issue_features_carry_a_word_into_its_other_forms() -> None:
    """Character 4-grams: "ratification" is learned from "ratify"/"ratified" without being seen."""
    texts, labels = [], []
    for i in range(120):
        if i % 2:
            texts.append(
                f"Ratify the convention number {i % 9}" if i % 4 == 1 else f"Has ratified treaty {i % 9}"
            )
            labels.append(["international-instruments"])
        else:
            texts.append(f"End torture in prison number {i % 9}")
            labels.append(["torture"])
    model = MultiLabelModel.train(texts, labels, groups=[1 + i // 20 for i in range(120)])
    assert model.holdout["folds"] == 3 and model.holdout["records"] == 120
    predicted = model.predict(["Ratification of the convention"])[0]
    assert [label for label, _ in predicted] == ["international-instruments"]


def test_a_catch_all_label_is_found_by_how_often_it_stands_alone() -> None:
    truth = np.zeros((100, 4), dtype=int)
    truth[:50, 0] = 1  # topical
    truth[25:75, 1] = 1  # topical, alone in half its records
    truth[80:100, 2] = 1  # catch-all: 19 of its 20 records carry nothing else
    truth[80, 0] = 1
    truth[75:80, 3] = 1  # alone too, but five records cannot tell
    assert list(exclusive_labels(truth, min_positives=8)) == [2]


def test_a_label_that_stands_alone_gives_way_to_any_other_label() -> None:
    margins = np.array(
        [
            [0.4, -0.2, 0.9],  # a topical label passes: the catch-all (column 2) gives way
            [-0.1, -0.3, 0.2],  # nothing else passes: the catch-all stays
            [0.3, 0.1, -0.5],  # the catch-all does not pass: the others are untouched
        ]
    )
    assert select_labels(margins, [2]).tolist() == [
        [True, False, False],
        [False, False, True],
        [True, True, False],
    ]
    assert (select_labels(margins, []) == (margins > 0)).all()


def test_a_multilabel_model_file_saved_before_catch_alls_still_predicts() -> None:
    texts = [f"{verb} item {i}" for i in range(20) for verb in ("Ratify treaty", "End torture")]
    labels = [["instruments"], ["torture"]] * 20
    model = MultiLabelModel.train(texts, labels, groups=[1 + i // 8 for i in range(40)])
    old = {k: v for k, v in model.__dict__.items() if k != "exclusive"}  # the fields joblib wrote then
    saved = MultiLabelModel.__new__(MultiLabelModel)
    saved.__dict__.update(old)
    loaded = pickle.loads(pickle.dumps(saved))
    assert [[lb for lb, _ in p] for p in loaded.predict(["Ratify treaty 3", "End torture 4"])] == [
        ["instruments"],
        ["torture"],
    ]


def test_nb_ratios_weigh_up_the_words_that_tell_a_label_either_way() -> None:
    # columns: a word in every record, one only in the label's records, one only outside them
    present = sp.csr_matrix(np.array([[1, 1, 0]] * 10 + [[1, 0, 1]] * 30, dtype=np.float32))
    column = np.array([1] * 10 + [0] * 30)
    everywhere, in_label, outside = nb_ratios(present, column)
    assert everywhere < 0.5
    assert in_label > 2 and outside > 2  # size kept, sign left to the SVM


def test_temperature_scaling_sharpens_reliable_scores_and_softens_unreliable_ones() -> None:
    scores = np.array([[1.0, -1.0], [-1.0, 1.0]] * 50)
    right = np.array([0, 1] * 50)
    wrong_a_third = right.copy()
    wrong_a_third[::3] = 1 - wrong_a_third[::3]
    assert fit_temperature(scores, right) > 3  # always right: confidence near 1
    soft = fit_temperature(scores, wrong_a_third)
    assert 0 < soft < 1  # right two times in three: confidence near 2/3, not 0.88 (softmax of 2)
    confidence = np.exp(soft) / (np.exp(soft) + np.exp(-soft))
    assert abs(confidence - 2 / 3) < 0.03


def test_action_category_predicts_the_best_scoring_class_with_its_calibrated_probability() -> None:
    verbs = {"1": "Share", "2": "Continue", "3": "Consider", "4": "Take measures on", "5": "Ratify"}
    texts, targets, groups = [], [], []
    for i in range(400):
        code = str(1 + i % 5)
        texts.append(f"{verbs[code]} the matter number {i % 11} and item {i % 7}")
        targets.append(code)
        groups.append(1 + i // 50)
    model = SingleLabelModel.train(texts, targets, groups=groups)
    probe = ["Ratify the matter number 3", "Continue the matter number 4", "Consider item 2"]
    predicted = model.predict(probe)
    assert [code for code, _ in predicted] == ["5", "2", "3"]
    scores, probabilities = model.scores(probe), model.probabilities(probe)
    assert (scores.argmax(axis=1) == probabilities.argmax(axis=1)).all()  # calibration keeps the winner
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert all(0.5 < confidence <= 1.0 for _, confidence in predicted)
    assert model.scale > 0 and model.holdout["accuracy"] > 0.9


def test_a_model_file_from_the_previous_version_still_predicts() -> None:
    """Before the NB-SVM average the action model kept one multi-class LinearSVC; files saved then load."""
    texts = [f"{verb} item {i}" for i in range(20) for verb in ("Ratify", "Continue")]
    targets = ["5", "2"] * 20
    featurizer = make_action_featurizer(len(texts))
    classifier = LinearSVC().fit(featurizer.fit_transform(texts), targets)
    old = {"labels": ["2", "5"], "featurizer": featurizer, "classifier": classifier, "calibrator": None}
    saved = SingleLabelModel.__new__(SingleLabelModel)
    saved.__dict__.update(old, holdout={})  # what joblib wrote for the old class: its fields
    model = pickle.loads(pickle.dumps(saved))
    assert model.weights.shape == (featurizer.transform(["x"]).shape[1], 2) and model.scale == 1.0
    assert [code for code, _ in model.predict(["Ratify item 3", "Continue item 4"])] == ["5", "2"]


def test_the_acceptance_threshold_is_the_deepest_cut_that_keeps_the_target_precision() -> None:
    confidence = np.array([0.99, 0.97, 0.95, 0.9, 0.9, 0.8, 0.7])
    correct = np.array([True, True, True, True, False, True, False])
    chosen = precision_threshold(confidence, correct, target=0.8)
    # down to 0.8: 5 right of 6 (0.83); down to 0.7: 5 of 7 (0.71). Ties at 0.9 go together.
    assert chosen.threshold == 0.8 and chosen.precision == pytest.approx(5 / 6)
    assert chosen.coverage == pytest.approx(6 / 7)
    assert list(chosen.accepts(np.array([0.81, 0.8, 0.79]))) == [True, True, False]
    strict = precision_threshold(confidence, correct, target=1.0)
    assert strict.threshold == 0.95 and strict.coverage == pytest.approx(3 / 7)


def test_no_confidence_reaching_the_target_accepts_nothing() -> None:
    chosen = precision_threshold(np.array([0.9, 0.8]), np.array([False, True]), target=0.98)
    assert not chosen.accepts(np.array([1.0])).any() and chosen.as_dict()["threshold"] is None


def test_the_action_model_keeps_its_threshold_and_held_out_confidences() -> None:
    verbs = {"1": "Share", "2": "Continue", "3": "Consider", "4": "Take measures on", "5": "Ratify"}
    texts, targets, groups = [], [], []
    for i in range(400):
        code = str(1 + i % 5)
        vague = i % 4 == 0  # "Address" comes with every category: no model can be sure of those
        texts.append(f"{'Address' if vague else verbs[code]} the matter number {i % 11} and item {i % 7}")
        targets.append(code)
        groups.append(1 + i // 50)
    model = SingleLabelModel.train(texts, targets, groups=groups, target_precision=0.95)
    assert model.held_out is not None and len(model.held_out.confidence) == 400
    assert model.holdout["accept"]["target"] == 0.95
    accepted = model.accept.accepts(model.held_out.confidence)
    assert 0 < accepted.mean() < 1
    assert model.held_out.correct[accepted].mean() >= 0.95
    assert model.held_out.correct[~accepted].mean() < 0.95
