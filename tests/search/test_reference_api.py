"""The States and reference lists (``reference.api``) are keyed by the reference data's own version:
a change to the records leaves their ETag (and cached answers) as they were; a change to a reference
row gives them a new one."""

from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.corrections import update_recommendation
from hrcoop.reference.models import State
from hrcoop.reference.services import update_reference_row

pytestmark = pytest.mark.django_db


def test_states_follow_reference_changes_and_not_record_changes(
    corpus: dict[str, Recommendation], client: Client
) -> None:
    first = client.get("/api/states/ken/")
    assert first.status_code == 200 and first["ETag"]
    mechanisms = client.get("/api/reference/mechanisms/")

    update_recommendation(corpus["woman"], actor=None, changes={"text": "Protect every woman's rights"})
    assert client.get("/api/states/ken/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/reference/mechanisms/", HTTP_IF_NONE_MATCH=mechanisms["ETag"]).status_code == 304

    update_reference_row(State.objects.get(iso3="KEN"), actor=None, changes={"name": "Republic of Kenya"})
    second = client.get("/api/states/ken/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second.json()["name"] == "Republic of Kenya"
