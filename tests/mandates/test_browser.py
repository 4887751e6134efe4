"""In a real browser: paragraph anchors and footnote links of a resolution page work; the tracker filters."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from hrcoop.mandates.models import Resolution
from hrcoop.mandates.services import import_resolution_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resolution_page_and_tracker(live_server: LiveServer, browser: Browser, seed_text: str) -> None:
    import_resolution_text(seed_text, source="seed.txt", actor=None)
    resolution = Resolution.objects.get(number="47/...")
    page = browser.new_page()
    page.goto(f"{live_server.url}/mandates/resolutions/{resolution.pk}/#op32")
    assert page.locator("#op32").is_visible()
    assert "fiftieth session" in page.locator("#op32").inner_text()
    page.locator("#op31 sup a").click()
    assert page.url.endswith("#fn-4")
    assert page.locator("#fn-4").inner_text().endswith("A/HRC/47/47.")
    page.goto(f"{live_server.url}/mandates/")
    page.get_by_label("Addressee").select_option("HC")
    page.get_by_label("Due session").fill("50")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("#mandates tbody tr")
    assert rows.count() == 1 and "47/..." in rows.first.inner_text()
    rows.first.get_by_role("link", name="32").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Mandate")
