"""Accounts that resist guessing: Argon2, password rules, lockout, the second factor, tokens, invitations."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hrcoop.core.errors import Forbidden
from hrcoop.core.models import ApiToken, AuditEvent, Role, RoleAssignment, User
from hrcoop.core.tokens import create_token, revoke_token
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_passwords_are_hashed_with_argon2_and_checked_by_the_validators() -> None:
    user = make_user("focal", password=PASSWORD)
    assert user.password.startswith("argon2$")
    for weak in ("short", "password123456", "12345678901234", "focal@example.org"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password(PASSWORD, user)


def test_an_account_is_locked_after_five_failed_sign_ins_even_with_the_right_password() -> None:
    make_user("focal", password=PASSWORD)
    client = Client()
    for _ in range(4):
        assert client.post("/accounts/login/", {"username": "focal", "password": "guess"}).status_code == 200
    locked = client.post("/accounts/login/", {"username": "focal", "password": "guess"})
    assert locked.status_code == 429
    assert "it is locked for 30 minutes" in locked.content.decode()
    right = client.post("/accounts/login/", {"username": "focal", "password": PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    # Another address is not locked out by someone else's guesses at this account.
    other = Client(REMOTE_ADDR="192.0.2.9").post(
        "/accounts/login/", {"username": "focal", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_basic_auth_guessing_on_the_api_locks_the_account_too() -> None:
    make_user("focal", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    client = Client()
    wrong = "Basic " + base64.b64encode(b"focal:guess").decode()
    right = "Basic " + base64.b64encode(f"focal:{PASSWORD}".encode()).decode()
    assert client.get("/api/assistance/requests/", HTTP_AUTHORIZATION=right).status_code == 200
    statuses = [
        client.get("/api/assistance/requests/", HTTP_AUTHORIZATION=wrong).status_code for _ in range(5)
    ]
    refused = client.get("/api/assistance/requests/", HTTP_AUTHORIZATION=right)
    assert statuses == [401, 401, 401, 401, 429] and refused.status_code == 429
    assert refused.json()["error"] == {
        "status": 429,
        "code": "locked_out",
        "message": (
            "Too many failed sign-ins for this account from your address: it is locked for 30 minutes."
        ),
        "where": "",
    }


def test_the_secretariat_without_a_verified_device_cannot_reach_the_queue() -> None:
    make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    client = Client()
    assert client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}).status_code == 302
    queue = client.get("/assistance/queue/")
    assert queue.status_code == 302 and queue["Location"].startswith("/accounts/second-factor/?next=")
    api = client.get("/api/assistance/requests/")
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor"
    basic = "Basic " + base64.b64encode(f"clerk:{PASSWORD}".encode()).decode()
    assert Client().get("/api/assistance/requests/", HTTP_AUTHORIZATION=basic).status_code == 401


def test_enrolment_shows_a_qr_code_and_the_secret_then_a_code_lets_the_person_in() -> None:
    clerk = make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    page = client.get("/accounts/second-factor/?next=/assistance/queue/").content.decode()
    assert "<svg" in page
    secret = re.search(r'<code id="totp-secret">([A-Z2-7=]+)</code>', page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert base64.b32decode(secret.group(1)) == device.bin_key

    wrong = client.post("/accounts/second-factor/", {"code": "000000", "next": "/assistance/queue/"})
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
    done = client.post("/accounts/second-factor/", {"code": code, "next": "/assistance/queue/"})
    # It ends on the recovery codes, shown once, and a link on to where the person was going.
    assert done.status_code == 200 and 'href="/assistance/queue/"' in done.content.decode()
    assert client.get("/assistance/queue/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.second_factor_enrolled", target_id=str(clerk.pk)
    ).exists()

    # The next sign-in asks for a code from the enrolled device, and no new secret is shown.
    later = Client()
    later.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    verify = later.get("/accounts/second-factor/").content.decode()
    assert "totp-secret" not in verify and "<svg" not in verify
    device.refresh_from_db()
    # The code of the next time step (within the one step of tolerance): a code is accepted only once.
    next_code = f"{totp(device.bin_key, device.step, device.t0 - device.step, device.digits, 0):06d}"
    assert later.post("/accounts/second-factor/", {"code": next_code}).status_code == 302
    assert later.get("/assistance/queue/").status_code == 200


def test_a_focal_point_needs_no_second_factor() -> None:
    make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"username": "fiji", "password": PASSWORD})
    assert client.get("/assistance/mine/").status_code == 200


def _token_header(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_token_reads_in_its_owners_name_and_writes_only_with_the_write_scope() -> None:
    fiji = make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    _, read_key = create_token(fiji, actor=fiji, name="reader", scopes=["read"], days=30)
    client = Client()
    assert client.get("/api/assistance/requests/", **_token_header(read_key)).status_code == 200
    refused = client.post(
        "/api/assistance/requests/", {}, content_type="application/json", **_token_header(read_key)
    )
    assert refused.status_code == 403 and "may only read" in refused.json()["error"]["message"]
    _, write_key = create_token(fiji, actor=fiji, name="writer", scopes=["read", "write"], days=30)
    bad_input = client.post(
        "/api/assistance/requests/",
        {"title": ""},
        content_type="application/json",
        **_token_header(write_key),
    )
    assert bad_input.status_code == 400  # past authentication: the request itself is refused


def test_an_expired_revoked_or_unknown_token_is_refused() -> None:
    fiji = make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    token, key = create_token(fiji, actor=fiji, name="nightly", scopes=["read"], days=1)
    client = Client()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.get("/api/assistance/requests/", **_token_header(key))
    assert expired.status_code == 401 and "expired" in expired.json()["error"]["message"]
    token2, key2 = create_token(fiji, actor=fiji, name="nightly", scopes=["read"], days=1)
    revoke_token(token2, actor=fiji)
    revoked = client.get("/api/assistance/requests/", **_token_header(key2))
    assert revoked.status_code == 401 and "revoked" in revoked.json()["error"]["message"]
    assert client.get("/api/assistance/requests/", **_token_header("hrc_nonsense")).status_code == 401
    assert not ApiToken.objects.filter(key_hash__contains=key[4:20]).exists()  # only a digest is kept


def test_only_the_owner_or_an_administrator_creates_a_token() -> None:
    fiji = make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    other = make_user("other", Role.STATE_FOCAL_POINT, "GHA", password=PASSWORD)
    with pytest.raises(Forbidden):
        create_token(fiji, actor=other, name="x", scopes=["read"])
    assert not ApiToken.objects.exists()


def test_the_secretariat_invites_a_focal_point_who_sets_a_password_once(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://hrcoop.example.org"
    make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/accounts/invite/",
            {"email": "Official@Fiji.example", "role": "state_focal_point", "scope": "FJI"},
        )
    assert sent.status_code == 302
    invited = User.objects.get(username="official@fiji.example")
    assert not invited.is_active and not invited.has_usable_password()
    assert RoleAssignment.objects.filter(user=invited, role="state_focal_point", scope="FJI").exists()
    [message] = mail.outbox
    # The site's public address, never the host the request came in on.
    link = re.search(r"https://hrcoop\.example\.org(/accounts/invitation/\S+/)", message.body)
    assert link is not None

    person = Client()
    form = person.get(link.group(1), follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    weak = person.post(form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and not User.objects.get(pk=invited.pk).is_active
    done = person.post(
        form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert "Your password is set: sign in." in done.content.decode()
    assert (
        person.post(
            "/accounts/login/", {"username": "official@fiji.example", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert "used already, or it expired" in Client().get(link.group(1), follow=True).content.decode()
    assert AuditEvent.objects.filter(action="accounts.invitation_accepted").count() == 1


def test_the_secretariat_cannot_invite_an_administrator_nor_a_focal_point_invite_anyone() -> None:
    make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    clerk = Client()
    clerk.force_login(User.objects.get(username="clerk"))
    refused = clerk.post("/accounts/invite/", {"email": "boss@example.org", "role": "admin"})
    assert refused.status_code == 403
    fiji = Client()
    fiji.force_login(User.objects.get(username="fiji"))
    assert fiji.get("/accounts/invite/").status_code == 403
    assert not User.objects.filter(username="boss@example.org").exists() and mail.outbox == []


def test_the_second_factor_page_reads_in_french() -> None:
    make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    client = Client()
    client.post("/fr/accounts/login/", {"username": "clerk", "password": PASSWORD})
    page = client.get("/fr/accounts/second-factor/").content.decode()
    assert "Second facteur" in page and "application d'authentification" in page
    wrong = client.post("/fr/accounts/second-factor/", {"code": "12"}).content.decode()
    assert "tapez les 6 chiffres" in wrong


def test_an_invitation_without_the_scope_its_role_needs_is_refused_and_changes_nothing() -> None:
    make_user("clerk", Role.SECRETARIAT, password=PASSWORD)
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    events = AuditEvent.objects.count()
    response = client.post(
        "/accounts/invite/", {"email": "official@fiji.example", "role": "state_focal_point"}
    )
    assert response.status_code == 400 and "scope: This role needs a scope" in response.content.decode()
    assert not User.objects.filter(email="official@fiji.example").exists()
    assert AuditEvent.objects.count() == events and mail.outbox == []


def test_tokens_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from tests.conftest import run_cli

    make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password=PASSWORD)
    code, out, _ = run_cli(capsys, "tokens", "create", "fiji", "--name", "nightly", "--scope", "read")
    created = json.loads(out)
    assert code == 0 and created["scopes"] == ["read"] and created["key"].startswith(created["prefix"])
    assert Client().get("/api/assistance/requests/", **_token_header(created["key"])).status_code == 200
    code, out, _ = run_cli(capsys, "tokens", "revoke", created["prefix"])
    assert code == 0 and json.loads(out)["revoked"] is True
    assert Client().get("/api/assistance/requests/", **_token_header(created["key"])).status_code == 401
    code, _, err = run_cli(capsys, "tokens", "create", "fiji", "--name", "x", "--scope", "admin")
    assert code == 2 and "scopes must be one or more of read, write" in err
