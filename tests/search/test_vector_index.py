"""The vector index: the same neighbours as the exact product, shared through a file, never an error.

The encoder is replaced by a deterministic one (a text's hash seeds its vector) so that these tests
need no model and know every stored vector; bench/similar.py measures the real vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search import embeddings, vector_index
from hrcoop.recommendations.search.models import Embedding
from hrcoop.recommendations.search.services import embed
from hrcoop.recommendations.search.tasks import build_vector_index

DIM = vector_index.DIMENSIONS


def fake_vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def fake_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "encode", lambda texts: np.vstack([fake_vector(t) for t in texts]))


def clustered(n: int, *, seed: int = 7) -> np.ndarray:
    """Unit vectors around 40 centres, int8 as stored: neighbours that mean something, as texts have."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, DIM))
    vectors = centres[rng.integers(0, 40, n)] + 0.6 * rng.standard_normal((n, DIM))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.vstack([vector_index.quantised(v) for v in vectors])


def exact(
    ids: np.ndarray, rows: np.ndarray, query: np.ndarray, limit: int, allowed: set[int] | None = None
) -> list[int]:
    scores = (rows.astype(np.float32) / 127) @ query
    order = [int(ids[i]) for i in np.lexsort((ids, -scores))]
    return [pk for pk in order if allowed is None or pk in allowed][:limit]


def stored() -> tuple[np.ndarray, np.ndarray]:
    rows = list(Embedding.objects.order_by("pk").values_list("pk", "vector"))
    ids = np.array([pk for pk, _ in rows], dtype=np.int64)
    return ids, np.vstack([np.frombuffer(bytes(blob), dtype=np.int8) for _, blob in rows])


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and "vector index" in r.getMessage()
    ]


@pytest.mark.django_db
def test_the_index_answers_the_exact_top_ten_on_a_small_set(caplog: pytest.LogCaptureFixture) -> None:
    rows = clustered(3000)
    ids = np.arange(1, 3001, dtype=np.int64) * 3  # keys are record ids, not row numbers
    vector_index.build_from(iter([(ids, rows)]), generation=0, model=embeddings.MODEL_NAME)
    queries = np.random.default_rng(1).choice(len(ids), 40, replace=False)
    found = [nearest_ids(rows[i].astype(np.float32) / 127, limit=10) for i in queries]
    wanted = [exact(ids, rows, rows[i].astype(np.float32) / 127, 10) for i in queries]
    recall = np.mean([len(set(f) & set(w)) / 10 for f, w in zip(found, wanted, strict=True)])
    assert recall >= 0.98
    assert sum(f == w for f, w in zip(found, wanted, strict=True)) >= 36  # mostly in the very same order
    assert not warnings_of(caplog)

    # Narrowed by facets: a few allowed records (scored exactly) and most of them (over-fetched).
    rng = np.random.default_rng(2)
    for share in (0.01, 0.6):
        allowed = {int(pk) for pk in rng.choice(ids, int(share * len(ids)), replace=False)}
        query = rows[queries[0]].astype(np.float32) / 127
        hits = [pk for pk, _ in embeddings.nearest(query, limit=10, allowed=allowed)]
        assert set(hits) <= allowed
        assert len(set(hits) & set(exact(ids, rows, query, 10, allowed))) >= 9


def nearest_ids(query: np.ndarray, *, limit: int) -> list[int]:
    return [pk for pk, _ in embeddings.nearest(query, limit=limit)]


@pytest.mark.django_db
def test_scores_are_the_exact_products(corpus: dict[str, Recommendation], fake_encoder: None) -> None:
    embed()
    vector_index.build()
    ids, rows = stored()
    query = fake_vector(corpus["torture"].text)
    hits = embeddings.nearest(query, limit=len(ids))
    expected = {
        int(pk): float(score) for pk, score in zip(ids, (rows / np.float32(127)) @ query, strict=True)
    }
    assert [pk for pk, _ in hits] == exact(ids, rows, query, len(ids))
    assert all(abs(score - expected[pk]) < 1e-5 for pk, score in hits)


@pytest.mark.django_db
def test_without_an_index_the_exact_product_answers_with_a_warning_and_a_build_is_queued(
    corpus: dict[str, Recommendation],
    fake_encoder: None,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    embed()
    ids, rows = stored()
    query = fake_vector(corpus["cedaw"].text)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        assert nearest_ids(query, limit=5) == exact(ids, rows, query, 5)
    assert any("no vector index" in message for message in warnings_of(caplog))
    # The queued build (run in-process by the tests' task backend) made one that answers the same.
    assert vector_index.current() is not None
    caplog.clear()
    assert nearest_ids(query, limit=5) == exact(ids, rows, query, 5)
    assert not warnings_of(caplog)


@pytest.mark.django_db
def test_a_stale_index_falls_back_with_a_warning(
    corpus: dict[str, Recommendation],
    fake_encoder: None,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embed([corpus["cedaw"].pk, corpus["woman"].pk])
    vector_index.build()
    monkeypatch.setattr(embeddings, "STALE_AFTER", 3)
    embed()  # every other record: more rows than STALE_AFTER written since the build
    ids, rows = stored()
    query = fake_vector(corpus["abolish"].text)
    with caplog.at_level(logging.WARNING):
        assert nearest_ids(query, limit=5) == exact(ids, rows, query, 5)
    assert any("behind" in message for message in warnings_of(caplog))
    assert nearest_ids(query, limit=1) == [corpus["abolish"].pk]


@pytest.mark.django_db
def test_vectors_written_after_the_build_are_found(
    corpus: dict[str, Recommendation], fake_encoder: None, caplog: pytest.LogCaptureFixture
) -> None:
    press, torture = corpus["press"], corpus["torture"]
    embed([pk for key, r in corpus.items() if key != "press" for pk in [r.pk]])
    vector_index.build()
    embed([press.pk])  # a new record's vector
    Recommendation.objects.filter(pk=torture.pk).update(text="Protect journalists from reprisals")
    embed([torture.pk])  # a changed text: the index still holds its old vector
    with caplog.at_level(logging.WARNING):
        assert nearest_ids(fake_vector(press.text), limit=1) == [press.pk]
        assert nearest_ids(fake_vector("Protect journalists from reprisals"), limit=1) == [torture.pk]
        old = [pk for pk, score in embeddings.nearest(fake_vector(torture.text), limit=3) if score > 0.99]
    assert old == []  # its old vector is no longer anyone's
    assert not warnings_of(caplog)
    ids, rows = stored()
    query = fake_vector(corpus["opcat"].text)
    assert nearest_ids(query, limit=len(ids)) == exact(ids, rows, query, len(ids))


@pytest.mark.django_db
def test_the_build_task_writes_a_file_another_process_opens(
    corpus: dict[str, Recommendation], fake_encoder: None
) -> None:
    embed()
    assert build_vector_index.enqueue().return_value == len(corpus)
    assert build_vector_index.enqueue().return_value == -1  # current: nothing to do
    pointer = json.loads((vector_index.directory() / vector_index.POINTER).read_text())
    path = vector_index.directory() / pointer["file"]
    query = vector_index.quantised(fake_vector(corpus["nhri"].text))
    script = (
        "import sys, numpy as np; from usearch.index import Index; "
        "index = Index.restore(sys.argv[1], view=True); "
        "print(len(index), int(index.search(np.array(eval(sys.argv[2]), dtype=np.int8), 1).keys[0]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path), repr(query.tolist())],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(len(corpus)), str(corpus["nhri"].pk)]
    assert pointer["generation"] == vector_index.vectors_version()


def test_a_build_keeps_the_file_it_replaced_and_removes_older_ones() -> None:
    rows = clustered(50)
    ids = np.arange(1, 51, dtype=np.int64)
    files = [
        vector_index.build_from(iter([(ids, rows)]), generation=n, model=embeddings.MODEL_NAME).path
        for n in range(3)
    ]
    assert [path.exists() for path in files] == [False, True, True]
    pointer = json.loads((vector_index.directory() / vector_index.POINTER).read_text())
    assert pointer == {"file": files[2].name, "generation": 2, "model": embeddings.MODEL_NAME, "size": 50}
