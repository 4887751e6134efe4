from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_home_page_lists_states_and_is_translatable(reference_data: None, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Ivoire" in response.content.decode()
    assert '<a href="/recommendations/countries/KEN/">Kenya</a>' in response.content.decode()
    arabic = client.get("/ar/")
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.content.decode()


def test_home_figures_are_kept_and_follow_an_import_once_its_task_ran(
    reference_data: None, client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from hrcoop.recommendations.models import Recommendation
    from hrcoop.recommendations.services.imports import import_files
    from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2018

    import_files([write_2018(tmp_path / "a.csv", ROWS_2018[:1])], format_name="upr-info", actor=None)
    first = client.get("/").context
    assert first["stats"]["recommendations"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get("/").context["stats"]["recommendations"] == 1
    assert not any("COUNT(" in q["sql"].upper() for q in again), "the figures were kept"

    with django_capture_on_commit_callbacks(execute=True):  # the task queued as the import commits
        import_files([write_2018(tmp_path / "b.csv")], format_name="upr-info", actor=None)
    after = client.get("/").context
    assert after["stats"]["recommendations"] == Recommendation.objects.count() > 1
    kenya = next(s for s in after["states"] if s.iso3 == "KEN")
    assert kenya.received >= 1
