"""An import does not write the search index in its transaction: the index catches up in a background
task queued once the import commits, a bounded batch at a time (issue 25: no write path blocks on
derived data). A correction of one record is still indexed with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrcoop.core.versions import current_version
from hrcoop.recommendations.importers.base import ImportRejected
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.registry_version import REGISTRY
from hrcoop.recommendations.search import events
from hrcoop.recommendations.search.models import SearchDocument
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.search.services import catch_up
from hrcoop.recommendations.services.corrections import update_recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import committed
from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2018

pytestmark = pytest.mark.django_db

DEATH = "Abolish the death penalty"


def _found(q: str) -> set[str]:
    ids = search(SearchParams(q=q)).ids()
    return set(Recommendation.objects.filter(pk__in=ids).values_list("text", flat=True))


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The catch-ups queued (the task itself not run)."""
    tasks: list[str] = []

    class Task:
        @staticmethod
        def enqueue() -> None:
            tasks.append("catch-up")

    monkeypatch.setattr("hrcoop.recommendations.search.tasks.catch_up_index", Task)
    return tasks


def test_an_import_writes_no_search_rows_and_its_records_are_found_once_it_commits(
    reference_data: None, tmp_path: Path
) -> None:
    with committed(), CaptureQueriesContext(connection) as during:
        import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)
        assert not SearchDocument.objects.exists()
        assert _found("death") == set()

    writes = [q["sql"] for q in during.captured_queries if "search_searchdocument" in q["sql"]]
    assert not [sql for sql in writes if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert SearchDocument.objects.count() == Recommendation.objects.count() > 1
    assert _found("death") == {DEATH}


def test_a_failed_import_queues_nothing(reference_data: None, tmp_path: Path, queued: list[str]) -> None:
    bad = [*ROWS_2018, ("Atlantis", "Abolish the death penalty", "France", "Noted", "5", "", "19")]
    with committed(), pytest.raises(ImportRejected):
        import_files([write_2018(tmp_path / "bad.csv", bad)], format_name="upr-info", actor=None)

    assert queued == []
    assert not Recommendation.objects.exists()


def test_the_catch_up_indexes_in_bounded_batches_each_raising_the_version(
    reference_data: None, tmp_path: Path, queued: list[str]
) -> None:
    with committed():
        import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)
    assert queued == ["catch-up"]
    assert not SearchDocument.objects.exists()
    before = (current_version(REGISTRY) or (0, None))[0]

    records = Recommendation.objects.count()
    assert records > 2

    assert catch_up(batch=2) == records

    assert SearchDocument.objects.count() == records
    assert (current_version(REGISTRY) or (0, None))[0] == before + -(-records // 2)  # one per batch
    assert _found("death") == {DEATH}
    assert catch_up(batch=2) == 0  # nothing stale is left


def test_a_correction_is_found_at_once_a_large_change_once_it_commits(
    reference_data: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with committed():
        import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)
    record = Recommendation.objects.get(text=DEATH)

    update_recommendation(record, actor=None, changes={"text": "Abolish capital punishment"})
    assert _found("capital") == {"Abolish capital punishment"}  # in the correction's own transaction

    monkeypatch.setattr(events, "SYNC_LIMIT", 0)  # every change now counts as large
    with committed():
        update_recommendation(record, actor=None, changes={"text": "Abolish the penalty of death"})
        assert _found("penalty") == set()  # not yet: queued for after the commit
    assert _found("penalty") == {"Abolish the penalty of death"}
