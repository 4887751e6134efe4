"""Every error under /api/ comes back in the one documented JSON shape, never as an HTML page (defect 20)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from hrcoop.config.urls import handler500
from hrcoop.config.urls import urlpatterns as site_urls
from hrcoop.core.models import User

pytestmark = pytest.mark.django_db


def _fail(request: object) -> None:
    raise RuntimeError("a bug")


urlpatterns = [path("api/fail/", _fail), path("fail/", _fail), *site_urls]
__all__ = ["handler500", "urlpatterns"]  # this test URLconf answers errors as the site's does


def _error(response: object) -> dict[str, object]:
    assert response["Content-Type"] == "application/json"  # type: ignore[index]
    return response.json()["error"]  # type: ignore[attr-defined, no-any-return]


@pytest.mark.urls(__name__)
def test_a_server_error_in_the_api_is_json_and_a_pages_is_html() -> None:
    client = Client(raise_request_exception=False)
    error = _error(client.get("/api/fail/"))
    assert error["status"] == 500 and error["code"] == "server_error" and "a bug" not in str(error)
    page = client.get("/fail/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_body_over_the_limit_is_a_json_413(settings: pytest.FixtureRequest) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]
    client = Client()
    client.force_login(User.objects.create_user("fiji"))
    response = client.post(
        "/api/assistance/requests/", {"title": "x" * 5000}, content_type="application/json"
    )
    assert response.status_code == 413
    error = _error(response)
    assert error["code"] == "too_large" and "1,000 bytes" in str(error["message"])


def test_an_unknown_api_address_is_a_json_404() -> None:
    error = _error(Client().get("/api/no-such-endpoint/"))
    assert error["status"] == 404 and error["code"] == "not_found"
