"""A person chooses the language and time zone of the e-mail the platform sends them, on their account
page; an administrator can in the admin. Both go through ``core.services.set_mail_preferences``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, expect

from hrcoop.core.actions import CoreAction
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent, Role, User
from hrcoop.core.services import set_mail_preferences
from tests.conftest import assert_fits_and_accessible, records_exactly, session_cookie
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _stored(user: User) -> tuple[str, str]:
    user.refresh_from_db()
    return user.language, user.time_zone


def test_the_owner_sets_them_once_audited_with_the_old_values() -> None:
    person = make_user("focal", Role.STATE_FOCAL_POINT, "FJI")
    with records_exactly(CoreAction.MAIL_PREFERENCES_CHANGED):
        set_mail_preferences(person, language="fr", time_zone=" Pacific/Fiji ", actor=person)
    assert _stored(person) == ("fr", "Pacific/Fiji")
    assert str(person.mail_time_zone) == "Pacific/Fiji" and person.mail_language == "fr"
    event = AuditEvent.objects.get(action=CoreAction.MAIL_PREFERENCES_CHANGED)
    assert event.data == {
        "before": {"language": "", "time_zone": ""},
        "after": {"language": "fr", "time_zone": "Pacific/Fiji"},
    }
    with records_exactly():  # the same again changes nothing
        set_mail_preferences(person, language="fr", time_zone="Pacific/Fiji", actor=person)


@pytest.mark.parametrize(
    ("language", "time_zone", "where", "message"),
    [
        ("fr", "Mars/Olympus_Mons", "time_zone", "Mars/Olympus_Mons is not an IANA time zone"),
        ("fr", "UTC+3", "time_zone", "UTC+3 is not an IANA time zone"),
        ("xx", "Pacific/Fiji", "language", "'xx' is not a valid choice"),
        ("fr", "Pacific/" + "F" * 60, "time_zone", "at most 64 characters"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    language: str, time_zone: str, where: str, message: str
) -> None:
    person = make_user("focal", language="es", time_zone="America/Bogota")
    with records_exactly(), pytest.raises(InvalidInput, match=re.escape(message)) as refused:
        set_mail_preferences(person, language=language, time_zone=time_zone, actor=person)
    assert refused.value.where == where
    assert _stored(person) == ("es", "America/Bogota")


def test_only_the_owner_or_an_administrator_sets_them() -> None:
    person = make_user("focal")
    with pytest.raises(Forbidden, match="only the account's owner or an administrator"):
        set_mail_preferences(person, language="ar", time_zone="", actor=make_user("colleague"))
    set_mail_preferences(person, language="ar", time_zone="", actor=make_user("admin", Role.ADMIN))
    assert _stored(person) == ("ar", "")


def test_the_account_page_saves_them_and_shows_a_refusal_in_the_form(client: Client) -> None:
    person = make_user("focal", Role.STATE_FOCAL_POINT, "FJI")
    client.force_login(person)
    page = client.get("/fr/accounts/settings/").content.decode()
    assert 'list="time-zones"' in page and '<option value="Pacific/Fiji">' in page
    assert "La langue du site (English)" in page and ">Français</option>" in page
    refused = client.post("/fr/accounts/settings/e-mail/", {"language": "fr", "time_zone": "Fiji"})
    assert refused.status_code == 400
    assert "Fiji n'est pas un fuseau horaire IANA" in refused.content.decode().replace("&#x27;", "'")
    assert _stored(person) == ("", "")
    saved = client.post(
        "/fr/accounts/settings/e-mail/", {"language": "fr", "time_zone": "Pacific/Fiji"}, follow=True
    )
    assert saved.redirect_chain == [("/fr/accounts/settings/", 302)]
    assert [str(m) for m in saved.context["messages"]] == ["Vos préférences de courriel sont enregistrées."]
    assert _stored(person) == ("fr", "Pacific/Fiji")
    assert 'value="Pacific/Fiji"' in saved.content.decode()


def test_an_administrator_changes_them_in_the_admin_through_the_service(client: Client) -> None:
    person = make_user("focal", time_zone="Europe/Paris")
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = client.get(f"/admin/core/user/{person.pk}/change/").context["adminform"].form
    data = {
        k: v for k, v in form.initial.items() if v is not None and k not in {"groups", "user_permissions"}
    }
    data.update(
        {
            "language": "ru",
            "time_zone": "Asia/Almaty",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }
    )
    for inline in ("roles", "api_tokens"):
        data.update({f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"})
    with records_exactly(CoreAction.MAIL_PREFERENCES_CHANGED):
        response = client.post(f"/admin/core/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _stored(person) == ("ru", "Asia/Almaty")
    event = AuditEvent.objects.get(action=CoreAction.MAIL_PREFERENCES_CHANGED)
    assert event.actor == admin and event.data["before"] == {"language": "", "time_zone": "Europe/Paris"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_focal_point_sets_them_on_a_phone_in_french(live_server: Any, browser: Browser) -> None:
    person = make_user("focal", Role.STATE_FOCAL_POINT, "FJI")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_cookies([session_cookie(person, live_server.url)])
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/accounts/settings/")
    page.get_by_label("Langue des courriels").select_option("fr")
    page.get_by_label("Fuseau horaire des courriels").fill("Pacific/Fij")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".errorlist")).to_contain_text("Pacific/Fij")
    assert_fits_and_accessible(page, "e-mail preferences refused, 390 px, French")
    page.get_by_label("Fuseau horaire des courriels").fill("Pacific/Fiji")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Vos préférences de courriel sont enregistrées.")).to_be_visible()
    assert_fits_and_accessible(page, "e-mail preferences saved, 390 px, French")
    page.screenshot(path="/tmp/mail-preferences-390-fr.png", full_page=True)
    assert _stored(person) == ("fr", "Pacific/Fiji")
    context.close()
