from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.core.models import User

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client: Client) -> None:
    User.objects.create_user("focal", password="a long passphrase")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and 'for="id_username"' in page.content.decode()
    wrong = client.post("/accounts/login/", {"username": "focal", "password": "wrong"})
    assert "did not match" in wrong.content.decode()
    signed_in = client.post("/accounts/login/", {"username": "focal", "password": "a long passphrase"})
    assert signed_in.status_code == 302
    assert "focal" in client.get("/").content.decode()
    assert client.post("/accounts/logout/").status_code == 200
    assert "Sign in" in client.get("/").content.decode()
