"""A researcher's journey in Debian's Chromium, on a laptop (1,366 px) and on a phone (390 px), in
English and in French: pick Fiji from the State filter through its type-ahead box, then cycle 2,
"noted" and an issue, and download an XLSX that can be cited. No page of the journey scrolls sideways
(measured), nor do the country page's chart and the process diagram, in Arabic too (right to left).

Screenshots go to /tmp/research-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.conftest import assert_fits_and_accessible, assert_no_sideways_scroll
from tests.search.registry_fixture import import_registry

SHOTS = Path("/tmp/research-shots")
WIDTHS = {"laptop": (1366, 800), "phone": (390, 844)}
# What the journey reads in each language: the filter panel's name, the counts, the file's words.
WORDS = {
    "en": {
        "filters": "Filters",
        "four": "4 recommendations",
        "one": "1 recommendation",
        "typed": "fij",
        "norway": "Norway",
        "file": "fiji-cycle2-noted-death-penalty",
        "sheets": ["Recommendations", "Source"],
        "header": ["Record ID", "State under review", "Recommending State(s)", "Session"],
        "query": "State under review: Fiji; Cycle: Cycle 2; Response: Noted; Issue: Death penalty",
    },
    "fr": {
        "filters": "Filtres",
        "four": "4 recommandations",
        "one": "1 recommandation",
        "typed": "fidj",  # Fiji is "Fidji" on a French page
        "norway": "Norvège",
        "file": "fidji-cycle2-prise-en-note-peine-de-mort",
        "sheets": ["Recommandations", "Source"],
        "header": [
            "Identifiant de la fiche",
            "État examiné",
            "État(s) auteur(s) de la recommandation",
            "Session",
        ],
        "query": "État examiné: Fidji; Cycle: Cycle 2; Réponse: Prise en note; Thème: Peine de mort",
    },
}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_researcher_picks_fiji_cycle_2_noted_an_issue_and_downloads_a_citable_xlsx(
    language: str, device: str, reference_data: None, live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    import_registry(tmp_path)
    words = WORDS[language]
    width, height = WIDTHS[device]
    page = browser.new_page(accept_downloads=True, viewport={"width": width, "height": height})
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{live_server.url}{prefix}/recommendations/search/")
    name = f"{language}-{device}"
    heading = page.locator("#results-heading")
    assert_fits_and_accessible(page, f"{name}: search page")

    panel = page.locator("#filters-panel")
    if device == "phone":
        # The count comes first; the filters wait folded in a panel below it.
        expect(panel).not_to_have_attribute("open", "")
        assert heading.bounding_box()["y"] < panel.bounding_box()["y"]  # type: ignore[index]
        shot(page, f"{name}-1-folded")
        panel.locator("summary").first.click()
    expect(panel).to_have_attribute("open", "")

    # Fiji is not among the States shown first: the type-ahead box finds it.
    fiji = page.locator('input[name="state"][value="FJI"]')
    expect(fiji).to_be_hidden()
    page.locator('[data-facet-filter="state"]').fill(words["typed"])
    expect(fiji).to_be_visible()
    expect(page.locator('input[name="state"][value="KEN"]')).to_be_hidden()
    shot(page, f"{name}-2-type-ahead")
    fiji.focus()
    page.keyboard.press("Space")  # by keyboard
    expect(heading).to_contain_text(words["four"])
    for key, value in (("cycle", "2"), ("response", "noted"), ("issue", "death-penalty")):
        page.locator(f'input[name="{key}"][value="{value}"]').check()
        expect(page.locator(f'input[name="{key}"][value="{value}"]')).to_be_checked()
    expect(heading).to_contain_text(words["one"])
    assert "state=FJI" in page.url and "cycle=2" in page.url and "issue=death-penalty" in page.url
    hit = page.locator("ol.hits li").first
    expect(hit).to_contain_text("Abolish the death penalty for all crimes")
    expect(hit).to_contain_text(words["norway"])
    assert_fits_and_accessible(page, f"{name}: filtered results")
    shot(page, f"{name}-3-filtered")

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    today = timezone.localdate().isoformat()
    expected = f"recommendations-{words['file']}-{today}.xlsx"
    assert download.suggested_filename == expected
    path = tmp_path / expected
    download.save_as(path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == words["sheets"]
    results = workbook[words["sheets"][0]]
    assert [c.value for c in results[1]][:4] == words["header"]
    assert results.freeze_panes == "A2" and results.auto_filter.ref
    assert [row[0] for row in results.iter_rows(min_row=2, values_only=True)] != []
    about = [row for row in workbook["Source"].iter_rows(values_only=True)]
    assert about[2][1] == words["query"]
    assert today in [row[1] for row in about]

    page.goto(f"{live_server.url}{prefix}/recommendations/countries/fji/")
    expect(page.locator("figure.chart svg")).to_be_visible()
    assert_fits_and_accessible(page, f"{name}: country page")
    shot(page, f"{name}-4-country")
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_charts_and_the_process_diagram_fit_a_phone_left_to_right_and_right_to_left(
    language: str, reference_data: None, live_server: Any, browser: Browser, tmp_path: Path
) -> None:
    import_registry(tmp_path)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    prefix = "" if language == "en" else f"/{language}"
    for path, name in (
        ("/recommendations/countries/fji/", "country"),
        ("/recommendations/search/?q=death", "search"),
        ("/assistance/process/", "process"),
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        if language == "ar":
            assert page.locator("html").get_attribute("dir") == "rtl"
        assert_no_sideways_scroll(page, f"{language}: {name}")
        shot(page, f"{language}-phone-{name}")
    # The legend sits below the bars, never over them: no bar's box meets the legend's.
    page.goto(f"{live_server.url}{prefix}/recommendations/countries/fji/")
    boxes = page.evaluate(
        """() => {
        const svg = document.querySelector('figure.chart svg');
        const box = (el) => {
            const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];
        };
        const bars = [...svg.querySelectorAll('g[id^="axes_"] > g[id^="patch_"]')].slice(1).map(box);
        return {bars, legend: box(svg.querySelector('g[id^="legend_"]'))};
    }"""
    )
    left, top, right, bottom = boxes["legend"]
    assert boxes["bars"], "the chart has no bar"
    for bar_left, bar_top, bar_right, bar_bottom in boxes["bars"]:
        apart = bar_right <= left or right <= bar_left or bar_bottom <= top or bottom <= bar_top
        assert apart, (boxes["legend"], (bar_left, bar_top, bar_right, bar_bottom))
    page.close()
