"""The learning itself, free of Django: features, linear models, thresholds and calibration.

Why these choices. Recommendations are short, formulaic English sentences whose labels hang on a
few words ("ratify", "torture", "Continue ..."), so TF-IDF features with a linear SVM are both the
most accurate models we measured and fast on two cores. Issues hang on the topic words in any form
("ratify", "ratification"), so their features add character 4-grams within words to word 1-2
grams. The first words of a sentence decide the action category (UPR Info's scale is about the
verb), so that task gets positional tokens for them beside word 1-3 grams.

A linear SVM's scores are not probabilities and its natural cut at 0 is too strict for rare labels.
Out-of-fold scores of *every* training record (folds by session, so a record is scored by a model
that did not see its review) tune one threshold per label and fit a Platt scaling for the
multi-label tasks, and fit the action category's confidence calibrator. The same scores choose the
confidence from which suggestions may be accepted without review (``precision_threshold``, at
``ACCEPT_PRECISION``). Each model is then refitted on all training records.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

_WORD = re.compile(r"\w+")
THRESHOLD_GRID = np.round(np.arange(-1.0, 0.61, 0.05), 2)
MIN_POSITIVES_FOR_OWN_THRESHOLD = 8
SHRINK = 10
EXCLUSIVE_SHARE = 0.9
SVM_TOLERANCE = 1e-3
SCORING_FOLDS = 3
NB_SVM_C = 0.1


ACCEPT_PRECISION = 0.98  # the share of bulk-accepted suggestions that must be right (issue 18)


class NotEnoughData(ValueError):
    """The labelled records cannot train a model; the message says what is missing."""


def leading_words(text: str) -> str:
    """Positional tokens for the first four words and their bigrams ("L0_continue", "LB_continue_its")."""
    words = _WORD.findall(text.lower())[:4]
    tokens = [f"L{i}_{w}" for i, w in enumerate(words)]
    tokens += [f"LB_{words[i]}_{words[i + 1]}" for i in range(len(words) - 1)]
    return " ".join(tokens)


def _min_df(n_texts: int) -> int:
    """A tiny corpus keeps every term; otherwise a term must occur twice."""
    return 1 if n_texts < 50 else 2


def make_issue_featurizer(n_texts: int = 1000) -> FeatureUnion:
    """Word 1-2 grams and character 4-grams within words, for the topic tasks (issues and the like).

    Measured when sessions 1-10 predicted 13-16 (and 1-13 predicted 14-16), issues micro-F1: word
    1-3 grams + leading words 0.848 (0.864); + character 4-grams 0.875 (0.892); without the leading
    words 0.880 (0.897); word 1-2 instead of 1-3 grams 0.880 (0.899) and faster. Character 3-5 grams
    scored no better than 4-grams alone but take three times as long to vectorise a text."""
    min_df = _min_df(n_texts)
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df, max_features=150_000),
            ),
            (
                "chars",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True, min_df=min_df),
            ),
        ]
    )


def make_action_featurizer(n_texts: int = 1000) -> FeatureUnion:
    """Word 1-3 grams and the leading words, for the action category.

    Measured on the same inner splits and left out, as they moved accuracy by no more than 0.3 points
    either way: character 4-grams, the first six words instead of four, tokens for the recommending
    State, its regional group, the State under review, the cycle or the text length, and weighing
    recent sessions more."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 3), sublinear_tf=True, min_df=_min_df(n_texts), max_features=150_000
                ),
            ),
            (
                "lead",
                TfidfVectorizer(
                    preprocessor=leading_words, token_pattern=r"\S+", sublinear_tf=True, lowercase=False
                ),
            ),
        ]
    )


def make_baseline_featurizer() -> TfidfVectorizer:
    """The issue's baseline: TF-IDF over word 1-2 grams."""
    return TfidfVectorizer(ngram_range=(1, 2))


def _check_min_df(texts: Sequence[str]) -> None:
    if len(texts) < 4:
        raise NotEnoughData(f"only {len(texts)} labelled records; training needs at least 4")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def tune_thresholds(
    scores: np.ndarray, truth: np.ndarray, *, min_positives: int = MIN_POSITIVES_FOR_OWN_THRESHOLD
) -> tuple[np.ndarray, float]:
    """One threshold per label maximising that label's F1 on held-out or out-of-fold scores.

    The shared threshold maximises micro-F1 over all labels; a label with fewer than ``min_positives``
    held-out examples takes the shared one, because a threshold fitted to three examples is noise, and
    the others are pulled towards it as if ``SHRINK`` examples had voted for it.
    Returns (per-label thresholds, shared threshold).
    """
    truth = truth.astype(bool)

    def f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
        denominator = 2 * tp + fp + fn
        return np.divide(
            2 * tp, denominator, out=np.zeros_like(denominator, dtype=float), where=denominator > 0
        )

    tp = np.array([((scores > t) & truth).sum(axis=0) for t in THRESHOLD_GRID], dtype=float)
    fp = np.array([((scores > t) & ~truth).sum(axis=0) for t in THRESHOLD_GRID], dtype=float)
    fn = np.array([((scores <= t) & truth).sum(axis=0) for t in THRESHOLD_GRID], dtype=float)
    micro = f1(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    shared = float(THRESHOLD_GRID[_middle_of_best(micro[:, None])[0]])
    per_label = f1(tp, fp, fn)  # (grid, labels)
    best = THRESHOLD_GRID[_middle_of_best(per_label)]
    positives = truth.sum(axis=0)
    own = (positives * best + SHRINK * shared) / (positives + SHRINK)
    return np.where(positives >= min_positives, own, shared).astype(float), shared


def _middle_of_best(f1: np.ndarray) -> np.ndarray:
    """Per column of a (grid, labels) F1 table, the middle grid index among those reaching the best F1.

    Cleanly separated scores reach the best F1 over a whole range of thresholds. Its lowest end (what
    argmax picks) sits on the negatives, which the model refitted on all records may score a little
    higher; the middle of the range leaves room both ways.
    """
    best = f1 >= f1.max(axis=0) - 1e-12
    return np.array([np.flatnonzero(column)[column.sum() // 2] for column in best.T])


def exclusive_labels(
    truth: np.ndarray, *, min_positives: int = MIN_POSITIVES_FOR_OWN_THRESHOLD
) -> np.ndarray:
    """The labels that stand alone: at least ``EXCLUSIVE_SHARE`` of their records carry no other label.

    UPR Info's "Other" and "General" are such catch-alls (97-98 % of their records carry nothing else;
    the next label, "National Human Rights Institution", 82 %). Scored on their own, they are
    suggested beside topical labels, and were the two worst labels on the inner splits. Learned from
    the training labels, not named, so that another taxonomy's catch-alls are found the same way.
    """
    truth = truth.astype(bool)
    positives = truth.sum(axis=0)
    alone = (truth & (truth.sum(axis=1) == 1)[:, None]).sum(axis=0)
    return np.flatnonzero((positives >= min_positives) & (alone >= EXCLUSIVE_SHARE * positives))


def select_labels(margins: np.ndarray, exclusive: Sequence[int]) -> np.ndarray:
    """The labels each record gets: those past their threshold, except that a label that stands alone
    gives way when any other label passes.

    Measured when sessions 1-10 predicted 13-16 (and 1-13 predicted 14-16), issues micro-F1 0.8911
    -> 0.8957 (0.9032 -> 0.9084), macro-F1 0.8448 -> 0.8475 (0.8620 -> 0.8654). Tuning the standing-
    alone labels' thresholds again on the records left to them scored lower (0.8926, 0.9046).
    """
    passing = margins > 0
    if len(exclusive):
        alone = np.asarray(exclusive, dtype=np.intp)
        others = np.ones(margins.shape[1], dtype=bool)
        others[alone] = False
        crowded = np.flatnonzero(passing[:, others].any(axis=1))
        passing[crowded[:, None], alone[None, :]] = False
    return passing


@dataclass(frozen=True)
class AcceptThreshold:
    """The confidence from which suggestions may be accepted without review, chosen on held-out scores.

    ``precision`` and ``coverage`` are what the held-out suggestions at or above ``threshold`` showed:
    the share of them that were right, and their share of all suggestions. ``threshold`` is infinite
    when no confidence reached the ``target`` precision: then nothing is accepted in bulk.
    """

    target: float
    threshold: float
    precision: float
    coverage: float

    def accepts(self, confidence: np.ndarray) -> np.ndarray:
        return np.asarray(confidence) >= self.threshold

    def as_dict(self) -> dict[str, float | None]:
        finite = bool(np.isfinite(self.threshold))
        return {
            "target": self.target,
            "threshold": round(self.threshold, 6) if finite else None,
            "precision": round(self.precision, 4),
            "coverage": round(self.coverage, 4),
        }


def precision_threshold(confidence: np.ndarray, correct: np.ndarray, *, target: float) -> AcceptThreshold:
    """The lowest confidence whose suggestions at or above it are right at least ``target`` of the time.

    Suggestions are sorted by confidence, surest first; the cut may fall only between different
    confidences (tied suggestions are accepted or left together), and it is the deepest cut whose
    running precision still reaches the target. Chosen on held-out scores, never on the records it is
    then measured on.
    """
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=bool)
    if not len(confidence):
        return AcceptThreshold(target, float("inf"), 0.0, 0.0)
    order = np.argsort(-confidence, kind="stable")
    ranked = confidence[order]
    precision = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ends = np.flatnonzero(np.r_[ranked[1:] < ranked[:-1], True])  # last position of each tie group
    reaching = ends[precision[ends] >= target]
    if not len(reaching):
        return AcceptThreshold(target, float("inf"), 0.0, 0.0)
    cut = int(reaching[-1])
    return AcceptThreshold(target, float(ranked[cut]), float(precision[cut]), (cut + 1) / len(order))


def _fit_platt(margins: np.ndarray, outcomes: np.ndarray) -> tuple[float, float]:
    """Platt scaling: confidence = sigmoid(a * margin + b), margin = score - threshold."""
    if outcomes.min() == outcomes.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0).fit(margins.reshape(-1, 1), outcomes)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The factor a for which softmax(a * scores) best predicts the held-out classes (log-loss).

    One factor, positive, so the ranking of the classes - and the prediction - stays the model's.
    ``truth`` holds each record's column index in ``scores``.
    """

    def loss(log_scale: float) -> float:
        p = _softmax(np.exp(log_scale) * scores)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    return float(np.exp(minimize_scalar(loss, bounds=(-5.0, 5.0), method="bounded").x))


def scoring_folds(groups: Sequence[int | None], *, folds: int = SCORING_FOLDS) -> np.ndarray:
    """The fold of each record for out-of-fold scoring: whole sessions, else interleaved records.

    Folding by session keeps a review's recommendations (often near-copies of one another) out of the
    model that scores them, as in real use. With fewer sessions than folds, record i goes to fold
    i mod ``folds``; so do records without a session. Tuning the thresholds on every training
    record's out-of-fold score rather than on the latest 20 % held out raised issues micro-F1 from
    0.880 to 0.889 (sessions 1-10 predicting 13-16) and from 0.899 to 0.902 (1-13 predicting 14-16).
    """
    fold_of = np.arange(len(groups)) % folds
    known = np.array([g is not None for g in groups])
    sessions = np.array([g for g in groups if g is not None])
    if len(set(sessions)) < folds:
        return fold_of
    split = GroupKFold(n_splits=folds).split(sessions, groups=sessions)
    for k, (_, scored) in enumerate(split):
        fold_of[np.flatnonzero(known)[scored]] = k
    return fold_of


def nb_ratios(present: sp.csr_matrix, column: np.ndarray, *, alpha: float = 1.0) -> np.ndarray:
    """How much more often each feature occurs in the label's records than in the others, as |log ratio|.

    ``present`` marks which features each record has (1 or 0). Naive Bayes log-count ratios (Wang
    and Manning 2012, "NB-SVM"): scaling the features by them lets an SVM start from what a word says
    about this one label; their size is kept and their sign is left to the SVM, so that a word
    telling strongly against the label is not scaled down.
    """
    in_label = np.asarray(present.T @ column.astype(np.float32)).ravel()
    positive = alpha + in_label
    negative = alpha + np.asarray(present.sum(axis=0)).ravel() - in_label
    ratios = np.log((positive / positive.sum()) / (negative / negative.sum()))
    return np.abs(ratios).astype(np.float32)


def _fit_pair(
    x: sp.csr_matrix, y: np.ndarray, *, C: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per label column, a linear SVM and an NB-SVM, each stacked into one weight matrix.

    Returns (SVM weights, SVM intercepts, NB-SVM weights, NB-SVM intercepts), the NB-SVM's weights
    already multiplied by its ratios so that both score the same features. A label whose column is
    constant gets a constant score (+1 or -1) instead of a fit.
    """
    shape = (x.shape[1], y.shape[1])
    svm_w, nb_w = np.zeros(shape, dtype=np.float32), np.zeros(shape, dtype=np.float32)
    svm_b, nb_b = np.zeros(y.shape[1], dtype=np.float32), np.zeros(y.shape[1], dtype=np.float32)
    present = x.copy()
    present.data[:] = 1.0

    def fit_one(j: int) -> None:
        column = y[:, j]
        if column.min() == column.max():
            svm_b[j] = nb_b[j] = 1.0 if column[0] else -1.0
            return
        svm = LinearSVC(C=C, tol=SVM_TOLERANCE).fit(x, column)
        ratios = nb_ratios(present, column)
        nb_svm = LinearSVC(C=NB_SVM_C, tol=SVM_TOLERANCE).fit(x @ sp.diags(ratios), column)
        svm_w[:, j], svm_b[j] = svm.coef_.ravel(), svm.intercept_[0]
        nb_w[:, j], nb_b[j] = nb_svm.coef_.ravel() * ratios, nb_svm.intercept_[0]

    # liblinear releases the GIL, so threads use both cores without copying the matrix to processes.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(fit_one, range(y.shape[1])))
    return svm_w, svm_b, nb_w, nb_b


def _fit_linear(x: sp.csr_matrix, y: np.ndarray, *, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Per label column, the average of a linear SVM and an NB-SVM, stacked into one weight matrix.

    Both are linear in the same features, so their average is one weight vector and inference costs
    what one model costs. Measured with out-of-fold thresholds, issues micro-F1 (sessions 1-10
    predicting 13-16; 1-13 predicting 14-16): SVM 0.889 (0.902), NB-SVM 0.891 (0.903), average 0.893
    (0.905).
    """
    svm_w, svm_b, nb_w, nb_b = _fit_pair(x, y, C=C)
    return (svm_w + nb_w) / 2, (svm_b + nb_b) / 2


def _top_margin(scores: np.ndarray) -> np.ndarray:
    """How far the best class's score leads the second's."""
    ranked = np.sort(scores, axis=1)
    return ranked[:, -1] - ranked[:, -2]


def confidence_features(average: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """What tells a right action category from a wrong one, per record: the lead of the winning class
    in the averaged scores, in the SVM's (average + spread) and in the NB-SVM's (average - spread),
    whether the two models agree on the winner, and which class won (some classes are surer)."""
    svm, nb = average + spread, average - spread
    winner = average.argmax(axis=1)
    return np.column_stack(
        [
            _top_margin(average),
            _top_margin(svm),
            _top_margin(nb),
            svm.argmax(axis=1) == nb.argmax(axis=1),
            np.eye(average.shape[1])[winner],
        ]
    )


@dataclass
class HeldOut:
    """Out-of-fold confidences of the training records and whether the suggestion was right, kept with
    a model so that ``evaluate`` can choose thresholds that combine tasks on held-out records too."""

    confidence: np.ndarray
    correct: np.ndarray


NEVER = AcceptThreshold(ACCEPT_PRECISION, float("inf"), 0.0, 0.0)


@dataclass
class MultiLabelModel:
    """One-vs-rest linear SVMs (plain and NB-SVM, averaged) over TF-IDF with per-label thresholds and
    Platt-calibrated confidence."""

    labels: list[str]
    featurizer: FeatureUnion
    weights: np.ndarray
    intercepts: np.ndarray
    thresholds: np.ndarray
    shared_threshold: float
    platt: tuple[float, float]
    holdout: dict[str, Any] = field(default_factory=dict)
    # Indices of the labels that stand alone (``exclusive_labels``); () in model files saved before.
    exclusive: tuple[int, ...] = ()
    # From which confidence one suggested label may be accepted without review; NEVER in older files.
    accept: AcceptThreshold = NEVER
    # Out-of-fold: how sure the model was of each training record's whole label set, and whether the
    # set was exactly right (``set_confidences``).
    held_out: HeldOut | None = field(default=None, repr=False)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        label_sets: Sequence[Sequence[str]],
        *,
        groups: Sequence[int | None],
        C: float = 0.5,
        target_precision: float = ACCEPT_PRECISION,
    ) -> MultiLabelModel:
        _check_min_df(texts)
        binarizer = MultiLabelBinarizer()
        y = binarizer.fit_transform(label_sets)
        labels = [str(label) for label in binarizer.classes_]
        if len(labels) < 2:
            raise NotEnoughData(
                f"the records carry {len(labels)} label(s) ({', '.join(labels) or 'none'}); "
                "a model needs at least two labels to choose between"
            )
        # The vocabulary and IDF come from all training texts (no labels involved), so the texts are
        # vectorised once; only the SVMs are fitted once per fold and once more on everything.
        featurizer = make_issue_featurizer(len(texts))
        x_all = featurizer.fit_transform(texts).tocsr()
        fold_of = scoring_folds(groups)
        scores = np.zeros(y.shape)
        for fold in np.unique(fold_of):
            scored = fold_of == fold
            weights, intercepts = _fit_linear(x_all[~scored], y[~scored], C=C)
            scores[scored] = np.asarray(x_all[scored] @ weights) + intercepts
        thresholds, shared = tune_thresholds(scores, y)
        margins = scores - thresholds
        platt = _fit_platt(margins.ravel(), y.ravel())
        exclusive = tuple(int(j) for j in exclusive_labels(y))
        predicted = select_labels(margins, exclusive)
        tp = float((predicted & (y == 1)).sum())
        confidence = _sigmoid(platt[0] * margins + platt[1])
        accept = precision_threshold(confidence[predicted], y[predicted] == 1, target=target_precision)
        held_out = HeldOut(set_confidences(confidence, predicted), (predicted == (y == 1)).all(axis=1))
        holdout = {
            "records": len(texts),
            "folds": len(np.unique(fold_of)),
            "micro_f1": round(2 * tp / max(1.0, float(predicted.sum() + y.sum())), 4),
            "accept": accept.as_dict(),
        }
        weights, intercepts = _fit_linear(x_all, y, C=C)
        return cls(
            labels,
            featurizer,
            weights,
            intercepts,
            thresholds,
            shared,
            platt,
            holdout,
            exclusive,
            accept,
            held_out,
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A model file saved before the bulk-acceptance threshold loads, and never accepts in bulk."""
        state.setdefault("exclusive", ())
        state.setdefault("accept", NEVER)
        state.setdefault("held_out", None)
        self.__dict__.update(state)

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.asarray(self.featurizer.transform(texts) @ self.weights) + self.intercepts
        return scores - self.thresholds

    def confidences(self, texts: Sequence[str]) -> np.ndarray:
        a, b = self.platt
        return _sigmoid(a * self.margins(texts) + b)

    def decide(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per text and label: whether it is suggested (``select_labels``), and its confidence."""
        margins = self.margins(texts)
        return select_labels(margins, self.exclusive), _sigmoid(self.platt[0] * margins + self.platt[1])

    def predict(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, the labels ``select_labels`` gives it, with their confidence."""
        chosen, confidence = self.decide(texts)
        return [
            [(self.labels[j], float(confidence[i, j])) for j in np.flatnonzero(chosen[i])]
            for i in range(len(texts))
        ]


def set_confidences(confidence: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """How sure a multi-label model is of each record's whole label set: the product, over the labels,
    of the confidence of each decision (a suggested label's confidence, one minus a left-out one's)."""
    return np.where(chosen, confidence, 1.0 - confidence).prod(axis=1)


@dataclass
class SingleLabelModel:
    """One-vs-rest linear SVMs averaged with NB-SVMs (the action category), stacked as one weight
    matrix, with a calibrated confidence for the winning class and a threshold for bulk acceptance.

    The class with the highest averaged score is the prediction. Its confidence is a logistic
    regression, fitted on every training record's out-of-fold scores (three folds of whole sessions),
    over ``confidence_features``: the winner's lead and whether the SVM and the NB-SVM agree. Measured
    on the out-of-fold scores of sessions 1-16 and then on sessions 17-20 (CSV rows), coverage at a
    threshold chosen for 0.98 precision: softmax of the scores 0.589 / 0.693 (precision on 17-20
    0.969), the lead alone 0.597 / 0.691 (0.970), this calibrator 0.631 / 0.714 (0.968).
    ``probabilities`` keeps a per-class distribution (temperature scaling, one factor, fitted on the
    same scores), which cannot change which class wins.

    Measured on the inner splits (accuracy, sessions 1-10 predicting 13-16; 1-13 predicting 14-16):
    multi-class SVM 0.894 (0.902), Crammer-Singer 0.895 (0.900), logistic regression 0.893 (0.899),
    SVM + logistic regression 0.894 (0.900), SVM + NB-SVM averaged per class 0.897 (0.904).
    """

    labels: list[str]
    featurizer: FeatureUnion
    weights: np.ndarray
    intercepts: np.ndarray
    scale: float
    holdout: dict[str, Any] = field(default_factory=dict)
    # Half the difference between the SVM's and the NB-SVM's weights: what tells whether they agree.
    spread_weights: np.ndarray | None = None
    spread_intercepts: np.ndarray | None = None
    calibrator: LogisticRegression | None = None
    accept: AcceptThreshold = NEVER
    held_out: HeldOut | None = field(default=None, repr=False)

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        targets: Sequence[str],
        *,
        groups: Sequence[int | None],
        C: float = 0.5,
        target_precision: float = ACCEPT_PRECISION,
    ) -> SingleLabelModel:
        _check_min_df(texts)
        labels = sorted(set(targets))
        if len(labels) < 2:
            raise NotEnoughData(
                f"every labelled record has the same label ({', '.join(labels) or 'none'}); "
                "a model needs at least two labels to choose between"
            )
        y = np.asarray(targets)
        one_hot = (y[:, None] == np.asarray(labels)[None, :]).astype(np.int8)
        featurizer = make_action_featurizer(len(texts))
        x_all = featurizer.fit_transform(texts).tocsr()
        fold_of = scoring_folds(groups)
        average, spread = np.zeros(one_hot.shape), np.zeros(one_hot.shape)
        for fold in np.unique(fold_of):
            scored = fold_of == fold
            svm_w, svm_b, nb_w, nb_b = _fit_pair(x_all[~scored], one_hot[~scored], C=C)
            svm, nb = np.asarray(x_all[scored] @ svm_w) + svm_b, np.asarray(x_all[scored] @ nb_w) + nb_b
            average[scored], spread[scored] = (svm + nb) / 2, (svm - nb) / 2
        winner = average.argmax(axis=1)
        correct = winner == one_hot.argmax(axis=1)
        scale = fit_temperature(average, one_hot.argmax(axis=1))
        calibrator = None
        confidence = _softmax(scale * average).max(axis=1)
        if correct.min() != correct.max():
            features = confidence_features(average, spread)
            calibrator = LogisticRegression(C=1.0, max_iter=2000).fit(features, correct)
            confidence = calibrator.predict_proba(features)[:, 1]
        accept = precision_threshold(confidence, correct, target=target_precision)
        holdout: dict[str, Any] = {
            "records": len(texts),
            "folds": len(np.unique(fold_of)),
            "accuracy": round(float(correct.mean()), 4),
            "accept": accept.as_dict(),
        }
        svm_w, svm_b, nb_w, nb_b = _fit_pair(x_all, one_hot, C=C)
        return cls(
            labels,
            featurizer,
            (svm_w + nb_w) / 2,
            (svm_b + nb_b) / 2,
            scale,
            holdout,
            (svm_w - nb_w) / 2,
            (svm_b - nb_b) / 2,
            calibrator,
            accept,
            HeldOut(confidence, correct),
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Load a model file saved before this version, so that the active version keeps working until
        the next ``hrcoop classify train``: a multi-class ``LinearSVC`` (its confidences are then the
        plain softmax of its scores) or an average without its calibrator (temperature-scaled softmax).
        Neither accepts suggestions in bulk, as neither chose a threshold."""
        if "classifier" in state:
            classifier = state.pop("classifier")
            state.pop("calibrator", None)
            coef = np.asarray(classifier.coef_, dtype=np.float32)
            intercept = np.asarray(classifier.intercept_, dtype=np.float32)
            if len(coef) == 1:  # two classes: sklearn keeps one row, the score of the second
                coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
            state["weights"], state["intercepts"] = coef.T, intercept
            state["scale"] = 1.0
        for name in ("spread_weights", "spread_intercepts", "calibrator", "held_out"):
            state.setdefault(name, None)
        state.setdefault("accept", NEVER)
        self.__dict__.update(state)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Per text and class (columns in ``labels`` order), the averaged SVM and NB-SVM score."""
        return np.asarray(self.featurizer.transform(texts) @ self.weights) + self.intercepts

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        return _softmax(self.scale * self.scores(texts))

    def confidences(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Per text, the winning class's column and the calibrated confidence that it is right."""
        x = self.featurizer.transform(texts)
        average = np.asarray(x @ self.weights) + self.intercepts
        if self.calibrator is None or self.spread_weights is None:
            return average.argmax(axis=1), _softmax(self.scale * average).max(axis=1)
        spread = np.asarray(x @ self.spread_weights) + self.spread_intercepts
        features = confidence_features(average, spread)
        return average.argmax(axis=1), self.calibrator.predict_proba(features)[:, 1]

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        winners, confidence = self.confidences(texts)
        return [(self.labels[k], float(c)) for k, c in zip(winners, confidence, strict=True)]


def _out_of_fold(
    fit: Any, x: sp.csr_matrix, y: np.ndarray, groups: Sequence[int | None]
) -> tuple[np.ndarray, Any]:
    """Each record's predicted probabilities from ``fit`` trained without its fold, and ``fit`` on all."""
    fold_of = scoring_folds(groups)
    probabilities: np.ndarray | None = None
    for fold in np.unique(fold_of):
        scored = fold_of == fold
        part = fit(x[~scored], y[~scored]).predict_proba(x[scored])
        if probabilities is None:
            probabilities = np.zeros((len(y), part.shape[1]))
        probabilities[scored] = part
    assert probabilities is not None
    return probabilities, fit(x, y)


@dataclass
class Baseline:
    """The issue's yardstick, trained and tested in the same run: TF-IDF word 1-2 grams + logistic
    regression (one per label for the multi-label tasks, one multinomial for the action category).

    Its probabilities are its confidences; its bulk-acceptance threshold is chosen as the models' are,
    on out-of-fold probabilities of the training records (the same session folds), by
    ``precision_threshold``.
    """

    labels: list[str]
    featurizer: TfidfVectorizer
    classifier: OneVsRestClassifier | LogisticRegression
    accept: AcceptThreshold
    held_out: HeldOut

    @classmethod
    def train_multilabel(
        cls,
        texts: Sequence[str],
        label_sets: Sequence[Sequence[str]],
        *,
        groups: Sequence[int | None],
        target_precision: float = ACCEPT_PRECISION,
    ) -> Baseline:
        binarizer = MultiLabelBinarizer()
        y = binarizer.fit_transform(label_sets)
        featurizer = make_baseline_featurizer()
        x = featurizer.fit_transform(texts).tocsr()

        def fit(x_fit: sp.csr_matrix, y_fit: np.ndarray) -> OneVsRestClassifier:
            return OneVsRestClassifier(LogisticRegression(solver="liblinear")).fit(x_fit, y_fit)

        probabilities, classifier = _out_of_fold(fit, x, y, groups)
        chosen = probabilities > 0.5
        accept = precision_threshold(probabilities[chosen], y[chosen] == 1, target=target_precision)
        held_out = HeldOut(set_confidences(probabilities, chosen), (chosen == (y == 1)).all(axis=1))
        return cls([str(c) for c in binarizer.classes_], featurizer, classifier, accept, held_out)

    @classmethod
    def train_single(
        cls,
        texts: Sequence[str],
        targets: Sequence[str],
        *,
        groups: Sequence[int | None],
        target_precision: float = ACCEPT_PRECISION,
    ) -> Baseline:
        featurizer = make_baseline_featurizer()
        x = featurizer.fit_transform(texts).tocsr()
        labels = sorted(set(targets))
        y = np.array([labels.index(t) for t in targets])

        def fit(x_fit: sp.csr_matrix, y_fit: np.ndarray) -> LogisticRegression:
            return LogisticRegression(C=10.0, max_iter=1000).fit(x_fit, y_fit)

        probabilities, classifier = _out_of_fold(fit, x, y, groups)
        confidence = probabilities.max(axis=1)
        correct = probabilities.argmax(axis=1) == y
        accept = precision_threshold(confidence, correct, target=target_precision)
        return cls(labels, featurizer, classifier, accept, HeldOut(confidence, correct))

    def decide(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Multi-label: per text and label, whether it is suggested (probability above 0.5), and it."""
        probabilities = self.classifier.predict_proba(self.featurizer.transform(texts))
        return probabilities > 0.5, probabilities

    def confidences(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Single label: per text, the winning class's column and its probability."""
        probabilities = self.classifier.predict_proba(self.featurizer.transform(texts))
        return probabilities.argmax(axis=1), probabilities.max(axis=1)

    def predict_sets(self, texts: Sequence[str]) -> list[list[str]]:
        chosen, _ = self.decide(texts)
        return [[self.labels[j] for j in np.flatnonzero(row)] for row in chosen]

    def predict_single(self, texts: Sequence[str]) -> list[str]:
        winners, _ = self.confidences(texts)
        return [self.labels[k] for k in winners]
