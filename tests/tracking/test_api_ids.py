"""An identifier in a tracker API path that is not a number is an object that does not exist: 404 in the
API's JSON error shape, never a 500 (found by schemathesis, ``tests/core/test_api_fuzz.py``)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.tracking.conftest import World


@pytest.mark.parametrize(
    "path",
    [
        "/api/tracking/plans/null,null/",
        "/api/tracking/plans/1e3/suggestions/",
        "/api/tracking/updates/-1/",
        "/api/tracking/institutions/null,null/",
        "/api/tracking/institutions/99999999999999999999999/",
    ],
)
def test_a_path_id_that_is_not_a_number_is_not_found(world: World, path: str) -> None:
    client = Client()
    client.force_login(world.users["focal point of the State"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
