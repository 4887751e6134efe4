"""Caches keyed by the version of what they show (``registry_version``), and whole-registry figures
kept by a task (``recommendations.figures``): a write empties only what it changed, and no visitor
recomputes the registry's figures after one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hrcoop.recommendations import figures, reference_cache
from hrcoop.recommendations.models import KeptFigures, Recommendation
from hrcoop.recommendations.registry_version import REFERENCE
from hrcoop.recommendations.selectors import kept_per_version
from hrcoop.recommendations.services.corrections import update_recommendation
from hrcoop.reference.models import State
from hrcoop.reference.services import update_reference_row
from tests.core.test_redis import redis_url  # noqa: F401 (a fixture)


class Counted:
    """A computation that counts how often it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def _kept(name: str, versions: tuple[str, ...] | None = None) -> Any:
    def keep(compute: Counted) -> int:
        if versions is None:
            return kept_per_version(name, compute)
        return kept_per_version(name, compute, versions=versions)

    return keep


def _a_record_and_a_state_changed(corpus: dict[str, Recommendation]) -> None:
    """The shared steps: a record corrected keeps what shows only reference rows; a State renamed
    empties what shows reference rows, records included."""
    reference_only, both = Counted(), Counted()
    keep_reference, keep_both = _kept("test:states", (REFERENCE,)), _kept("test:records")
    assert (keep_reference(reference_only), keep_both(both)) == (1, 1)
    reference_cache.ReferenceRows().all(State)
    copy = reference_cache._copy
    assert copy is not None

    update_recommendation(corpus["torture"], actor=None, changes={"response": "noted"})
    assert keep_reference(reference_only) == 1  # still the kept answer
    assert keep_both(both) == 2  # computed again: the records changed
    reference_cache.ReferenceRows().all(State)
    assert reference_cache._copy is copy  # the reference rows were not read again

    kenya = State.objects.get(iso3="KEN")
    update_reference_row(kenya, actor=None, changes={"name": "Kenya (renamed)"})
    assert (keep_reference(reference_only), keep_both(both)) == (2, 3)
    assert reference_cache.ReferenceRows().get(State, kenya.pk).name == "Kenya (renamed)"


@pytest.mark.django_db
def test_a_write_empties_the_caches_of_what_it_changed_and_no_other(
    corpus: dict[str, Recommendation],
) -> None:
    _a_record_and_a_state_changed(corpus)


@pytest.mark.django_db
def test_the_same_through_a_shared_redis_cache(
    corpus: dict[str, Recommendation],
    redis_url: str,  # noqa: F811
    settings: Any,
) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    _a_record_and_a_state_changed(corpus)


@pytest.mark.django_db
def test_reference_answers_of_the_api_survive_a_record_correction(
    corpus: dict[str, Recommendation], client: Client
) -> None:
    client.get("/api/states/")
    update_recommendation(corpus["torture"], actor=None, changes={"response": "noted"})
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/states/").status_code == 200
    assert not [q["sql"] for q in captured if State._meta.db_table in q["sql"]]  # from the cache

    url = f"/api/recommendations/{corpus['torture'].public_id}/"
    assert client.get(url).json()["response"] == "noted"


def _heavy(captured: CaptureQueriesContext) -> list[str]:
    """The statements that aggregate over the registry: grouped counts, or facet tokens counted."""
    sqls = [q["sql"] for q in captured]
    return [sql for sql in sqls if "GROUP BY" in sql or "ts_stat" in sql or "search_searchdocument" in sql]


def _noted(client: Client) -> tuple[int, int]:
    """(records noted on the home page, "noted" beside the search page's response facet)."""
    home = client.get(reverse("portal:home"))
    noted_home = sum(row["noted"] for row in home.context["cycles"])
    page = client.get(reverse("recommendations:search"))
    [values] = [shown + rest for key, _, shown, rest in page.context["facets"] if key == "response"]
    noted_facet = next(v.count for v in values if v.value == "noted")
    return noted_home, noted_facet


@pytest.mark.django_db
def test_after_a_write_visitors_read_the_kept_figures_until_the_task_recomputes_them(
    corpus: dict[str, Recommendation], client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    before = _noted(client)  # a new site: the first view computes them, once
    assert KeptFigures.objects.filter(name__in=[figures.HOME, figures.FACET_TOKENS]).count() == 2

    with django_capture_on_commit_callbacks() as queued:
        update_recommendation(corpus["torture"], actor=None, changes={"response": "noted"})
    assert queued, "the write queued no recomputation"

    with CaptureQueriesContext(connection) as captured:
        assert _noted(client) == before  # the figures computed before the write, not recomputed
    assert not _heavy(captured), _heavy(captured)

    for task in queued:  # the task queued on commit (run in-process by the tests' task backend)
        task()
    assert _noted(client) == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_the_task_recomputes_only_figures_older_than_the_records(corpus: dict[str, Recommendation]) -> None:
    figures.refresh_stale()
    assert figures.refresh_stale() == []  # a second task queued by the same burst finds nothing to do
    update_recommendation(corpus["torture"], actor=None, changes={"response": "noted"})
    assert sorted(figures.refresh_stale()) == sorted(figures.COMPUTE)


def _facet_count(page: Any, key: str, value: str) -> int:
    [values] = [shown + rest for facet, _, shown, rest in page.context["facets"] if facet == key]
    return next((v.count for v in values if v.value == value), 0)


@pytest.mark.django_db
def test_a_search_asked_again_reads_its_filters_back_until_a_write_changes_them(
    corpus: dict[str, Recommendation], client: Client
) -> None:
    url = reverse("recommendations:search") + "?q=torture"
    first = client.get(url)
    assert "search/facets.html" in [t.name for t in first.templates]
    again = client.get(url)
    assert "search/facets.html" not in [t.name for t in again.templates]  # read back, not drawn
    assert again.context["facets_panel"] == first.context["facets_panel"]
    with translation.override("fr"):
        french = client.get(reverse("recommendations:search") + "?q=torture")
    assert "search/facets.html" in [t.name for t in french.templates]  # each language its own drawing
    assert "Réponse" in french.context["facets_panel"]

    noted = _facet_count(again, "response", "noted")
    update_recommendation(corpus["torture"], actor=None, changes={"response": "noted"})
    after = client.get(url)
    assert _facet_count(after, "response", "noted") == noted + 1
    assert 'value="noted"' in after.context["facets_panel"]


@pytest.mark.django_db
def test_a_search_asked_again_is_not_ranked_or_counted_again_until_the_records_change(
    corpus: dict[str, Recommendation],
) -> None:
    from hrcoop.recommendations.search.selectors import SearchParams, search

    def asked() -> tuple[list[int], int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            result = search(SearchParams(q="detention"))
            found = result.seek(limit=20)
            count = result.count
        return found.ids, count, [q["sql"] for q in captured if "search_" in q["sql"]]

    ids, count, first = asked()
    assert first, "the first search read nothing from the index"
    again_ids, again_count, again = asked()
    assert (again_ids, again_count, again) == (ids, count, [])  # read back, not ranked again

    update_recommendation(corpus["abolish"], actor=None, changes={"text": "End detention without trial"})
    after_ids, after_count, after = asked()
    assert after and after_count == count + 1 and corpus["abolish"].pk in after_ids
