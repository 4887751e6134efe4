"""A newcomer's first look after ``hrcoop init --demo`` on an empty database, in Chromium, at a
laptop's width and a phone's; the screenshots go to /tmp/demo-shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hrcoop.demo.services import load_demo

SHOTS = Path("/tmp/demo-shots")


def _shot(page: Page, name: str, width: int) -> None:
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_first_run_shows_the_platform_at_work(
    reference_data: None, live_server: Any, browser: Browser, width: int
) -> None:
    assert load_demo()["loaded"]
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(90_000)  # the test machine is shared and often busy
    page = context.new_page()
    base = live_server.url

    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("631")
    expect(page.locator(".demo-notice")).to_contain_text("Demo data")
    _shot(page, "home", width)

    # A French query finds Slovenia's English recommendations by meaning.
    page.goto(f"{base}/recommendations/search/?mode=semantic&q=lutter+contre+la+discrimination+des+Roms")
    expect(page.locator("ol.hits > li").first).to_contain_text("Roma")
    _shot(page, "search-fr", width)

    page.goto(f"{base}/assistance/")
    register = page.locator("main")
    expect(register).to_contain_text("A national mechanism for implementation, reporting and follow-up")
    expect(register).to_contain_text("Access to water and sanitation in Roma settlements")
    expect(register).not_to_contain_text("Support to the Ombudsman")  # a draft is not public
    _shot(page, "register", width)

    page.goto(f"{base}/funds/DEMO-FTA/")
    expect(page.get_by_test_id("available-USD")).to_have_text("450,000.00 USD")
    expect(page.locator(".demo-record")).to_contain_text("Demo data")
    _shot(page, "fund", width)

    # The seed resolution's mandates, from the tracker to the resolution's page.
    page.goto(f"{base}/mandates/")
    expect(page.locator("table.summary")).to_contain_text("High Commissioner for Human Rights")
    _shot(page, "mandates", width)
    page.goto(f"{base}/mandates/resolutions/")
    seed = page.get_by_role("row").filter(has_text="Enhancement of international cooperation")
    seed.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(
        "enhance dialogue with representatives from non-traditional donor"
    )
    expect(page.locator(".demo-record")).to_contain_text("Demo data")
    _shot(page, "seed-resolution", width)

    # Slovenia's published implementation plan: its chart, clusters with their lead institution, and
    # the progress the focal point validated and published, in English and in French.
    for prefix, language, badge in (("", "en", "Demo data"), ("/fr", "fr", "Données de démonstration")):
        page.goto(f"{base}{prefix}/tracking/states/SVN/")
        expect(page.locator("#status-chart svg")).to_be_visible()
        nhri = page.locator("#by-cluster tr").filter(has_text="National Human Rights Institution (NHRI)")
        expect(nhri).to_contain_text("Human Rights Ombudsman of the Republic of Slovenia")
        expect(page.locator(".published-progress")).to_contain_text(["only yes means yes"])
        expect(page.locator(".demo-record")).to_contain_text(badge)
        _shot(page, f"progress-{language}", width)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_empty_pages_say_what_goes_there(
    reference_data: None, live_server: Any, browser: Browser, width: int
) -> None:
    """Without the demo (``HRCOOP_DEMO=0``), a newcomer's pages say what goes there and how."""
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(90_000)
    page = context.new_page()
    for path, name, words in (
        ("/", "empty-home", "The registry holds no recommendation yet."),
        ("/assistance/", "empty-register", "No State has submitted a request for assistance yet."),
        ("/funds/", "empty-funds", "No pledge or payment has been recorded yet."),
        ("/mandates/", "empty-mandates", "No resolution has been imported yet."),
        ("/tracking/", "empty-tracker", "No State has published its implementation plan yet."),
        ("/cooperation/", "empty-offers", "No offer of cooperation has been published yet."),
        ("/consultations/", "empty-calls", "No call for inputs has been opened yet."),
        ("/fr/tracking/", "empty-tracker-fr", "Aucun État n'a encore publié son plan de mise en œuvre."),
    ):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(".empty-state")).to_contain_text(words)
        expect(page.locator(".demo-notice")).to_have_count(0)
        _shot(page, name, width)
    context.close()
