"""Suggested clusters of a State's recommendations: meaning similarity plus issue, theme and SDG overlap.

Each recommendation becomes one vector: its sentence vector (the one search stores, unit length; computed
here for a record the worker has not reached yet) beside a unit vector of its accepted issues, UHRI
themes and SDG goals, with equal weight. Agglomerative clustering with average linkage on cosine
distance then groups them. Two records land together when they say similar things *and* carry
similar labels; either alone did worse on OHCHR's own thematic lists (docs/tracking.md has the figures).

How many clusters: ``round(2 * sqrt(n))``, so 25, 29 and 32 for Slovenia's lists of 162, 215 and 254
recommendations. A plan that a focal point coordinates needs a few dozen clusters, not one per
recommendation nor one per broad theme; OHCHR's own lists of that size have 32 to 43 headings, many of
them holding a single recommendation. The count grows slowly with the number of records, as the number of
topics a review covers does. The focal point then accepts, merges or splits them.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from hrcoop.recommendations.models import Classification, LabelKind, Recommendation
from hrcoop.recommendations.search.embeddings import dequantise, encode
from hrcoop.recommendations.search.models import Embedding

# The labels whose overlap counts: what a recommendation is about, and which goals it serves.
OVERLAP_KINDS = (LabelKind.ISSUE, LabelKind.THEME, LabelKind.SDG_GOAL)
# What names a cluster: the label most of its recommendations share.
NAMING_KINDS = (LabelKind.ISSUE, LabelKind.THEME)


@dataclass(frozen=True)
class Suggestion:
    """A suggested cluster: a title taken from its commonest issue or theme, and its recommendations."""

    title: str
    recommendations: tuple[Recommendation, ...]


def cluster_count(n: int) -> int:
    return max(1, min(n, round(2 * math.sqrt(n))))


def sentence_vectors(recommendations: Sequence[Recommendation]) -> np.ndarray:
    """Unit sentence vectors, in order: stored by search, or encoded now for records it has not reached."""
    stored = {
        pk: dequantise(bytes(blob))
        for pk, blob in Embedding.objects.filter(recommendation__in=recommendations).values_list(
            "recommendation_id", "vector"
        )
    }
    missing = [r for r in recommendations if r.pk not in stored]
    if missing:
        stored.update(zip([r.pk for r in missing], encode([r.text for r in missing]), strict=True))
    vectors = np.stack([stored[r.pk] for r in recommendations]).astype(np.float32)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def accepted_labels(recommendations: Sequence[Recommendation]) -> dict[int, list[tuple[str, str, str]]]:
    """recommendation id -> its accepted (kind, code, name) of the overlap kinds, in code order."""
    labels: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    rows = (
        Classification.objects.filter(
            recommendation__in=recommendations, status=Classification.Status.ACCEPTED, kind__in=OVERLAP_KINDS
        )
        .order_by("label__kind", "label__code")
        .values_list("recommendation_id", "kind", "label__code", "label__name")
    )
    for pk, kind, code, name in rows:
        labels[pk].append((kind, code, name))
    return labels


def label_vectors(
    recommendations: Sequence[Recommendation], labels: dict[int, list[tuple[str, str, str]]]
) -> np.ndarray:
    vocabulary = sorted({(kind, code) for r in recommendations for kind, code, _ in labels[r.pk]})
    column = {key: i for i, key in enumerate(vocabulary)}
    matrix = np.zeros((len(recommendations), max(1, len(vocabulary))), dtype=np.float32)
    for row, r in enumerate(recommendations):
        for kind, code, _ in labels[r.pk]:
            matrix[row, column[(kind, code)]] = 1.0
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def assign(recommendations: Sequence[Recommendation], *, n_clusters: int | None = None) -> list[int]:
    """The cluster number of each recommendation, in order."""
    n = len(recommendations)
    if n < 2:
        return [0] * n
    labels = accepted_labels(recommendations)
    features = np.hstack([sentence_vectors(recommendations), label_vectors(recommendations, labels)])
    k = min(n, n_clusters or cluster_count(n))
    if k == n:
        return list(range(n))
    model = AgglomerativeClustering(n_clusters=k, metric="cosine", linkage="average")
    return [int(c) for c in model.fit_predict(features)]


def suggest(recommendations: Sequence[Recommendation], *, n_clusters: int | None = None) -> list[Suggestion]:
    """Suggested clusters, largest first, each named after the issue or theme most of its members carry."""
    recommendations = list(recommendations)
    groups: dict[int, list[Recommendation]] = defaultdict(list)
    for recommendation, number in zip(
        recommendations, assign(recommendations, n_clusters=n_clusters), strict=True
    ):
        groups[number].append(recommendation)
    labels = accepted_labels(recommendations)
    suggestions = [Suggestion(_title(members, labels), tuple(members)) for members in groups.values()]
    return sorted(suggestions, key=lambda s: (-len(s.recommendations), s.title))


def _title(members: list[Recommendation], labels: dict[int, list[tuple[str, str, str]]]) -> str:
    names = Counter(name for r in members for kind, _, name in labels[r.pk] if kind in NAMING_KINDS)
    if names:
        return names.most_common(1)[0][0]
    words = members[0].text.split()
    return " ".join(words[:8]) + ("..." if len(words) > 8 else "")
