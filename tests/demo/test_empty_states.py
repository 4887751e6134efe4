"""Pages with nothing yet say what goes there, and show how to bring it in to whoever may do it."""

from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role

pytestmark = pytest.mark.django_db


def _page(path: str, role: Role | None = None, scope: str = "") -> str:
    client = Client()
    if role is not None:
        user = User.objects.create_user(f"user-{role.value}", password="x")
        grant_role(user, role, scope=scope, actor=None)
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", ["/", "/recommendations/search/"])
def test_an_empty_registry_shows_the_import_commands_to_an_administrator_only(
    reference_data: None, path: str
) -> None:
    public = _page(path)
    assert "The registry holds no recommendation yet." in public
    assert "hrcoop import" not in public
    assert "An operator of this site brings them in" in public
    admin = _page(path, Role.ADMIN)
    assert "hrcoop import upr-info FILE..." in admin and "docs/registry_import.md" in admin


def test_an_empty_register_offers_a_focal_point_the_form(reference_data: None) -> None:
    public = _page("/assistance/")
    assert "No State has submitted a request for assistance yet." in public
    assert 'href="/assistance/new/"' not in public
    assert 'href="/assistance/new/"' in _page("/assistance/", Role.STATE_FOCAL_POINT, "SVN")


def test_an_empty_ledger_tells_the_secretariat_how_to_record_a_pledge(reference_data: None) -> None:
    assert "No pledge or payment has been recorded yet." in _page("/funds/")
    assert "Record a pledge" not in _page("/funds/")
    assert "Record a pledge" in _page("/funds/", Role.SECRETARIAT)


def test_an_empty_mandate_tracker_shows_the_import_command_to_an_administrator(reference_data: None) -> None:
    assert "No resolution has been imported yet." in _page("/mandates/")
    assert "hrcoop mandates import FILE..." in _page("/mandates/", Role.ADMIN)


def test_an_empty_tracker_shows_a_focal_point_how_to_start_a_plan(reference_data: None) -> None:
    public = _page("/tracking/")
    assert "No State has published its implementation plan yet." in public
    assert "A State's focal point starts it" in public and "POST /api/tracking/plans/" not in public
    focal_point = _page("/tracking/", Role.STATE_FOCAL_POINT, "SVN")
    assert "POST /api/tracking/plans/" in focal_point and 'href="/api/docs/"' in focal_point


def test_no_offer_yet_offers_the_form_to_whoever_may_offer(reference_data: None) -> None:
    public = _page("/cooperation/")
    assert "No offer of cooperation has been published yet." in public
    assert 'href="/cooperation/offers/new/"' not in public
    assert 'href="/cooperation/offers/new/"' in _page("/cooperation/", Role.CONTRIBUTOR)


def test_no_call_yet_offers_the_secretariat_the_form(reference_data: None) -> None:
    public = _page("/consultations/")
    assert "No call for inputs has been opened yet." in public
    assert 'href="/consultations/new/"' not in public
    assert 'href="/consultations/new/"' in _page("/consultations/", Role.SECRETARIAT)


def test_the_empty_states_go_once_there_is_something(reference_data: None) -> None:
    from hrcoop.demo.services import load_demo

    load_demo()
    for path, words in (
        ("/", "The registry holds no recommendation yet."),
        ("/assistance/", "No State has submitted a request"),
        ("/funds/", "No pledge or payment has been recorded yet."),
        ("/mandates/", "No resolution has been imported yet."),
        ("/tracking/", "No State has published its implementation plan yet."),
    ):
        assert words not in _page(path), path


def test_the_empty_states_and_the_demo_notice_speak_french(reference_data: None) -> None:
    from hrcoop.demo.services import load_demo

    assert "Le registre ne contient encore aucune recommandation." in _page("/fr/")
    load_demo()
    assert "Données de démonstration" in _page("/fr/")
