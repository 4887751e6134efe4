"""The query language finds exactly the expected records; the suite runs on SQLite and on PostgreSQL
(``DATABASE_URL=postgres://...``), so passing on both shows the two engines agree."""

from __future__ import annotations

import pytest

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.services.corrections import update_recommendation
from tests.search.conftest import CORPUS

ALL = set(CORPUS)

EXPECTED: list[tuple[str, set[str]]] = [
    ("women", {"cedaw", "woman"}),
    ("woman", {"cedaw", "woman"}),
    ("Women", {"cedaw", "woman"}),
    ("ratify", {"cedaw", "opcat", "crpd_fr"}),
    ("ratification", {"cedaw", "opcat", "crpd_fr"}),
    ('"death penalty"', {"abolish", "moratorium"}),
    ('"penalty death"', set()),
    ("death -moratorium", {"abolish"}),
    ("death AND NOT moratorium", {"abolish"}),
    ("torture OR penalty", {"opcat", "torture", "abolish", "moratorium"}),
    ("(torture OR death) AND convention", {"opcat"}),
    ("torture OR death AND convention", {"opcat", "torture"}),
    ("rati*", {"cedaw", "opcat", "crpd_fr"}),
    ("ratifyi*", {"opcat"}),
    ("NOT torture", ALL - {"opcat", "torture"}),
    ("-torture -death", ALL - {"opcat", "torture", "abolish", "moratorium"}),
    ("proteccion", {"mujeres"}),
    ("PROTECCIÓN víctimas", {"mujeres"}),
    ("妇女", {"zh"}),
    ("妇女 权利", {"zh"}),
    ("инвалидов", {"ru"}),
    ("инвалид", {"ru"}),
    ("المرأة", {"ar"}),
    ('journalists AND "human rights"', {"press"}),
    ('"human rights" -journalists', {"nhri"}),
    ("NHRI", {"nhri"}),
    ("handicapees", {"crpd_fr"}),
    ("abolition", set()),
    ("abolishing", {"abolish", "moratorium"}),
]


def _found(q: str, **filters: list[str]) -> set[str]:
    result = search(SearchParams(q=q, filters=dict(filters)))
    keys = {r.pk: k for k, r in _corpus.items()}
    found = {keys[pk] for pk in result.ids()}
    assert result.count == len(found)
    return found


_corpus: dict[str, Recommendation] = {}


@pytest.fixture
def indexed(corpus: dict[str, Recommendation]) -> dict[str, Recommendation]:
    _corpus.clear()
    _corpus.update(corpus)
    return corpus


@pytest.mark.django_db
def test_every_query_finds_exactly_the_expected_records(indexed: dict[str, Recommendation]) -> None:
    wrong = {q: (found, expected) for q, expected in EXPECTED if (found := _found(q)) != expected}
    assert wrong == {}, "query: (found, expected)"


@pytest.mark.django_db
def test_women_and_woman_find_the_same_records(indexed: dict[str, Recommendation]) -> None:
    assert _found("women") == _found("woman") == {"cedaw", "woman"}


@pytest.mark.django_db
def test_text_combines_with_facets(indexed: dict[str, Recommendation]) -> None:
    assert _found("death", state=["KEN"]) == {"moratorium"}
    assert _found("", issue=["womens-rights"], state=["KEN", "BOL"]) == {"cedaw", "woman", "mujeres"}
    assert _found("rights", recommending_state=["SWE"]) == {"press"}
    assert _found("", recommending_organisation=["EU"], response=["noted"]) == {
        "abolish",
        "moratorium",
        "opcat",
    }


@pytest.mark.django_db
def test_relevance_and_date_orders_hold_the_same_records(indexed: dict[str, Recommendation]) -> None:
    by_relevance = search(SearchParams(q="death OR torture")).ids()
    newest = search(SearchParams(q="death OR torture", sort="newest")).ids()
    assert set(by_relevance) == set(newest)
    dates = [Recommendation.objects.get(pk=pk).date for pk in newest]
    assert dates == sorted(dates, reverse=True)
    # "death" twice beats "death" once
    assert by_relevance.index(indexed["abolish"].pk) < by_relevance.index(indexed["moratorium"].pk)


@pytest.mark.django_db
def test_index_follows_edits(indexed: dict[str, Recommendation], django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    record = indexed["press"]
    with django_capture_on_commit_callbacks(execute=True):  # a correction, as the admin makes it
        update_recommendation(record, actor=None, changes={"text": "Guarantee freedom of assembly"})
    assert _found("journalists") == set()
    assert _found("assembly") == {"press"}
    with django_capture_on_commit_callbacks(execute=True):
        indexed["nhri"].delete()
    assert _found("NHRI") == set()
