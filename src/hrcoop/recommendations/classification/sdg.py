"""SDG goals and targets: similarity to the SDG texts in six languages, blended with scarce labels.

Few records carry SDG labels (the OHCHR thematic lists, a few hundred), far too few to train a
classifier per target. The SDG texts themselves are the prior: each recommendation is embedded with
the multilingual universal sentence encoder (it carries its weights; nothing is downloaded) and
compared with every title of a goal and of its targets in all six languages. Where labelled
records exist, a label's score is pulled towards the records it was given to, the more the more
records it has. Evaluation is by cross-validation over the labelled records, text-only and blended.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold

from hrcoop.core.batches import batched
from hrcoop.recommendations.classification.data import labelled_records
from hrcoop.recommendations.classification.learn import (
    NEVER,
    AcceptThreshold,
    NotEnoughData,
    precision_threshold,
)
from hrcoop.recommendations.models import LabelKind, Recommendation
from hrcoop.recommendations.search.embeddings import DIMENSIONS, encode
from hrcoop.reference.models import SdgGoal, SdgTarget

EMBED_BATCH = 256
LABEL_PULL = 10  # a label with n labelled records weighs them n / (n + LABEL_PULL)
THRESHOLDS = np.round(np.arange(0.20, 0.71, 0.02), 2)
FOLDS = 5
CALIBRATE_FROM = 50  # labelled records from which out-of-fold calibration is worth its folds
# SDG suggestions are far less precise than the session tasks' (cross-validated precision about 0.75
# overall): 0.9 still spares a reviewer the surest part without promising what the model cannot keep.
SDG_PRECISION = 0.9


def embed(texts: Sequence[str]) -> np.ndarray:
    """The search's own sentence vectors (one encoder per process), a batch at a time."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.vstack([encode(list(texts[i : i + EMBED_BATCH])) for i in range(0, len(texts), EMBED_BATCH)])


def sdg_texts(kind: str) -> dict[str, list[str]]:
    """Label code -> its titles in every loaded language (a goal also takes its targets' titles)."""
    texts: dict[str, list[str]] = {}
    if kind == LabelKind.SDG_GOAL:
        for goal in SdgGoal.objects.prefetch_related("targets"):
            titles = [*goal.titles.values(), *goal.short_titles.values()]
            titles += [t for target in goal.targets.all() for t in target.titles.values()]
            texts[str(goal.number)] = [t for t in titles if t]
    else:
        for target in SdgTarget.objects.all():
            texts[target.code] = [t for t in target.titles.values() if t]
    return {code: titles for code, titles in texts.items() if titles}


def embedded_sdg_texts(kind: str) -> tuple[dict[str, list[str]], np.ndarray]:
    texts = sdg_texts(kind)
    return texts, _embed_once(tuple(t for titles in texts.values() for t in titles))


@lru_cache(maxsize=4)
def _embed_once(texts: tuple[str, ...]) -> np.ndarray:
    """The SDG titles change only when reloaded, so their embeddings are kept for the process."""
    return embed(texts)


def _goal_of(code: str) -> str:
    match = re.match(r"\d+", code)
    return match.group(0) if match else code


@dataclass
class SdgModel:
    labels: list[str]
    text_vectors: np.ndarray  # (texts, 512)
    text_owner: np.ndarray  # label index of each text vector
    centroids: np.ndarray  # (labels, 512), zero where a label has no records
    pull: np.ndarray  # (labels,) weight of the centroid
    threshold: float
    holdout: dict[str, Any] = field(default_factory=dict)
    # Confidence = sigmoid(a * score + b), fitted on out-of-fold scores of the labelled records; the
    # clipped similarity itself in files saved before, and while fewer than ``CALIBRATE_FROM`` exist.
    platt: tuple[float, float] | None = None
    accept: AcceptThreshold = NEVER

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("platt", None)
        state.setdefault("accept", NEVER)
        self.__dict__.update(state)

    @classmethod
    def build(
        cls,
        kind: str,
        vectors: np.ndarray,
        label_sets: Sequence[Sequence[str]],
        *,
        use_labels: bool = True,
        prototypes: tuple[dict[str, list[str]], np.ndarray] | None = None,
        calibrate: bool = True,
    ) -> SdgModel:
        """``prototypes`` (the SDG texts and their embeddings) may be passed in when building many models;
        ``calibrate`` False skips the out-of-fold calibration (for the models built to measure)."""
        texts, text_vectors = prototypes or embedded_sdg_texts(kind)
        codes = sorted(set(texts) | {c for ls in label_sets for c in ls}, key=_sort_key)
        if not texts and not label_sets:
            raise NotEnoughData(
                "no SDG texts are loaded (run `hrcoop reference load-sdg DIR`) "
                "and no record carries an SDG label"
            )
        index = {code: i for i, code in enumerate(codes)}
        owner = np.array([index[c] for c, titles in texts.items() for _ in titles], dtype=int)
        centroids = np.zeros((len(codes), 512), dtype=np.float32)
        counts = np.zeros(len(codes))
        if use_labels:
            for vector, label_set in zip(vectors, label_sets, strict=True):
                for code in label_set:
                    centroids[index[code]] += vector
                    counts[index[code]] += 1
            norms = np.linalg.norm(centroids, axis=1, keepdims=True)
            centroids = np.divide(centroids, norms, out=centroids, where=norms > 0)
        pull = counts / (counts + LABEL_PULL)
        pull[[code not in texts for code in codes]] = 1.0  # a label without texts relies on its records
        model = cls(codes, text_vectors, owner, centroids, pull, 0.4)
        if len(label_sets):
            model.threshold = model._tune(vectors, label_sets)
        if calibrate and use_labels and len(label_sets) >= CALIBRATE_FROM:
            model._calibrate(kind, vectors, label_sets, (texts, text_vectors))
        return model

    def _calibrate(
        self,
        kind: str,
        vectors: np.ndarray,
        label_sets: Sequence[Sequence[str]],
        prototypes: tuple[dict[str, list[str]], np.ndarray],
    ) -> None:
        """Platt scaling and the bulk-acceptance threshold (``SDG_PRECISION``) from out-of-fold
        suggestions: each labelled record scored by a model built without it."""
        scores, right = [], []
        for fit, held in KFold(FOLDS, shuffle=True, random_state=0).split(vectors):
            part = SdgModel.build(
                kind, vectors[fit], [label_sets[i] for i in fit], prototypes=prototypes, calibrate=False
            )
            part_scores = part.scores(vectors[held])
            chosen = part._decide(part_scores, part.threshold)
            truth = _binarize(part.labels, [[c for c in label_sets[i] if c in part.labels] for i in held])
            scores.append(part_scores[chosen])
            right.append(truth[chosen])
        flat, correct = np.concatenate(scores), np.concatenate(right)
        if correct.min() == correct.max():
            return
        regression = LogisticRegression(C=100.0).fit(flat.reshape(-1, 1), correct)
        self.platt = (float(regression.coef_[0, 0]), float(regression.intercept_[0]))
        self.accept = precision_threshold(self._confidence(flat), correct, target=SDG_PRECISION)
        self.holdout = {"records": len(label_sets), "folds": FOLDS, "accept": self.accept.as_dict()}

    def _confidence(self, scores: np.ndarray) -> np.ndarray:
        if self.platt is None:
            return np.clip(scores, 0, 1)
        return 1.0 / (1.0 + np.exp(-(self.platt[0] * scores + self.platt[1])))

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        text_scores = np.full((len(vectors), len(self.labels)), -1.0, dtype=np.float32)
        if len(self.text_vectors):
            similarity = vectors @ self.text_vectors.T
            for j in range(len(self.labels)):
                mine = self.text_owner == j
                if mine.any():
                    text_scores[:, j] = similarity[:, mine].max(axis=1)
        return (1 - self.pull) * text_scores + self.pull * (vectors @ self.centroids.T)

    def _decide(self, scores: np.ndarray, threshold: float) -> np.ndarray:
        """Labels above the threshold, and always the best label (every listed record has one)."""
        chosen = scores >= threshold
        chosen[np.arange(len(scores)), scores.argmax(axis=1)] = True
        return chosen

    def _tune(self, vectors: np.ndarray, label_sets: Sequence[Sequence[str]]) -> float:
        truth = _binarize(self.labels, label_sets)
        scores = self.scores(vectors)
        best = max(THRESHOLDS, key=lambda t: _prf(truth, self._decide(scores, t))[2])
        return float(best)

    def predict_vectors(self, vectors: np.ndarray) -> list[list[tuple[str, float]]]:
        scores = self.scores(vectors)
        chosen = self._decide(scores, self.threshold)
        confidence = self._confidence(scores)
        return [
            [(self.labels[j], float(confidence[i, j])) for j in np.flatnonzero(chosen[i])]
            for i in range(len(vectors))
        ]

    def predict(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        return self.predict_vectors(embed(texts))


def _sort_key(code: str) -> tuple[int, str]:
    goal = _goal_of(code)
    return (int(goal) if goal.isdigit() else 999, code)


def _binarize(labels: list[str], label_sets: Sequence[Sequence[str]]) -> np.ndarray:
    index = {code: i for i, code in enumerate(labels)}
    truth = np.zeros((len(label_sets), len(labels)), dtype=bool)
    for i, label_set in enumerate(label_sets):
        for code in label_set:
            truth[i, index[code]] = True
    return truth


def _prf(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = float((truth & predicted).sum())
    precision = tp / max(1.0, float(predicted.sum()))
    recall = tp / max(1.0, float(truth.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _documents(ids: Sequence[int]) -> list[int | None]:
    """The import (one OHCHR list, one document) that first brought each record."""
    first: dict[int, int | None] = {}
    for batch in batched(ids):
        first.update(Recommendation.objects.filter(pk__in=batch).values_list("pk", "first_import_id"))
    return [first.get(pk) for pk in ids]


def _folds(ids: Sequence[int]) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    """Whole documents per fold, so that no goal is measured on a list whose other records it learned
    from; interleaved records only when the records come from a single document."""
    documents = _documents(ids)
    distinct = set(documents)
    if len(distinct) >= 2:
        groups = np.array([-1 if d is None else d for d in documents])
        splitter = GroupKFold(n_splits=min(FOLDS, len(distinct)))
        return list(
            splitter.split(np.zeros(len(ids)), groups=groups)
        ), f"{splitter.n_splits} folds of whole documents"
    return list(
        KFold(FOLDS, shuffle=True, random_state=0).split(np.zeros(len(ids)))
    ), f"{FOLDS} folds of records (one document)"


def evaluate_sdg(kind: str) -> dict[str, Any]:
    """Cross-validated precision and recall, overall and per goal, on the records that carry accepted
    ``kind`` labels; each fold holds whole documents (``_folds``)."""
    data = labelled_records(kind)
    if len(data) < FOLDS:
        return {
            "error": f"{len(data)} records carry an accepted {kind} label; evaluation needs at least {FOLDS}"
        }
    if not sdg_texts(kind):
        return {"error": "the SDG texts are not loaded: run `hrcoop reference load-sdg DIR` first"}
    vectors = embed(data.texts)
    prototypes = embedded_sdg_texts(kind)
    folds, how = _folds(data.ids)
    figures: dict[str, Any] = {"records": len(data), "folds": how}
    for name, use_labels in (("text_only", False), ("text_and_labels", True)):
        per_label: dict[str, np.ndarray] = {}
        for fit, test in folds:
            model = SdgModel.build(
                kind,
                vectors[fit],
                [data.labels[i] for i in fit],
                use_labels=use_labels,
                prototypes=prototypes,
                calibrate=False,
            )
            unseen = {c for i in test for c in data.labels[i]} - set(model.labels)
            labels = model.labels + sorted(unseen)
            truth = _binarize(labels, [data.labels[i] for i in test])
            chosen = model._decide(model.scores(vectors[test]), model.threshold)
            predicted = np.zeros_like(truth)
            predicted[:, : len(model.labels)] = chosen
            for j, code in enumerate(labels):
                counts = [(truth[:, j] & predicted[:, j]).sum(), (~truth[:, j] & predicted[:, j]).sum()]
                counts.append((truth[:, j] & ~predicted[:, j]).sum())
                per_label[code] = per_label.get(code, np.zeros(3)) + counts
        tp, fp, fn = sum(per_label.values(), np.zeros(3))
        figures[name] = {**_figures(tp, fp, fn), "per_goal": _per_goal(per_label)}
    figures.update({k: v for k, v in figures["text_and_labels"].items() if k != "per_goal"})
    figures["per_goal"] = figures["text_and_labels"]["per_goal"]
    return figures


def _figures(tp: float, fp: float, fn: float) -> dict[str, float]:
    precision, recall = tp / max(1.0, tp + fp), tp / max(1.0, tp + fn)
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(2 * precision * recall / max(1e-9, precision + recall)), 4),
    }


def _per_goal(per_label: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per goal that the records carry or the model suggested: precision, recall and support."""
    return {
        code: {**_figures(*counts), "support": int(counts[0] + counts[2])}
        for code, counts in sorted(per_label.items(), key=lambda item: _sort_key(item[0]))
        if counts.sum()
    }
