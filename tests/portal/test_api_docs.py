from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_and_self_contained_docs(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()  # served from our static files: works on a closed network


def test_the_api_root_lists_every_apps_endpoints(client: Client) -> None:
    root = client.get("/api/", HTTP_ACCEPT="application/json")
    assert root.status_code == 200
    listed = {url.removeprefix("http://testserver") for url in root.json().values()}
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    # Every endpoint that needs no id, of every app (the others are reached from these).
    assert {p for p in schema["paths"] if "{" not in p} | {"/api/schema/", "/api/docs/"} == listed
    for endpoint in (
        "/api/recommendations/",
        "/api/states/",
        "/api/reference/labels/",
        "/api/assistance/requests/",
        "/api/funds/",
        "/api/mandates/mandates/",
    ):
        assert endpoint in listed
    assert client.get("/api/.json").json() == root.json()
    assert "/api/funds/donors/" in client.get("/api/", HTTP_ACCEPT="text/html").content.decode()
