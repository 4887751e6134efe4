"""The approximate nearest-neighbour index over the stored sentence vectors, shared by every process.

Reading every vector into each worker (a float32 matrix: 142 MB at 41k records, 3.8 GB at a million)
and multiplying by all of them at each query does not scale. A background task writes an HNSW graph
(usearch, over the int8 vectors as stored) to one file; every process opens it memory-mapped, so its
pages belong to the operating system, are shared by all workers and are read only where a search walks.

The file knows which vectors it holds: the vectors' version (``core.versions``, raised by
``services.embed`` in each of its transactions, whose rows carry the version they were written at)
read before the build read the first row. Rows written since are few: ``embeddings.nearest`` scores
them exactly beside the index ("the delta"), and the writer queues a new build once there are
``REBUILD_AFTER`` of them. ``<dir>/current.json`` names the current file and is replaced atomically
once a new file is complete, so a reader opens a whole old index or a whole new one, never half of one.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from usearch.index import Index

from hrcoop.core.versions import current_version

logger = logging.getLogger(__name__)

VERSION_NAME = "search-vectors"
DIMENSIONS = 512
# Chosen by measurement (bench/similar.py, docs/search.md): 16 links per node and 128 candidates while
# building; a search follows at least SEARCH_EXPANSION candidates and re-scores CANDIDATES exactly.
CONNECTIVITY = 16
BUILD_EXPANSION = 128
SEARCH_EXPANSION = 64
CANDIDATES = 40
REBUILD_AFTER = 2_000  # rows newer than the index before a writer queues a rebuild
READ_BATCH = 10_000
POINTER = "current.json"


def directory() -> Path:
    return Path(settings.SEARCH_VECTOR_INDEX_DIR)


@dataclass(frozen=True)
class IndexFile:
    """What ``current.json`` says: the file, and the vectors' version and model it was built from."""

    path: Path
    generation: int
    model: str
    size: int


def _pointer() -> IndexFile | None:
    try:
        data = json.loads((directory() / POINTER).read_text())
        return IndexFile(
            path=directory() / data["file"],
            generation=int(data["generation"]),
            model=str(data["model"]),
            size=int(data["size"]),
        )
    except FileNotFoundError:
        return None


def vectors_version() -> int:
    """The vectors' version now (0 before any vector was written): one primary-key lookup."""
    version = current_version(VERSION_NAME)
    return version[0] if version else 0


class OpenIndex:
    """An index file opened memory-mapped: candidates by the graph, vectors read back from the file."""

    def __init__(self, file: IndexFile) -> None:
        self.file = file
        index = Index.restore(str(file.path), view=True)
        if index is None or index.ndim != DIMENSIONS:
            raise ValueError(f"{file.path} is not an index of {DIMENSIONS}-dimensional vectors")
        self.index: Index = index

    def __len__(self) -> int:
        return len(self.index)

    def candidates(self, vector: np.ndarray, count: int) -> np.ndarray:
        """Keys of about the ``count`` nearest stored vectors (int8 inner product), best first."""
        count = min(count, len(self.index))
        if count <= 0:
            return np.zeros(0, dtype=np.int64)
        # The property has a setter, declared after a getter that the type stubs read as read-only.
        self.index.expansion_search = max(SEARCH_EXPANSION, count)  # type: ignore[misc]
        matches = self.index.search(quantised(vector), count, threads=1)
        return np.asarray(matches.keys, dtype=np.int64)

    def vectors(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the keys the index holds, their vectors as float32 rows), for exact scoring."""
        keys = np.asarray(keys, dtype=np.uint64)
        if not len(keys):
            return np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32)
        keys = keys[np.asarray(self.index.contains(keys), dtype=bool)]
        if not len(keys):
            return np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32)
        rows = self.index.get(keys, dtype="i8")
        # One array per key (all present: checked above), or one matrix, depending on the version.
        if isinstance(rows, tuple):
            matrix = np.vstack([row for row in rows if row is not None])
        else:
            matrix = np.asarray(rows).reshape(-1, DIMENSIONS)
        return keys.astype(np.int64), matrix.astype(np.float32) / 127.0


def quantised(vector: np.ndarray) -> np.ndarray:
    """The int8 form of a unit vector, as the vectors are stored (``embeddings.quantise``)."""
    return np.clip(np.rint(np.asarray(vector, dtype=np.float32) * 127), -127, 127).astype(np.int8)


_opened: dict[str, tuple[tuple[int, int], OpenIndex | None]] = {}
_lock = threading.Lock()


def current() -> OpenIndex | None:
    """The current index of this process, reopened when a build replaced it; None when there is none.

    One ``stat`` of the pointer per use: the file is reopened only when the pointer changed.
    """
    pointer = directory() / POINTER
    try:
        stat = pointer.stat()
    except FileNotFoundError:
        return None
    key = (stat.st_ino, stat.st_mtime_ns)
    with _lock:
        cached = _opened.get(str(pointer))
        if cached is not None and cached[0] == key:
            return cached[1]
        file = _pointer()
        opened = OpenIndex(file) if file is not None else None
        _opened[str(pointer)] = (key, opened)
        return opened


def build_from(
    batches: Iterator[tuple[np.ndarray, np.ndarray]], *, generation: int, model: str, threads: int = 0
) -> IndexFile:
    """Write an index of these (keys, int8 rows) batches and make it the current one.

    The new file is complete on disk before ``current.json`` names it; the file it replaces is kept
    one more build (a process that read the old pointer may be opening it) and older ones are removed.
    File names carry the build's version and the time they were written: ``vectors-<version>-<ns>``.
    """
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    index = Index(
        ndim=DIMENSIONS,
        metric="ip",
        dtype="i8",
        connectivity=CONNECTIVITY,
        expansion_add=BUILD_EXPANSION,
        expansion_search=SEARCH_EXPANSION,
    )
    for keys, rows in batches:
        if len(keys):
            index.add(np.asarray(keys, dtype=np.uint64), np.asarray(rows, dtype=np.int8), threads=threads)
    name = f"vectors-{generation}-{time.time_ns()}.usearch"
    index.save(str(folder / name))
    previous = _pointer()
    _write_atomically(
        folder / POINTER,
        json.dumps({"file": name, "generation": generation, "model": model, "size": len(index)}),
    )
    if previous is not None:
        # Only files older than the one replaced: a build running beside this one may be about to
        # point at a newer file of its own.
        for old in folder.glob("vectors-*.usearch"):
            if _written_at(old) < _written_at(previous.path):
                old.unlink(missing_ok=True)
    return IndexFile(path=folder / name, generation=generation, model=model, size=len(index))


def _written_at(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[-1])


def _write_atomically(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def build() -> IndexFile:
    """Index every stored vector (the task's body), a batch of ``READ_BATCH`` rows at a time."""
    from hrcoop.recommendations.search.embeddings import MODEL_NAME
    from hrcoop.recommendations.search.models import Embedding

    started = time.perf_counter()
    generation = vectors_version()  # before the first row: rows written meanwhile count as newer

    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        last = 0
        while True:
            rows = list(
                Embedding.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "vector")[:READ_BATCH]
            )
            if not rows:
                return
            last = rows[-1][0]
            keys = np.fromiter((pk for pk, _ in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(bytes(blob) for _, blob in rows), dtype=np.int8)
            yield keys, matrix.reshape(len(rows), DIMENSIONS)

    file = build_from(batches(), generation=generation, model=MODEL_NAME)
    logger.info(
        "vector index built: %d vectors at version %d in %.1f s (%s)",
        file.size,
        generation,
        time.perf_counter() - started,
        file.path,
    )
    return file


def due() -> bool:
    """Whether a build should be queued: no index yet, or ``REBUILD_AFTER`` rows written since it."""
    from hrcoop.recommendations.search.models import Embedding

    file = _pointer()
    if file is None or not file.path.exists():
        return True
    return Embedding.objects.filter(generation__gt=file.generation)[:REBUILD_AFTER].count() >= REBUILD_AFTER
