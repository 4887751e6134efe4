"""The upgrade to facet tokens (search 0003, then 0004): documents indexed before it get their tokens
from the records as they stand, and facet searches find them straight after ``migrate``."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hrcoop.recommendations.models import Label
from hrcoop.recommendations.search.facets import state_properties, token
from hrcoop.recommendations.search.models import SearchDocument
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.reference.models import State


def _migrate(target: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_documents_indexed_before_the_upgrade_get_their_facet_tokens(reference_data: None) -> None:
    # The search app before the upgrade, beside the registry as it is today (its tables as they are now).
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    registry = [node for node in leaves if node[0] != "search"]
    before = [("search", "0002_engine_index"), *registry]
    executor = _migrate(before)
    old = executor.loader.project_state(before).apps
    Recommendation = old.get_model("recommendations", "Recommendation")
    Classification = old.get_model("recommendations", "Classification")
    OldLabel = old.get_model("recommendations", "Label")
    OldDocument = old.get_model("search", "SearchDocument")
    kenya, france = State.objects.get(iso3="KEN"), State.objects.get(iso3="FRA")
    now = timezone.now()
    # Rows as they stood before the migration, through its historical models: no service writes those.
    record = Recommendation.objects.create(
        public_id="RMIGRATION01",
        identity_key="m" * 64,
        mechanism_id="UPR",
        session_id=21,
        cycle_id=2,
        date=datetime.date(2015, 1, 20),
        state_under_review_id=kenya.pk,
        text="Abolish the death penalty",
        response="noted",
        created_at=now,
        updated_at=now,
    )
    record.recommending_states.add(france.pk)
    label = OldLabel.objects.create(kind="issue", code="death-penalty", name="Death penalty")
    Classification.objects.create(
        recommendation=record,
        label=label,
        kind="issue",
        status="accepted",
        provenance="imported",
        created_at=now,
    )
    OldDocument.objects.create(
        recommendation_id=record.pk, stems="abolish the death penalti", words="abolish the death penalty",
        source_updated_at=now,
    )  # fmt: skip

    executor = _migrate(executor.loader.graph.leaf_nodes())

    tokens = SearchDocument.objects.get(pk=record.pk).facets.split()
    group, organisations = state_properties()[france.pk]
    assert {
        f"su{kenya.pk}",
        f"rs{france.pk}",
        token("rg", str(group)),
        token("cy", 2),
        token("se", 21),
    } <= set(tokens)
    assert {token("ro", code) for code in organisations} <= set(tokens)
    assert f"la{Label.objects.get(code='death-penalty').pk}" in tokens
    found = search(
        SearchParams(q="death", filters={"recommending_organisation": ["EU"], "issue": ["death-penalty"]})
    )
    assert found.ids() == [record.pk] and found.count == 1
