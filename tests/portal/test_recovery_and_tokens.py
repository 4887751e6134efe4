"""Recovery codes for the second factor, and the page where a person manages their own API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect

from hrcoop.core import recovery
from hrcoop.core.errors import InvalidInput
from hrcoop.core.models import ApiToken, AuditEvent, Role, User
from hrcoop.core.tokens import create_token
from tests.conftest import assert_fits_and_accessible
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CODE = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>")


def _user(username: str, role: Role | None = None, scope: str = "") -> User:
    return make_user(username, role, scope, password=PASSWORD)


def _clerk() -> tuple[User, TOTPDevice]:
    clerk = _user("clerk", Role.SECRETARIAT)
    # Around the enrolment service (core.accounts.confirm_device): it takes a request and uses up the
    # current code of the app, which the tests here type to sign in.
    return clerk, TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)


def _signed_in(username: str) -> Client:
    """A session past the password, waiting for the second factor."""
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


# --- recovery codes ---------------------------------------------------------------------------------------


def test_enrolment_ends_on_ten_codes_shown_once_and_stored_only_as_digests() -> None:
    clerk = _user("clerk", Role.SECRETARIAT)
    client = _signed_in("clerk")
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
    done = client.post("/accounts/second-factor/", {"code": code, "next": "/assistance/queue/"})
    codes = CODE.findall(done.content.decode())
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert done["Cache-Control"] == "no-store" and 'href="/assistance/queue/"' in done.content.decode()
    stored = set(StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c for code in codes for c in (code, code.replace("-", ""))}
    assert "10 recovery codes left of 10" in client.get("/accounts/settings/").content.decode()
    assert "<li><code>" not in client.get("/accounts/settings/").content.decode()


def test_a_recovery_code_signs_in_once_and_each_use_is_audited() -> None:
    clerk, _ = _clerk()
    codes = recovery.generate_codes(clerk, actor=clerk)
    client = _signed_in("clerk")
    page = client.get("/accounts/second-factor/").content.decode()
    assert 'name="recovery_code"' in page
    # Typed as a person might: upper case, spaces for hyphens.
    typed = codes[3].upper().replace("-", " ")
    used = client.post("/accounts/second-factor/", {"recovery_code": typed, "next": "/assistance/queue/"})
    assert used.status_code == 302 and used["Location"] == "/assistance/queue/"
    assert client.get("/assistance/queue/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.recovery_code_used")
    assert event.target_id == str(clerk.pk) and event.data == {"codes_left": 9}
    assert "9 recovery codes left of 10" in client.get("/accounts/settings/").content.decode()

    again = _signed_in("clerk").post("/accounts/second-factor/", {"recovery_code": codes[3]})
    assert again.status_code == 400
    assert "this recovery code does not work: each code works once" in again.content.decode()
    assert AuditEvent.objects.filter(action="accounts.recovery_code_used").count() == 1


def test_a_wrong_or_mistyped_code_is_refused_saying_why_and_lets_nobody_in() -> None:
    clerk, _ = _clerk()
    codes = recovery.generate_codes(clerk, actor=clerk)
    client = _signed_in("clerk")
    short = client.post("/accounts/second-factor/", {"recovery_code": "abcd-efgh"})
    assert short.status_code == 400
    assert "a recovery code has 16 letters and digits in four groups" in short.content.decode()
    wrong = client.post("/accounts/second-factor/", {"recovery_code": "abcd-efgh-jkmn-pqrs"})
    assert wrong.status_code == 400 and "this recovery code does not work" in wrong.content.decode()
    assert client.get("/assistance/queue/").status_code == 302  # still sent to the second factor
    assert StaticToken.objects.filter(device__user=clerk).count() == len(codes)
    # The wrong code counts towards django-otp's throttle: guessing slows down.
    device = recovery.recovery_device(clerk)
    assert device is not None and device.throttling_failure_count == 1


def test_new_codes_replace_the_old_ones() -> None:
    clerk, _ = _clerk()
    old = recovery.generate_codes(clerk, actor=clerk)
    client = _signed_in("clerk")
    assert client.post("/accounts/second-factor/", {"recovery_code": old[0]}).status_code == 302
    made = client.post("/accounts/settings/recovery-codes/")
    new = CODE.findall(made.content.decode())
    assert made.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    event = AuditEvent.objects.filter(action="accounts.recovery_codes_generated").latest("pk")
    assert event.data == {"codes": 10, "replaced": 9}

    assert _signed_in("clerk").post("/accounts/second-factor/", {"recovery_code": new[0]}).status_code == 302
    refused = _signed_in("clerk").post("/accounts/second-factor/", {"recovery_code": old[1]})
    assert refused.status_code == 400 and "new codes replace the old ones" in refused.content.decode()


def test_an_account_without_an_authenticator_app_has_no_recovery_codes() -> None:
    fiji = _user("fiji", Role.STATE_FOCAL_POINT, "FJI")
    client = Client()
    client.force_login(fiji)
    assert "does not use a second factor" in client.get("/accounts/settings/").content.decode()
    refused = client.post("/accounts/settings/recovery-codes/", follow=True)
    assert "enrol one first" in refused.content.decode()
    assert not StaticToken.objects.exists()


# --- API tokens, from the person's own page ------------------------------------------------------------


def _token_form(**fields: Any) -> dict[str, Any]:
    return {"name": "nightly export", "scopes": ["read", "write"], "days": "30", **fields}


def test_a_person_creates_sees_and_revokes_a_token_on_their_page() -> None:
    fiji = _user("fiji", Role.STATE_FOCAL_POINT, "FJI")
    client = Client()
    client.force_login(fiji)
    assert "You have no API tokens." in client.get("/accounts/tokens/").content.decode()

    created = client.post("/accounts/tokens/", _token_form())
    page = created.content.decode()
    key = re.search(r'<code id="new-token-key" class="wrap">(hrc_[\w-]+)</code>', page)
    assert created.status_code == 200 and key is not None and created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=fiji)
    assert token.name == "nightly export" and token.scopes == ["read", "write"]
    assert (token.expires_at - token.created_at).days == 30
    assert AuditEvent.objects.filter(action="accounts.token_created", target_id=str(token.pk)).exists()

    api = Client().get("/api/assistance/requests/", HTTP_AUTHORIZATION=f"Token {key.group(1)}")
    assert api.status_code == 200
    listed = client.get("/accounts/tokens/").content.decode()
    assert key.group(1) not in listed  # shown once
    row = re.search(r"<tr><th scope=\"row\">nightly export</th>.*?</tr>", listed, re.S)
    assert row is not None
    assert token.prefix in row.group(0) and "read, write" in row.group(0)
    assert f"{timezone.localtime(token.expires_at):%Y-%m-%d}" in row.group(0)
    assert "never" not in row.group(0)  # it was used just now

    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "Token nightly export is revoked" in revoked.content.decode()
    after = Client().get("/api/assistance/requests/", HTTP_AUTHORIZATION=f"Token {key.group(1)}")
    assert after.status_code == 401
    assert AuditEvent.objects.filter(action="accounts.token_revoked", target_id=str(token.pk)).exists()


def test_a_scope_beyond_the_persons_roles_is_refused_and_nothing_is_created() -> None:
    donor = _user("donor", Role.DONOR, "1")
    client = Client()
    client.force_login(donor)
    page = client.get("/accounts/tokens/").content.decode()
    assert "Your roles allow the scopes: read." in page
    refused = client.post("/accounts/tokens/", _token_form())
    assert refused.status_code == 400
    assert "scopes: the roles of donor allow only the scopes read, not write" in refused.content.decode()
    assert not ApiToken.objects.exists()
    # The same rule holds for every caller of the service, the command line included.
    nobody = _user("nobody")
    with pytest.raises(InvalidInput, match="allow only the scopes read, not write"):
        create_token(nobody, actor=None, name="x", scopes=["write"])
    assert client.post("/accounts/tokens/", _token_form(scopes=["read"])).status_code == 200


def test_an_expiry_beyond_the_maximum_is_refused_and_nothing_is_created() -> None:
    fiji = _user("fiji", Role.STATE_FOCAL_POINT, "FJI")
    client = Client()
    client.force_login(fiji)
    for days in ("367", "0"):
        refused = client.post("/accounts/tokens/", _token_form(days=days))
        assert refused.status_code == 400
        assert "days: a token lasts from 1 to 366 days" in refused.content.decode()
    assert not ApiToken.objects.exists()
    page = client.get("/accounts/tokens/").content.decode()
    assert 'name="days" value="90"' in page and "A token lasts at most 366 days." in page


def test_another_persons_token_cannot_be_revoked_from_this_page() -> None:
    fiji = _user("fiji", Role.STATE_FOCAL_POINT, "FJI")
    token, _ = create_token(fiji, actor=fiji, name="theirs", scopes=["read"])
    other = Client()
    other.force_login(_user("ghana", Role.STATE_FOCAL_POINT, "GHA"))
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert "theirs" not in other.get("/accounts/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_account_pages_fit_a_phone(live_server: Any, browser: Browser) -> None:
    _, device = _clerk()
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
    page.locator("input[name=code]").fill(code)
    page.locator("main form:has(input[name=code]) button[type=submit]").click()
    page.goto(f"{base}/accounts/settings/")
    expect(page.locator("#recovery-codes-left")).to_have_text("You have no recovery codes yet.")
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_fits_and_accessible(page, "recovery codes at 390 px")
    page.goto(f"{base}/accounts/tokens/")
    page.fill("#id_name", "statements export for the finance office")
    page.get_by_label("write").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.locator("#new-token-key")).to_be_visible()
    assert_fits_and_accessible(page, "API tokens at 390 px")
    context.close()
