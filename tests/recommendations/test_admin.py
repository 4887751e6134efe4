"""The registry in the admin: lists and filters work on imported data; a correction is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hrcoop.core.audit import events_for
from hrcoop.recommendations.models import Classification, ImportRun, Label, Recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import committed
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(reference_data: None, tmp_path: Path) -> Recommendation:
    with committed():
        import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)
    return Recommendation.objects.get(text__startswith="Abolish the death penalty")


def test_lists_filters_and_search(admin_client: Client, imported: Recommendation) -> None:
    url = reverse("admin:recommendations_recommendation_changelist")
    page = admin_client.get(url, {"response__exact": "noted", "q": "death"})
    assert page.status_code == 200
    assert imported.public_id in page.content.decode()
    for model in (ImportRun, Classification, Label):
        listing = admin_client.get(reverse(f"admin:recommendations_{model._meta.model_name}_changelist"))
        assert listing.status_code == 200
    run_page = admin_client.get(
        reverse("admin:recommendations_importrun_change", args=[ImportRun.objects.get().pk])
    )
    assert run_page.status_code == 200 and "upr.csv" in run_page.content.decode()


def test_correction_goes_through_the_service_and_provenance_stays(
    admin_client: Client, imported: Recommendation
) -> None:
    url = reverse("admin:recommendations_recommendation_change", args=[imported.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="identity_key"' not in page.content.decode()  # shown, not editable
    data = {
        "text": "Abolish the death penalty in law.",
        "language": "en",
        "response": "noted",
        "response_source": "A/HRC/19/4/Add.1",
        "document_symbol": "",
        "paragraph": "",
        "date": "",
        "source_id": "",
        "classifications-TOTAL_FORMS": "2",
        "classifications-INITIAL_FORMS": "2",
        "classifications-MIN_NUM_FORMS": "0",
        "classifications-MAX_NUM_FORMS": "1000",
    }
    for n, pk in enumerate(imported.classifications.values_list("pk", flat=True)):
        data[f"classifications-{n}-id"] = str(pk)
        data[f"classifications-{n}-recommendation"] = str(imported.pk)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    imported.refresh_from_db()
    assert imported.text == "Abolish the death penalty in law."
    assert imported.public_id == Recommendation.objects.get(pk=imported.pk).public_id
    [event] = events_for(imported)
    assert event.action == "recommendations.update"
    assert event.data["before"]["text"] == "Abolish the death penalty"
    assert event.data["after"]["response_source"] == "A/HRC/19/4/Add.1"


def test_a_public_id_is_found_by_its_index_in_any_case(
    admin_client: Client, imported: Recommendation
) -> None:
    url = reverse("admin:recommendations_recommendation_changelist")
    with CaptureQueriesContext(connection) as captured:
        page = admin_client.get(url, {"q": f" {imported.public_id.lower()} "})
    listed = page.context["cl"].result_list
    assert [record.pk for record in listed] == [imported.pk]
    assert not [q["sql"] for q in captured if "LIKE" in q["sql"].upper()]  # no column read in full
    words = admin_client.get(url, {"q": "penalty"}).context["cl"].result_list
    assert imported in words  # other searches work as before
