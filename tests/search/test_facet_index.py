"""Facets are answered by the index's facet tokens, so every write that changes a record's recommending
States or accepted labels must reach them: a change from either side, an import, a review, an edit of
the reference data. They reach them through the domain events (``core.events``) that services send."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hrcoop.core.events import records_changed
from hrcoop.core.models import DataVersion, User
from hrcoop.core.roles import Role
from hrcoop.core.services import grant_role
from hrcoop.recommendations.classification.services import review
from hrcoop.recommendations.models import (
    Classification,
    LabelKind,
    Provenance,
    Recommendation,
)
from hrcoop.recommendations.registry_version import registry_version
from hrcoop.recommendations.search.facets import record_tokens, token
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.search.services import index_recommendations
from hrcoop.recommendations.services.imports import import_files
from hrcoop.reference.models import Organisation, RegionalGroup, State
from hrcoop.reference.services import (
    delete_reference_row,
    load_reference_data,
    set_organisation_members,
    update_reference_row,
)
from tests.conftest import committed
from tests.factories import make_label
from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2018


def _found(**filters: list[str]) -> set[int]:
    result = search(SearchParams(filters=dict(filters)))
    ids = set(result.ids())
    assert result.count == len(ids)
    return ids


def test_codes_become_tokens_no_tokenizer_splits_or_merges() -> None:
    assert token("re", "supported_in_part") == "rex" + b"supported_in_part".hex()
    assert token("re", "supported_in_part").isalnum() and token("me", "CRC-OP").isalnum()
    assert token("me", "CRC-OP") != token("me", "CRCOP")
    record = {"state_under_review_id": 7, "mechanism_id": "UPR", "cycle_id": None, "session_id": None}
    tokens = record_tokens(
        {**record, "response": "noted"},
        recommending_states=[3, 3, 1],
        labels=[12],
        states={7: ("AFRICAN", ("AU",)), 3: ("WEOG", ("EU",)), 1: ("WEOG", ())},
    ).split()
    assert tokens == [
        token("me", "UPR"),
        token("re", "noted"),
        *sorted(["su7", token("ug", "AFRICAN"), token("uo", "AU")]),
        *sorted(["rs1", "rs3", token("rg", "WEOG"), token("ro", "EU")]),
        "la12",
    ]


@contextmanager
def _as_a_service_writes(*records: Recommendation | int) -> Iterator[None]:
    """Rows written as the import writer and the review write them: then ``records_changed``."""
    with transaction.atomic():
        yield
        ids = [r if isinstance(r, int) else r.pk for r in records]
        records_changed.send(ids=ids, text_changed=False)


@pytest.mark.django_db
def test_recommending_states_changed_from_either_side_reach_the_facets(
    corpus: dict[str, Recommendation],
) -> None:
    record = corpus["press"]
    france = State.objects.get(iso3="FRA")
    assert record.pk not in _found(recommending_state=["FRA"])
    with _as_a_service_writes(record):
        record.recommending_states.add(france)
    assert record.pk in _found(recommending_state=["FRA"])
    assert record.pk in _found(recommending_organisation=["EU"])  # through France's membership
    with _as_a_service_writes(record):
        france.recommendations_made.remove(record)
    assert record.pk not in _found(recommending_state=["FRA"])
    with _as_a_service_writes(record):
        france.recommendations_made.add(record)
    with _as_a_service_writes(*france.recommendations_made.values_list("pk", flat=True)):
        france.recommendations_made.clear()
    assert _found(recommending_state=["FRA"]) == set()


@pytest.mark.django_db
def test_labels_saved_or_deleted_reach_the_facets(corpus: dict[str, Recommendation]) -> None:
    record = corpus["press"]
    label = make_label(LabelKind.THEME, "media", "Media")
    with _as_a_service_writes(record):
        row = Classification.objects.create(
            recommendation=record, label=label, kind=LabelKind.THEME, provenance=Provenance.IMPORTED
        )
    assert _found(theme=["media"]) == {record.pk}
    with _as_a_service_writes(record):
        row.delete()
    assert _found(theme=["media"]) == set()


def _suggest_media(record: Recommendation) -> Classification:
    """A model's suggestion of a new theme, "media", awaiting review: the row ``classification.apply``
    stores, written here because no model is trained for these tests."""
    return Classification.objects.create(
        recommendation=record,
        label=make_label(LabelKind.THEME, "media", "Media"),
        kind=LabelKind.THEME,
        status=Classification.Status.SUGGESTED,
        provenance=Provenance.MODEL,
        model_version="test",
        confidence=0.9,
    )


@pytest.mark.django_db
def test_a_suggestion_counts_in_the_facets_once_accepted_and_at_once(
    corpus: dict[str, Recommendation],
) -> None:
    record = corpus["press"]
    suggestion = _suggest_media(record)
    reviewer = User.objects.create_user("reviewer", password="pw-reviewer-1")
    grant_role(reviewer, Role.SECRETARIAT, actor=None)
    assert _found(theme=["media"]) == set()  # a suggestion is not a label yet

    review([suggestion.pk], accept=True, actor=reviewer)

    # No commit callback has run (the test is one transaction): the review reindexed in its own.
    assert _found(theme=["media"]) == {record.pk}


@pytest.mark.django_db
def test_an_import_that_adds_a_recommending_state_reaches_the_facets(
    reference_data: None, tmp_path: Path
) -> None:
    with committed():
        import_files([write_2018(tmp_path / "a.csv")], format_name="upr-info", actor=None)
    death = Recommendation.objects.get(text="Abolish the death penalty")
    assert _found(recommending_state=["DEU"]) == set()
    joined = [
        *ROWS_2018,
        ("Côte d'Ivoire", "Abolish the death penalty", "Germany", "Noted", "5", "Death penalty", "19"),
    ]

    with committed():
        [report] = import_files([write_2018(tmp_path / "b.csv", joined)], format_name="upr-info", actor=None)

    assert report["records_updated"] == 1
    assert _found(recommending_state=["DEU"]) == {death.pk}
    assert _found(recommending_state=["DEU", "FRA"], response=["noted"]) == {death.pk}


@pytest.mark.django_db
def test_the_loader_corrects_memberships_and_the_facets_follow(corpus: dict[str, Recommendation]) -> None:
    record = corpus["press"]  # recommended by Norway and Sweden, both WEOG, neither in the AU
    norway, sweden = State.objects.get(iso3="NOR"), State.objects.get(iso3="SWE")
    # Memberships that the reference files do not hold, indexed as they stand.
    Organisation.members.through.objects.create(organisation_id="AU", state=norway)
    State.objects.filter(pk=sweden.pk).update(regional_group_id="EEG")
    index_recommendations([record.pk], embed_later=False)
    assert record.pk in _found(recommending_organisation=["AU"])
    assert record.pk in _found(recommending_group=["EEG"])

    load_reference_data()  # puts both back as the files say, in one transaction

    assert record.pk not in _found(recommending_organisation=["AU"])
    assert record.pk not in _found(recommending_group=["EEG"])
    assert record.pk in _found(recommending_group=["WEOG"], recommending_state=["SWE"])


def _counted_in_tables(ids: set[int]) -> dict[str, dict[str, int]]:
    """Every facet's counts over ``ids`` read from the registry's own tables: the index's oracle."""
    expected: dict[str, dict[str, set[int]]] = {}

    def add(key: str, rows: object) -> None:
        for pk, value in rows:  # type: ignore[attr-defined]
            if value is not None:
                expected.setdefault(key, {}).setdefault(str(value), set()).add(pk)

    records = Recommendation.objects.filter(pk__in=ids)
    through = Recommendation.recommending_states.through.objects.filter(recommendation_id__in=ids)
    for key, path in (
        ("state", "state_under_review__iso3"),
        ("under_review_group", "state_under_review__regional_group"),
        ("under_review_organisation", "state_under_review__organisations"),
        ("mechanism", "mechanism"),
        ("cycle", "cycle"),
        ("session", "session"),
        ("response", "response"),
    ):
        add(key, records.values_list("pk", path))
    for key, path in (
        ("recommending_state", "state__iso3"),
        ("recommending_group", "state__regional_group"),
        ("recommending_organisation", "state__organisations"),
    ):
        add(key, through.values_list("recommendation_id", path))
    for kind, pk, code in Classification.objects.filter(
        recommendation_id__in=ids, status=Classification.Status.ACCEPTED
    ).values_list("kind", "recommendation_id", "label__code"):
        add(kind, [(pk, code)])
    return {key: {v: len(pks) for v, pks in values.items()} for key, values in expected.items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, filters",
    [
        ("", {}),
        ("women OR torture", {}),
        ("", {"recommending_organisation": ["EU"]}),
        ("death", {"response": ["noted", "supported"], "cycle": ["1", "2"]}),
        ("nothing-matches-this", {}),
    ],
)
def test_facet_counts_from_the_index_are_the_registrys(
    corpus: dict[str, Recommendation], q: str, filters: dict[str, list[str]]
) -> None:
    _suggest_media(corpus["press"])  # a suggestion awaiting review is counted nowhere
    result = search(SearchParams(q=q, filters=filters))
    shown = {key: {v.value: v.count for v in values} for key, _, values in result.facets()}

    expected = _counted_in_tables(set(result.ids()))
    for key in filters:  # a chosen facet: over the results of the other choices (disjunctive)
        others = SearchParams(q=q, filters={k: v for k, v in filters.items() if k != key})
        expected[key] = {
            **dict.fromkeys(filters[key], 0),
            **_counted_in_tables(set(search(others).ids())).get(key, {}),
        }
    assert {key: values for key, values in shown.items() if values} == expected
    if not q and not filters:
        assert sum(shown["response"].values()) == len(corpus)  # every record, each once
        assert shown["recommending_organisation"]["EU"] >= 2


@pytest.mark.django_db
def test_the_whole_registrys_kept_counts_follow_a_membership_the_loader_corrects(
    corpus: dict[str, Recommendation],
    django_capture_on_commit_callbacks: Any,
) -> None:
    def recommended_by_au_members() -> int:
        [(_, _, values)] = search(SearchParams()).facets(["recommending_organisation"])
        return next((v.count for v in values if v.value == "AU"), 0)

    norway = State.objects.get(iso3="NOR")
    # Around the reference services: a membership the files do not hold, for the loader to correct.
    Organisation.members.through.objects.create(organisation_id="AU", state=norway)
    index_recommendations([corpus["press"].pk], embed_later=False)
    with_norway = recommended_by_au_members()  # now kept under the registry's version

    with django_capture_on_commit_callbacks(execute=True):  # the task it queues recomputes the counts
        load_reference_data()  # takes Norway out of the AU again: only a membership changes

    assert recommended_by_au_members() == with_norway - 1


@pytest.mark.django_db
def test_memberships_edited_one_by_one_reach_the_facets_and_the_version(
    corpus: dict[str, Recommendation],
) -> None:
    """As the admin edits them, through the reference services: a State's group, an organisation's
    members, an organisation deleted."""
    record = corpus["press"]  # recommended by Norway and Sweden, both WEOG, neither in the AU
    norway, sweden = State.objects.get(iso3="NOR"), State.objects.get(iso3="SWE")
    au = Organisation.objects.get(code="AU")
    versions = [registry_version()]

    def follows(organisation: str, group: str) -> tuple[bool, bool]:
        versions.append(registry_version())
        assert versions[-1] != versions[-2], "the registry's version did not move"
        return (
            record.pk in _found(recommending_organisation=[organisation]),
            record.pk in _found(recommending_group=[group]),
        )

    def group(code: str) -> dict[str, RegionalGroup]:
        return {"regional_group": RegionalGroup.objects.get(code=code)}

    update_reference_row(sweden, actor=None, changes=group("EEG"))
    assert follows("AU", "EEG") == (False, True)
    set_organisation_members(au, [*au.members.all(), norway], actor=None)
    assert follows("AU", "EEG") == (True, True)
    set_organisation_members(au, [], actor=None)
    assert follows("AU", "EEG") == (False, True)
    set_organisation_members(au, [norway], actor=None)
    assert follows("AU", "EEG") == (True, True)
    set_organisation_members(au, [], actor=None)
    update_reference_row(sweden, actor=None, changes=group("WEOG"))
    assert follows("AU", "EEG") == (False, False)
    delete_reference_row(Organisation.objects.get(code="EU"), actor=None)  # Sweden's, so the record's
    assert follows("EU", "WEOG") == (False, True)


@pytest.mark.django_db
def test_facet_values_are_named_without_a_query_per_facet_and_a_rename_shows_at_once(
    corpus: dict[str, Recommendation],
) -> None:
    def facets() -> dict[str, dict[str, str]]:
        found = search(SearchParams(filters={"recommending_organisation": ["EU"]}))
        return {key: {v.value: v.label for v in values} for key, _, values in found.facets()}

    facets()  # the process's copy of the reference rows is loaded
    with CaptureQueriesContext(connection) as captured:
        named = facets()
    assert len(captured) <= 3, [q["sql"] for q in captured]  # the version, the token counts
    assert named["recommending_organisation"]["EU"] == Organisation.objects.get(code="EU").name
    assert named["recommending_state"]["FRA"] == "France"

    eu = Organisation.objects.get(code="EU")
    update_reference_row(eu, actor=None, changes={"name": "Union européenne"})  # as the admin does
    assert facets()["recommending_organisation"]["EU"] == "Union européenne"


@pytest.mark.django_db
def test_a_search_reads_the_registry_version_once(corpus: dict[str, Recommendation]) -> None:
    with CaptureQueriesContext(connection) as captured:
        found = search(SearchParams(q="death", filters={"recommending_organisation": ["EU"]}))
        found.page(limit=20)
        found.facets()
    version_reads = [q for q in captured if DataVersion._meta.db_table in q["sql"]]
    assert len(version_reads) == 1


def _counts(result_facets: list, key: str) -> dict[str, tuple[int, bool]]:
    """value -> (count, ticked) of one facet of ``SearchResult.facets()``."""
    [values] = [values for k, _, values in result_facets if k == key]
    return {v.value: (v.count, v.selected) for v in values}


@pytest.mark.django_db
def test_a_chosen_facet_keeps_its_other_values_with_what_each_would_add(
    corpus: dict[str, Recommendation],
) -> None:
    # Kenya under review: cedaw and woman (supported), moratorium (noted).
    result = search(SearchParams(filters={"state": ["KEN"], "response": ["supported"]}))
    assert set(result.ids()) == {corpus["cedaw"].pk, corpus["woman"].pk}
    facets = result.facets()
    # The States over the supported records, Kenya's choice aside: IND has torture and nhri.
    assert _counts(facets, "state") == {
        "KEN": (2, True),
        "IND": (2, False),
        **{iso3: (1, False) for iso3 in ("SEN", "BOL", "CHN", "KAZ", "USA", "EGY")},
    }
    # The responses over Kenya's records, the choice of response aside.
    assert _counts(facets, "response") == {"supported": (2, True), "noted": (1, False)}
    # A facet without a choice is counted over the results themselves.
    assert _counts(facets, "issue") == {"womens-rights": (2, False)}
    assert _counts(facets, "action_category") == {"5": (1, False), "4": (1, False)}
    # Each other State adds what its count says, with the response still chosen.
    for iso3, (count, _) in _counts(facets, "state").items():
        if iso3 != "KEN":
            both = search(SearchParams(filters={"state": ["KEN", iso3], "response": ["supported"]}))
            assert both.count == 2 + count, iso3


@pytest.mark.django_db
def test_disjunctive_counts_follow_the_text_query_and_keep_a_chosen_value_nothing_counts(
    corpus: dict[str, Recommendation],
) -> None:
    # "death": abolish (USA, noted) and moratorium (KEN, noted).
    facets = search(SearchParams(q="death", filters={"state": ["KEN"]})).facets()
    assert _counts(facets, "state") == {"KEN": (1, True), "USA": (1, False)}
    assert _counts(facets, "issue") == {"death-penalty": (1, False)}
    both = search(SearchParams(q="death", filters={"state": ["KEN", "USA"]}))
    assert set(both.ids()) == {corpus["abolish"].pk, corpus["moratorium"].pk}
    # No Kenyan recommendation on torture: no result, but the choice stays ticked (to untick it) and
    # the issues Kenya has are still offered.
    none = search(SearchParams(filters={"state": ["KEN"], "issue": ["torture"]}))
    assert none.count == 0
    assert _counts(none.facets(), "issue") == {
        "torture": (0, True),
        "womens-rights": (2, False),
        "death-penalty": (1, False),
    }
    assert _counts(none.facets(), "state") == {"IND": (2, False), "KEN": (0, True)}


@pytest.mark.django_db
def test_disjunctive_counts_cost_one_count_per_chosen_facet(corpus: dict[str, Recommendation]) -> None:
    search(SearchParams(q="death")).facets()  # the process's copy of the reference rows is loaded
    plain = search(SearchParams(q="death"))
    assert plain.reference  # the registry's version, read once per search (a choice reads it at once)
    cache.clear()  # counted afresh, not read from the counts kept for this query
    with CaptureQueriesContext(connection) as unchosen:
        plain.facets()
    chosen = search(SearchParams(q="death", filters={"state": ["KEN"], "response": ["noted"]}))
    with CaptureQueriesContext(connection) as two_chosen:
        chosen.facets()
    assert (len(unchosen), len(two_chosen)) == (1, 3)  # one over the results, one per chosen facet

    again = search(SearchParams(q="death", filters={"state": ["KEN"], "response": ["noted"]}))
    assert again.reference
    with CaptureQueriesContext(connection) as asked_again:
        assert again.facets() == chosen.facets()
    assert not asked_again, "the counts are kept per query, choices and records' version"
