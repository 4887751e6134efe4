"""Password reset by e-mail: in the language of the page asked from, linking to the site's public
address (never the host the request came in on), and saying nothing about which addresses exist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from hrcoop.core.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a long and new passphrase 42"


@pytest.fixture
def person(settings: Any, fast_passwords: None) -> User:
    settings.SITE_URL = "https://hrcoop.example.org"
    return User.objects.create_user("amina", email="amina@fiji.example", password="the old passphrase")


def test_the_reset_mail_is_in_the_pages_language_and_links_to_the_public_address(person: User) -> None:
    asked = Client().post(
        "/fr/accounts/password_reset/", {"email": "Amina@Fiji.example"}, HTTP_HOST="127.0.0.1"
    )
    assert asked.status_code == 302 and asked["Location"] == "/fr/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.to == ["amina@fiji.example"]
    assert message.subject == "Réinitialiser votre mot de passe hrcoop"
    assert "Choisissez un nouveau mot de passe" in message.body and "amina" in message.body
    assert "127.0.0.1" not in message.body and "testserver" not in message.body
    link = re.search(r"https://hrcoop\.example\.org(/fr/accounts/reset/\S+/)", message.body)
    assert link is not None

    client = Client()
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert "Mot de passe modifié" in done.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert "expiré" in Client().get(link.group(1), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(person: User) -> None:
    asked = Client().post("/accounts/password_reset/", {"email": "nobody@nowhere.example"})
    assert asked.status_code == 302 and asked["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_the_sign_in_page_leads_to_the_reset_and_to_how_to_get_an_account(person: User) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page and 'href="/accounts/getting-an-account/"' in page
    about = Client().get("/accounts/getting-an-account/").content.decode()
    assert "the secretariat invites each person" in about and "mailto:" in about
