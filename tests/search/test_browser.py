"""The whole path of a reader in Debian's Chromium: search, narrow by two facets, open a record,
follow a similar recommendation, download the CSV of the results, and read the Arabic page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from hrcoop.recommendations.search.services import embed
from tests.search.exports import read_csv_export


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_search_narrow_open_follow_similar_download_and_arabic(
    corpus: dict[str, Any],
    live_server: Any,
    browser: Browser,
    tmp_path: Any,
) -> None:
    embed()  # the vectors the background task computes as records arrive
    base = live_server.url
    page = browser.new_page(accept_downloads=True)
    # The Content-Security-Policy allows no inline script or style: Chromium reports any it refuses.
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base}/recommendations/search/")
    page.get_by_label("Search terms").fill("rights OR women OR death")
    page.get_by_role("button", name="Search", exact=True).click()
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("6 recommendations")

    # Two facets; with htmx each change swaps the results and pushes a shareable URL.
    page.locator('input[name="state"][value="KEN"]').check()
    expect(heading).to_contain_text("3 recommendations")
    page.locator('input[name="issue"][value="womens-rights"]').check()
    expect(heading).to_contain_text("2 recommendations")
    assert "state=KEN" in page.url and "issue=womens-rights" in page.url
    expect(page.locator("ol.hits mark").first).to_be_visible()
    search_url = page.url

    # Download the CSV of exactly these results.
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    path = tmp_path / "results.csv"
    info.value.save_as(path)
    _note, rows = read_csv_export(path.read_bytes().decode("utf-8-sig"))
    assert {r["Record ID"] for r in rows} == {corpus["cedaw"].public_id, corpus["woman"].public_id}
    assert all(r["State under review"] == "Kenya" for r in rows)

    # Open a record, then follow its most similar recommendation.
    page.goto(search_url)
    first = page.locator("a.hit-link").first
    opened = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(opened)
    similar = page.locator("a.similar-link").first
    expect(similar).to_be_visible()
    similar.click()
    expect(page.locator("h1")).not_to_contain_text(opened)
    expect(page.locator("blockquote.text")).to_be_visible()

    # Arabic, right to left.
    page.goto(f"{base}/ar/recommendations/search/?q=%D8%A7%D9%84%D9%85%D8%B1%D8%A3%D8%A9")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    expect(page.locator("ol.hits mark").first).to_be_visible()
    page.goto(f"{base}/recommendations/countries/KEN/")  # the chart, drawn as inline SVG
    expect(page.locator("svg").first).to_be_visible()
    assert refused == []
