"""The Reports page in Debian's Chromium, on a laptop (1,366 px) and a phone (390 px), in English and Arabic.

The secretariat asks for the para-32 report of 2021 in the page's language. The build waits in the
queue of the database task backend, the one the platform runs, and its page shows the progress and
reloads itself until a worker (``hrcoop db_worker``, run here for one batch) has built it. The
secretariat previews the report in the page and publishes it; a visitor who is not signed in then
finds it in the list with its build date and data version, reads its HTML and downloads its PDF. No
page of the journey scrolls sideways.

Screenshots go to /tmp/reports-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from playwright.sync_api import Browser, Page, expect

from hrcoop.reports.models import ReportBuild
from tests.conftest import assert_no_sideways_scroll, session_cookie
from tests.reports.conftest import Year

SHOTS = Path("/tmp/reports-shots")
WIDTHS = {"laptop": (1366, 800), "phone": (390, 844)}
WORDS = {
    "en": {
        "build": "Build",
        "queued": "Queued",
        "built": "Built, awaiting publication",
        "publish": "Publish this report",
        "published": "The report is published.",
        "title": "Implementation and enhancement of international cooperation in the field of human rights",
    },
    "ar": {
        "build": "إعداد",
        "queued": "في قائمة الانتظار",
        "built": "أُعدّ، بانتظار النشر",
        "publish": "نشر هذا التقرير",
        "published": "نُشر التقرير.",
        "title": "تنفيذ وتعزيز التعاون الدولي في ميدان حقوق الإنسان",
    },
}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def queued_tasks(settings: Any, tmp_path: Path) -> None:
    """Tasks wait in the database queue for a worker, as on a server (the suite runs them at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_the_secretariat_builds_previews_publishes_and_a_visitor_downloads(
    language: str,
    device: str,
    year_2021: Year,
    queued_tasks: None,
    live_server: Any,
    browser: Browser,
    tmp_path: Path,
) -> None:
    words = WORDS[language]
    base = live_server.url
    prefix = "" if language == "en" else f"/{language}"
    name = f"{language}-{device}"
    width, height = WIDTHS[device]
    office = browser.new_context(viewport={"width": width, "height": height})
    office.add_cookies([session_cookie(year_2021.secretariat, base)])
    office.set_default_timeout(90_000)  # the test machine is shared and often busy
    page = office.new_page()

    page.goto(f"{base}{prefix}/reports/")
    form = page.locator("form:has(select[name=kind])")
    form.locator("select[name=kind]").select_option("cooperation")
    form.locator("input[name=year]").fill("2021")
    form.locator("select[name=language]").select_option(language)
    assert_no_sideways_scroll(page, f"{name}: reports page")
    shot(page, f"{name}-1-form")
    form.get_by_role("button", name=words["build"], exact=True).click()

    # Queued: the page shows the progress and reloads itself while the worker builds the report.
    expect(page.locator("#build-status")).to_have_text(words["queued"])
    expect(page.locator("#build-progress")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    assert_no_sideways_scroll(page, f"{name}: build in progress")
    shot(page, f"{name}-2-progress")
    build = ReportBuild.objects.get()
    assert build.status == ReportBuild.Status.QUEUED
    # The page reloads itself every 2 s. A reload while the worker writes met the test's database locked
    # once (SQLite's shared in-memory cache does not wait), so a reload waits for the worker: Playwright
    # settles a routed request only when the test next calls it, here after the worker has finished.
    page.route("**/reports/builds/*/", lambda route: route.continue_())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    expect(page.locator("#build-status")).to_have_text(words["built"])  # reloaded by itself
    page.unroute("**/reports/builds/*/")
    expect(page.locator("#build-progress")).to_have_count(0)

    # The preview is the report itself, in its language, inside the page.
    preview = page.frame_locator("iframe")
    expect(preview.locator("h1")).to_have_text(words["title"])
    expect(preview.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    assert_no_sideways_scroll(page, f"{name}: preview")
    shot(page, f"{name}-3-preview")
    page.get_by_role("button", name=words["publish"]).click()
    expect(page.get_by_text(words["published"])).to_be_visible()
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.PUBLISHED

    # Anyone: the published report with its date and data version, its HTML and its PDF.
    visitor_context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    visitor_context.set_default_timeout(90_000)
    visitor = visitor_context.new_page()
    visitor.goto(f"{base}{prefix}/reports/")
    row = visitor.locator("tbody tr", has_text=build.data_version)
    expect(row).to_have_count(1)
    with translation.override(language):
        built_on = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    expect(row.locator("time")).to_have_text(built_on)
    assert_no_sideways_scroll(visitor, f"{name}: published reports")
    shot(visitor, f"{name}-4-published")
    with visitor.expect_download() as info:
        row.get_by_role("link", name="PDF").click()
    download = info.value
    assert download.suggested_filename == f"cooperation-2021-{language}-{build.pk}.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    row.get_by_role("link", name="HTML").click()
    expect(visitor.locator("h1")).to_have_text(words["title"])
    expect(visitor.locator("header.cover")).to_contain_text(build.data_version)
    assert_no_sideways_scroll(visitor, f"{name}: the report's HTML")
    shot(visitor, f"{name}-5-report")
    office.close()
    visitor_context.close()
