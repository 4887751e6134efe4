"""The pages a person meets when something is missing, refused or broken: in their language, in the site."""

from __future__ import annotations

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import Client
from django.urls import path

from hrcoop.config.urls import urlpatterns as site_urls
from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_in_the_readers_language(client: Client) -> None:
    response = client.get("/fr/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr"' in page and "Page introuvable" in page and 'href="/fr/"' in page
    assert "Resolver404" not in page


def test_a_refusal_says_why_in_the_readers_language(client: Client) -> None:
    official = User.objects.create_user("fiji")
    grant_role(official, Role.STATE_FOCAL_POINT, scope="FJI", actor=None)
    client.force_login(official)
    response = client.get("/ar/assistance/queue/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'dir="rtl"' in page and "غير مسموح" in page  # "Not allowed"
    assert "The queue is the secretariat" not in page  # the reason is translated too


def _fail(request: object) -> None:
    raise RuntimeError("a bug")


urlpatterns = [*i18n_patterns(path("fail/", _fail)), *site_urls]


@pytest.mark.urls(__name__)
def test_a_server_error_page_stands_alone_in_the_readers_language() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/es/fail/")
    assert response.status_code == 500
    assert "Error del servidor" in response.content.decode()
