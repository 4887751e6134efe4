"""The secretariat's journey in Debian's Chromium: it signs in (password, then the code of its
authenticator app), lands on its home, sees the overdue request first and marked, opens an approved
request and allocates from it; at 1,366 and 390 px, in English and French, never scrolling sideways."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.calendar import local_date
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.funds import services as funds
from tests.assistance.conftest import World
from tests.conftest import assert_fits_and_accessible
from tests.factories import make_request, make_user

SHOTS = Path(os.environ.get("HRCOOP_SHOTS", "/tmp/hrcoop-shots"))
WIDTHS = (1366, 390)
LANGUAGES = {"": "Funded", "/fr": "Financée"}


def _look(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _clerk(name: str) -> tuple[User, TOTPDevice]:
    user = make_user(name, Role.SECRETARIAT, email=f"{name}@ohchr.example", password="pw-" + name)
    # Around the enrolment service (core.accounts.confirm_device): it takes a request and uses up the
    # current code of the app, which the tests here type to sign in.
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretariat_sees_overdue_first_and_allocates_from_the_request(
    world: World, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    today = local_date(timezone.now())
    cashier = world.users["secretariat"]
    donor = funds.register_donor(name="Open Rights Foundation", kind="foundation", actor=cashier)
    pledge = funds.record_pledge(
        fund_code="UPR-FTA",
        donor_id=donor.pk,
        amount=Money(400_000_00, "USD"),
        pledged_on=today,
        idempotency_key="pledge",
        actor=cashier,
    )
    funds.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(400_000_00, "USD"),
        received_on=today,
        idempotency_key="receipt",
        actor=cashier,
    )
    make_request(world.state, world.fund, status=Status.INFORMATION_REQUESTED, title="Waiting for the State")
    make_request(
        world.state,
        world.fund,
        status=Status.ACKNOWLEDGED,
        due_date=today + dt.timedelta(days=8),
        title="Due later",
    )
    overdue = make_request(
        world.state,
        world.fund,
        status=Status.SUBMITTED,
        due_date=today - dt.timedelta(days=4),
        title="Late: prison monitoring",
    )

    for width in WIDTHS:
        for prefix, funded in LANGUAGES.items():
            run = f"{width}{prefix.replace('/', '-') or '-en'}"
            approved = make_request(
                world.state,
                world.fund,
                status=Status.APPROVED,
                amount=60_000_00,
                title=f"Tracking database {run}",
            )
            user, device = _clerk(f"clerk{run}")
            context = browser.new_context(viewport={"width": width, "height": 900})
            page = context.new_page()

            page.goto(f"{base}{prefix}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", "pw-" + user.username)
            page.locator("main form button[type=submit]").click()
            code = f"{totp(device.bin_key, device.step, device.t0, device.digits, 0):06d}"
            page.locator("input[name=code]").fill(code)
            page.locator("main form:has(input[name=code]) button[type=submit]").click()

            # Its home: the overdue request first in the queue, marked.
            expect(page).to_have_url(f"{base}{prefix}/my/")
            first = page.locator("#desk-secretariat ~ .scroll table.queue tbody tr").first
            expect(first).to_have_class("overdue")
            expect(first.locator("th a")).to_have_text(overdue.public_id)
            expect(first.locator("td.due")).to_be_visible()
            expect(page.locator("#overdue-count strong")).to_be_visible()
            assert_fits_and_accessible(page, f"home {run}")
            _look(page, f"secretariat-home-{run}")

            # The approved request, then Allocate from it.
            page.locator(f"a[href='{prefix}/assistance/requests/{approved.public_id}/']").first.click()
            page.locator("p.allocate a.button").click()
            expect(page.locator("#facts")).to_contain_text("60,000.00 USD")
            assert_fits_and_accessible(page, f"allocation form {run}")
            _look(page, f"secretariat-allocate-{run}")
            expect(page.locator("input[name=amount]")).to_have_value("60000.00")
            page.locator("main form button[type=submit]").click()
            expect(page).to_have_url(f"{base}{prefix}/assistance/requests/{approved.public_id}/")
            expect(page.locator("#status")).to_have_text(funded)
            assert_fits_and_accessible(page, f"funded request {run}")
            _look(page, f"secretariat-funded-{run}")
            context.close()
            assert AssistanceRequest.objects.get(pk=approved.pk).status == Status.FUNDED
