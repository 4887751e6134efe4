"""Similar records: the memory-mapped vector index beside the exact product it replaces, in one run.

Takes the stored vectors of a database (``DATABASE_URL``; vectors from ``hrcoop search reindex``) and,
with ``--synthetic N``, also N vectors made from them (each a stored vector plus a small random
perturbation, re-quantised to int8), and prints for each set:

* recall@10 of ``embeddings.nearest`` (the index, as the record page and semantic search use it)
  against the exact product over every vector, on stored vectors as queries (the record itself left
  out, as ``similar_to`` does);
* p50 / p95 time of one query by the index beside the exact product (the floor: a float32 matrix
  already in memory, one product and a partial sort, as every worker did before);
* the build's time (wall and CPU) and the index file's size;
* memory added to a fresh process by opening the index memory-mapped and answering the queries
  (RSS, and the private part of it: what each worker pays, since the file's pages are shared) beside
  reading the float32 matrix.

    DATABASE_URL=sqlite:////tmp/ann/bench.sqlite3 .venv/bin/python bench/similar.py --synthetic 1000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

QUERIES = 200
K = 10


def memory() -> tuple[float, float]:
    """(resident, private resident) MB of this process."""
    fields: dict[str, int] = {}
    with open("/proc/self/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                fields[parts[0].rstrip(":")] = int(parts[1])
    return fields["Rss"] / 1024, (fields["Private_Clean"] + fields["Private_Dirty"]) / 1024


def probe(kind: str, path: str, queries: str) -> None:
    """Child process: open one way, answer the queries, print the memory it added."""
    from usearch.index import Index  # the library's own code is not the vectors' memory

    asked = np.load(queries)
    before = memory()
    if kind == "index":
        index = Index.restore(path, view=True)
        assert index is not None, f"{path} is not an index"
        for q in asked:
            index.search(q, 40, threads=1)
    else:
        matrix = np.load(path).astype(np.float32) / 127
        for q in asked:
            np.argpartition(-(matrix @ (q.astype(np.float32) / 127)), K)
    after = memory()
    print(f"{after[0] - before[0]:.0f} {after[1] - before[1]:.0f}")


def added_memory(kind: str, path: Path, queries: Path) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--probe", kind, str(path), str(queries)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1])


def stored_vectors() -> tuple[np.ndarray, np.ndarray]:
    from hrcoop.recommendations.search.models import Embedding

    ids: list[int] = []
    blobs: list[bytes] = []
    last = 0
    while True:
        rows = list(Embedding.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "vector")[:20_000])
        if not rows:
            break
        last = rows[-1][0]
        ids += [pk for pk, _ in rows]
        blobs += [bytes(blob) for _, blob in rows]
    matrix = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(ids), 512)
    return np.array(ids, dtype=np.int64), matrix


def synthetic(ids: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n vectors: the stored ones, then each again with noise (sd 0.02 a dimension), re-quantised."""
    from hrcoop.recommendations.search.vector_index import quantised

    rng = np.random.default_rng(25)
    out = np.empty((n, 512), dtype=np.int8)
    out[: len(rows)] = rows
    for start in range(len(rows), n, 50_000):
        stop = min(n, start + 50_000)
        base = rows[rng.integers(0, len(rows), stop - start)].astype(np.float32) / 127
        base += rng.normal(0, 0.02, base.shape).astype(np.float32)
        base /= np.linalg.norm(base, axis=1, keepdims=True)
        out[start:stop] = quantised(base)
    return np.arange(1, n + 1, dtype=np.int64) if n > len(ids) else ids[:n], out


def percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    return f"p50 {np.percentile(ms, 50):6.2f} ms  p95 {np.percentile(ms, 95):6.2f} ms"


def measure(label: str, ids: np.ndarray, rows: np.ndarray, folder: Path) -> None:
    from django.conf import settings

    from hrcoop.recommendations.search import embeddings, vector_index

    settings.SEARCH_VECTOR_INDEX_DIR = folder / label
    print(f"\n== {label}: {len(ids):,} vectors", flush=True)
    wall, cpu = time.perf_counter(), time.process_time()
    batches = ((ids[s : s + 50_000], rows[s : s + 50_000]) for s in range(0, len(ids), 50_000))
    file = vector_index.build_from(
        batches, generation=vector_index.vectors_version(), model=embeddings.MODEL_NAME
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"build: {wall:.1f} s wall, {cpu:.1f} s CPU; file {file.path.stat().st_size / 1e6:.0f} MB", flush=True
    )

    matrix = rows.astype(np.float32) / 127  # the floor: what each worker held before
    picked = np.random.default_rng(10).choice(len(ids), QUERIES, replace=False)
    index_times, exact_times, recalls = [], [], []
    for i in picked:
        query = matrix[i]
        started = time.perf_counter()
        scores = matrix @ query
        top = np.argpartition(-scores, K + 1)[: K + 1]
        exact = {int(ids[j]) for j in top[np.argsort(-scores[top])] if ids[j] != ids[i]}
        exact_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        found = embeddings.nearest(query, limit=K, exclude={int(ids[i])})
        index_times.append(time.perf_counter() - started)
        kth = np.sort(scores)[-(K + 1)]  # ties at the tenth place count either way
        recalls.append(sum(1 for pk, s in found if pk in exact or s >= kth - 1e-6) / K)
    print(f"recall@{K}: {np.mean(recalls):.3f} (target >= 0.95)")
    print(f"query, index:         {percentiles(index_times)}")
    print(f"query, exact (floor): {percentiles(exact_times)}")

    query_file = folder / f"{label}-queries.npy"
    np.save(query_file, rows[picked])
    matrix_file = folder / f"{label}-matrix.npy"
    np.save(matrix_file, rows)
    del matrix
    index_rss, index_private = added_memory("index", file.path, query_file)
    matrix_rss, matrix_private = added_memory("matrix", matrix_file, query_file)
    matrix_file.unlink()
    print(f"memory added per process, index (mmap): RSS {index_rss:.0f} MB, private {index_private:.0f} MB")
    print(
        f"memory added per process, float32 matrix: RSS {matrix_rss:.0f} MB, private {matrix_private:.0f} MB"
    )
    print("target: <= 300 MB per worker at 1M", flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        probe(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--synthetic", type=int, default=0, help="also a synthetic set of this many vectors")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
    import django

    django.setup()
    ids, rows = stored_vectors()
    if not len(ids):
        sys.exit("no stored vectors: import records and run `hrcoop search reindex` first")
    with tempfile.TemporaryDirectory(prefix="bench-similar-") as folder:
        measure("stored", ids, rows, Path(folder))
        if args.synthetic:
            measure(f"synthetic-{args.synthetic}", *synthetic(ids, rows, args.synthetic), Path(folder))


if __name__ == "__main__":
    main()
