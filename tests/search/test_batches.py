"""Reindexing and vectors work a bounded batch at a time (``core.batches``): with a batch size of 3,
the corpus's 13 records take five statements of each kind, and SQLite with a variable limit below
the number of records still reindexes them all (at a million records the unbatched lists failed)."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrcoop.core.batches import batched, id_batches
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search import embeddings
from hrcoop.recommendations.search.models import Embedding, SearchDocument
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.search.services import embed, index_recommendations
from tests.conftest import run_cli

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_batches(settings: Any) -> None:
    settings.HRCOOP_BATCH_SIZE = 3


@contextmanager
def sqlite_variable_limit(limit: int) -> Iterator[None]:
    """SQLite refusing statements with more than ``limit`` parameters (its default here is 250,000)."""
    connection.ensure_connection()
    raw = connection.connection
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def _inserts_into(queries: CaptureQueriesContext, table: str) -> int:
    return sum(q["sql"].startswith(f'INSERT INTO "{table}"') for q in queries.captured_queries)


def test_batched_and_id_batches_cut_in_order(corpus: dict[str, Recommendation]) -> None:
    assert list(batched(range(7), size=3)) == [[0, 1, 2], [3, 4, 5], [6]]
    ids = sorted(r.pk for r in corpus.values())
    walked = list(id_batches(Recommendation.objects.all(), size=4))
    assert [len(b) for b in walked] == [4, 4, 4, 1]
    assert [pk for b in walked for pk in b] == ids


def test_a_full_reindex_writes_every_document_three_at_a_time(
    corpus: dict[str, Recommendation], small_batches: None
) -> None:
    SearchDocument.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert index_recommendations(full=True, embed_later=False) == len(corpus) == 13
    assert SearchDocument.objects.count() == 13
    assert _inserts_into(queries, "search_searchdocument") == math.ceil(13 / 3)


def test_given_ids_are_batched_and_unknown_ones_dropped(
    corpus: dict[str, Recommendation], small_batches: None
) -> None:
    SearchDocument.objects.all().delete()
    ids = [r.pk for r in corpus.values()] + [10**9]
    with CaptureQueriesContext(connection) as queries:
        assert index_recommendations(reversed(ids), embed_later=False) == 13
    assert _inserts_into(queries, "search_searchdocument") == 5
    assert SearchDocument.objects.count() == 13


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's variable limit")
def test_reindex_on_sqlite_with_more_records_than_its_variable_limit(
    corpus: dict[str, Recommendation], small_batches: None, capsys: pytest.CaptureFixture[str]
) -> None:
    SearchDocument.objects.all().delete()
    with sqlite_variable_limit(12):
        code, out, err = run_cli(capsys, "search", "reindex", "--full", "--no-vectors")
    assert code == 0, err
    assert '"indexed": 13' in out
    assert SearchDocument.objects.count() == 13


def _stand_in_encode(texts: list[str]) -> np.ndarray:
    vectors = np.ones((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    return vectors / np.sqrt(embeddings.DIMENSIONS)


def test_vectors_are_computed_a_batch_at_a_time(
    corpus: dict[str, Recommendation], small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "encode", _stand_in_encode)
    with CaptureQueriesContext(connection) as queries:
        assert embed(full=True) == 13
    assert Embedding.objects.count() == 13
    assert _inserts_into(queries, "search_embedding") == 5


def test_an_export_reads_its_records_a_batch_at_a_time(
    corpus: dict[str, Recommendation], small_batches: None
) -> None:
    result = search(SearchParams())
    with CaptureQueriesContext(connection) as queries:
        records = list(result.iterate())
    assert [r.pk for r in records] == result.ids()
    by_id = [
        q for q in queries.captured_queries if q["sql"].startswith('SELECT "recommendations_recommendation"')
    ]
    assert len(by_id) == 1 + math.ceil(13 / 3)  # the ordered ids, then one read per batch
