"""Pages, the API and exports read records through ``records_in_order``: a fixed number of queries,
reference rows from the process's copy, and never a stale name after any write to those rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrcoop.core.models import DataVersion, User
from hrcoop.recommendations.models import (
    Classification,
    LabelKind,
    Provenance,
    Recommendation,
)
from hrcoop.recommendations.registry_version import REGISTRY
from hrcoop.recommendations.selectors import records_in_order
from hrcoop.recommendations.services.imports import import_files
from hrcoop.reference.models import State
from hrcoop.reference.services import load_reference_data, update_reference_row
from tests.factories import make_label
from tests.recommendations.upr_info_fixtures import write_2018


@pytest.fixture
def records(reference_data: None, tmp_path: Path) -> list[int]:
    import_files([write_2018(tmp_path / "a.csv")], format_name="upr-info", actor=None)
    return list(Recommendation.objects.order_by("-pk").values_list("pk", flat=True))


def _queries(ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        records_in_order(ids)
    return len(captured)


@pytest.mark.django_db
def test_records_come_in_the_order_asked_with_what_a_page_shows(records: list[int]) -> None:
    reviewer = User.objects.create_user("reviewer", password="pw-reviewer-1")
    first = Recommendation.objects.get(pk=records[0])
    label = make_label(LabelKind.THEME, "media", "Media")
    # Rows a review and a model's suggestion leave, written here because no model is trained for these tests.
    Classification.objects.create(
        recommendation=first, label=label, kind=LabelKind.THEME, provenance=Provenance.PERSON, person=reviewer
    )
    Classification.objects.create(  # a suggestion awaiting review is not the record's label yet
        recommendation=first,
        label=make_label(LabelKind.THEME, "press", "Press"),
        kind=LabelKind.THEME,
        status=Classification.Status.SUGGESTED,
        provenance=Provenance.MODEL,
        model_version="test",
        confidence=0.6,
    )
    loaded = records_in_order([*reversed(records), 999_999])  # an unknown id is left out

    assert [r.pk for r in loaded] == list(reversed(records))
    with CaptureQueriesContext(connection) as captured:
        shown = [_shown(record, record.accepted_classifications) for record in loaded]
    assert len(captured) == 0, "everything a page shows came with the records"
    fresh = [Recommendation.objects.get(pk=record.pk) for record in loaded]
    accepted = Classification.Status.ACCEPTED
    assert shown == [
        _shown(r, sorted(r.classifications.filter(status=accepted), key=lambda c: (c.kind, c.label.code)))
        for r in fresh
    ]
    assert [row for row in shown[-1][4] if row[0] == "theme"] == [("theme", "media", "set by reviewer")]


def _shown(record: Recommendation, classifications: list[Classification]) -> tuple[object, ...]:
    return (
        record.state_under_review.name,
        record.session and (record.session.number, record.session.year),
        record.cycle and record.cycle.number,
        [s.name for s in record.recommending_states.all()],
        [(c.kind, c.label.code, c.source) for c in classifications],
    )


@pytest.mark.django_db
def test_a_page_costs_the_same_few_queries_whatever_its_size(records: list[int]) -> None:
    records_in_order(records)  # the process's copy of the reference rows, for this registry version
    assert len(records) >= 3
    assert _queries(records[:1]) == _queries(records) <= 5


@pytest.mark.django_db
def test_a_state_renamed_by_any_write_shows_at_once(records: list[int]) -> None:
    (record,) = records_in_order(records[:1])
    state = State.objects.get(pk=record.state_under_review_id)
    original = state.name

    update_reference_row(state, actor=None, changes={"name": "Renamed in the admin"})  # as the admin does
    assert records_in_order(records[:1])[0].state_under_review.name == "Renamed in the admin"

    State.objects.filter(pk=state.pk).update(name="Changed behind our back")
    load_reference_data()  # brings the reference files' name back, in bulk (no post_save)
    assert records_in_order(records[:1])[0].state_under_review.name == original


@pytest.mark.django_db
def test_reloading_unchanged_reference_data_leaves_the_registry_version(records: list[int]) -> None:
    before = DataVersion.objects.get(name=REGISTRY)
    load_reference_data()
    after = DataVersion.objects.get(name=REGISTRY)
    assert (after.number, after.changed_at) == (before.number, before.changed_at)
