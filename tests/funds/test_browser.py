"""The secretariat records a pledge and its payment in Chromium; the public then sees the fund's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from hrcoop.core.models import User
from hrcoop.funds.models import Donor, Pledge
from tests.conftest import session_cookie


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretariat_records_a_pledge_and_its_payment(
    secretariat: User,
    donors: dict[str, Donor],
    live_server: Any,
    browser: Browser,
) -> None:
    base = live_server.url
    context = browser.new_context()
    context.add_cookies([session_cookie(secretariat, base)])
    context.set_default_timeout(90_000)  # the test machine is shared and often busy
    page = context.new_page()
    page.goto(f"{base}/funds/VFTC/")
    page.get_by_role("link", name="Record a pledge").click()
    page.get_by_label("Donor").select_option(label="Qatar")
    page.get_by_label("Amount").fill("250,000")
    page.get_by_label("Currency").fill("USD")
    page.get_by_label("Pledged on").fill("2026-03-02")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("250,000.00 USD recorded")

    page.get_by_role("link", name="Record money received").click()
    page.get_by_label("Amount received").fill("100,000")
    page.get_by_label("Currency received").fill("EUR")
    page.get_by_label("Received on").fill("2026-04-01")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".errorlist")).to_contain_text("needs an exchange rate")
    page.get_by_label("Exchange rate").fill("1.08")
    page.get_by_label("Date of the rate").fill("2026-04-01")
    page.get_by_label("Source of the rate").fill("UN operational rate of exchange")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("status")).to_contain_text("100,000.00 EUR")

    public_context = browser.new_context()
    public_context.set_default_timeout(90_000)
    public = public_context.new_page()
    public.goto(f"{base}/funds/VFTC/")
    expect(public.get_by_test_id("available-EUR")).to_have_text("100,000.00 EUR")
    expect(public.locator("#donors").locator("..")).to_contain_text("Qatar")
    pledge = Pledge.objects.get()
    assert pledge.receipts.get().pledge_amount == 10_800_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_fit_a_phone_in_both_directions(
    secretariat: User, donors: dict[str, Donor], make_request: Any, live_server: Any, browser: Browser
) -> None:
    """Wide tables and the process diagram scroll inside the page; the page itself never pans sideways."""
    from hrcoop.core.money import Money
    from hrcoop.funds import services

    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["qatar"].pk,
        amount=Money(25_000_000, "USD"),
        pledged_on=dt.date(2026, 1, 5),
        idempotency_key="phone",
        actor=secretariat,
    )
    services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(25_000_000, "USD"),
        received_on=dt.date(2026, 2, 5),
        idempotency_key="phone-paid",
        actor=secretariat,
    )
    make_request()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(90_000)
    page = context.new_page()
    too_wide = {}
    for prefix in ("", "/ar"):
        for path in ("/", "/funds/VFTC/", "/assistance/", "/assistance/process/", "/funds/"):
            page.goto(f"{live_server.url}{prefix}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                too_wide[prefix + path] = width
    assert too_wide == {}
