"""The search page as a researcher reads it: every facet value on offer, hits that say who recommended
what, a real count of pages, sorts, an error for a filter the page does not know, and exports that can
be cited."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from hrcoop.recommendations.models import Recommendation
from tests.search.exports import read_csv_export
from tests.search.registry_fixture import OTHERS, import_registry

SEARCH = "/recommendations/search/"


@pytest.fixture
def registry(reference_data: None, tmp_path: Path) -> dict[str, Any]:
    return import_registry(tmp_path)


def checkbox_values(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


@pytest.mark.django_db
def test_every_state_is_on_offer_with_a_type_ahead_box_for_the_long_list(
    registry: Any, client: Client
) -> None:
    html = client.get(SEARCH).content.decode()
    states = checkbox_values(html, "state")
    assert sorted(states) == sorted([*OTHERS, "FJI"])  # all 23, not the 12 shown first
    assert states.index("FJI") >= 12  # Fiji has the fewest: behind "show all"
    assert 'data-facet-filter="state"' in html
    assert "Show all 11 more" in html
    # A short list has every value and no type-ahead box.
    assert sorted(checkbox_values(html, "response")) == ["noted", "supported"]
    assert 'data-facet-filter="response"' not in html


@pytest.mark.django_db
def test_a_hit_names_its_recommending_state_issues_and_action_category(registry: Any, client: Client) -> None:
    html = client.get(SEARCH, {"state": "FJI", "cycle": "2", "response": "noted", "issue": "death-penalty"})
    page = html.content.decode()
    assert "1 recommendation<" in page
    hit = page[page.index('<ol class="hits"') : page.index("</ol>")]
    assert "Abolish the death penalty for all crimes" in hit
    assert re.search(r"Recommended by</dt><dd>Norway</dd>", hit)
    assert re.search(r"Issues</dt><dd>Death penalty</dd>", hit)
    assert re.search(r"Action category</dt><dd>[^<]+</dd>", hit)


@pytest.mark.django_db
def test_pages_are_counted_and_numbered_across_pages(registry: Any, client: Client) -> None:
    total = Recommendation.objects.count()
    assert total == 4 + 5 * len(OTHERS)
    pages = -(-total // 20)
    second = client.get(SEARCH, {"page": "2"}).content.decode()
    assert f"page 2 of {pages}" in second and f"Page 2 of {pages}" in second
    assert '<ol class="hits" start="21">' in second


@pytest.mark.django_db
def test_sorts_by_state_session_and_recommending_state(registry: Any, client: Client) -> None:
    def first_states(sort: str) -> list[str]:
        html = client.get(SEARCH, {"sort": sort, "response": "noted"}).content.decode()
        return re.findall(r'/recommendations/countries/([A-Z]{3})/">', html)

    by_state = first_states("state")
    names = dict(Recommendation.objects.values_list("state_under_review__iso3", "state_under_review__name"))
    assert [names[s] for s in by_state] == sorted(names[s] for s in by_state)
    by_session = client.get(SEARCH, {"sort": "session", "response": "noted"}).content.decode()
    sessions = [int(n) for n in re.findall(r"· UPR (\d+) \(", by_session)]
    assert sessions == sorted(sessions) and sessions[0] == 20
    by_recommending = client.get(SEARCH, {"sort": "recommending_state", "state": "FJI"}).content.decode()
    recommending = re.findall(r"Recommended by</dt><dd>([^<]+)</dd>", by_recommending)
    assert recommending == ["Australia", "France", "Norway", "Spain"]


@pytest.mark.django_db
def test_an_unknown_or_malformed_filter_is_an_error_on_the_page(registry: Any, client: Client) -> None:
    before = Recommendation.objects.count()
    misspelt = client.get(SEARCH, {"stat": "FJI"})
    assert misspelt.status_code == 400
    assert "Unknown filter(s) stat in the address" in misspelt.content.decode()
    for page in ("two", "0"):
        bad_page = client.get(SEARCH, {"page": page})
        assert bad_page.status_code == 400 and "page must be a whole number" in bad_page.content.decode()
    bad_cycle = client.get(SEARCH, {"cycle": "two"})
    assert bad_cycle.status_code == 400 and "is not a number" in bad_cycle.content.decode()
    french = client.get("/fr" + SEARCH, {"stat": "FJI"})
    assert "Filtre(s) inconnu(s) stat" in french.content.decode()
    assert Recommendation.objects.count() == before


@pytest.mark.django_db
def test_a_state_named_in_the_search_box_offers_made_to_and_made_by(registry: Any, client: Client) -> None:
    html = client.get(SEARCH, {"q": "fiji"}).content.decode()
    assert 'href="?state=FJI" id="made-to">Recommendations made to Fiji' in html
    assert 'href="?recommending_state=FJI" id="made-by">Recommendations made by Fiji' in html
    assert 'id="made-to"' not in client.get(SEARCH, {"q": "death penalty"}).content.decode()


@pytest.mark.django_db
def test_an_export_says_what_it_holds_its_source_terms_query_and_date(registry: Any, client: Client) -> None:
    query = {"state": "FJI", "cycle": "2", "response": "noted"}
    today = timezone.localdate().isoformat()
    xlsx = client.get("/recommendations/export/xlsx/", query)
    assert f'filename="recommendations-fiji-cycle2-noted-{today}.xlsx"' in xlsx["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert workbook.sheetnames == ["Recommendations", "Source"]
    sheet = workbook["Recommendations"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Record ID", "State under review", "Recommending State(s)", "Session"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    about = {row[0]: row[1] for row in workbook["Source"].values}
    assert about["Query"] == "State under review: Fiji; Cycle: Cycle 2; Response: Noted"
    assert "United Nations documents" in about["Terms of reuse"] and about["Exported on"] == today

    csv_export = client.get("/recommendations/export/csv/", {"recommending_state": "NOR", "q": "death"})
    name = f"recommendations-by-norway-death-{today}.csv"
    assert f'filename="{name}"' in csv_export["Content-Disposition"]
    note, rows = read_csv_export(b"".join(csv_export.streaming_content).decode("utf-8-sig"))
    assert [r["State under review"] for r in rows] == ["Fiji"]
    assert note["Source"].startswith("Recommendations of the Universal Periodic Review")
    whole = client.get("/recommendations/export/jsonl/")
    assert f'filename="recommendations-{today}.jsonl"' in whole["Content-Disposition"]
