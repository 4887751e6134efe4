"""The resolution page, the tracker, the citation graph, the API's mandates resource and the CLI."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from hrcoop.cli import main as hrcoop_main
from hrcoop.core.models import AuditEvent
from hrcoop.mandates.models import Mandate, Resolution
from hrcoop.mandates.services import import_resolution_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(seed_text: str) -> Resolution:
    import_resolution_text(seed_text, source="seed.txt", actor=None)
    return Resolution.objects.get(number="47/...")


def test_resolution_page_rendered_from_structure(client: Client, seed: Resolution) -> None:
    page = client.get(f"/mandates/resolutions/{seed.pk}/").content.decode()
    assert page.count('class="preambular"') == 34 and page.count('class="operative"') == 36
    assert 'id="pp8"' in page and 'id="op32"' in page
    # footnote 4 is a link at the end of para 31 and its text is listed, with its citation linked
    assert 'forty-seventh session;<sup><a href="#fn-4" id="ref-4">4</a></sup>' in page
    assert '<li id="fn-4"><sup>4</sup> <a class="citation" href="https://undocs.org/A/HRC/47/47">' in page
    link = (
        '<a class="citation" href="https://undocs.org/A/RES/70/1">'
        "General Assembly resolution 70/1 of 25 September 2015</a>"
    )
    assert link in page
    assert "on behalf of" in page and "not a member of the Council" in page
    assert '<cite class="instrument">Universal Declaration of Human Rights</cite>' in page


def test_resolution_page_links_a_stored_citation(client: Client, report_path: Path) -> None:
    from hrcoop.mandates.services import import_files

    import_files([report_path], actor=None)
    text = "The Human Rights Council,\n\nRecalling its resolution 14/6,\n\n1. *Decides* to remain seized.\n"
    import_resolution_text("15/98 Follow-up\n\n" + text, source="f.txt", actor=None)
    idp = Resolution.objects.get(number="14/6")
    citing = Resolution.objects.get(number="15/98")
    page = client.get(f"/mandates/resolutions/{citing.pk}/").content.decode()
    assert f'<a class="citation" href="/mandates/resolutions/{idp.pk}/">resolution 14/6</a>' in page
    cited_page = client.get(f"/mandates/resolutions/{idp.pk}/").content.decode()
    assert f"/mandates/resolutions/{citing.pk}/#pp1" in cited_page
    graph = client.get("/mandates/citations/").content.decode()
    assert f"/mandates/resolutions/{idp.pk}/" in graph
    decision = Resolution.objects.get(number="14/101")
    decision_page = client.get(f"/mandates/resolutions/{decision.pk}/").content.decode()
    assert '<div id="op1" class="operative">' in decision_page and "Adopts the outcome" in decision_page


def test_tracker_and_mandate_pages(client: Client, seed: Resolution) -> None:
    tracker = client.get("/mandates/", {"addressee": "HC", "due_session": "50"})
    assert tracker.status_code == 200
    mandate = Mandate.objects.get(paragraph__number="32")
    assert f"/mandates/mandate/{mandate.pk}/" in tracker.content.decode()
    page = client.get(f"/mandates/mandate/{mandate.pk}/").content.decode()
    assert "High Commissioner for Human Rights" in page and "HRC 50" in page
    assert "13 June 2022" in page


def test_tracker_summary_shows_each_deadline_once(client: Client, report_path: Path) -> None:
    from hrcoop.mandates.services import import_files

    import_files([report_path], actor=None)
    page = client.get("/mandates/").content.decode()
    summary = page[page.index('<table class="summary">') : page.index('<table id="mandates">')]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", summary, re.S)
    high_commissioner = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in rows
        if '<a href="?addressee=HC">' in row
    ]
    assert sorted(high_commissioner) == [
        "High Commissioner for Human Rights HRC 15, then annually 0 1 0",
        "High Commissioner for Human Rights HRC 17 0 1 0",
        "High Commissioner for Human Rights HRC, annually 1 0 0",
        "High Commissioner for Human Rights none given 2 0 0",
    ]


def test_tracker_with_bad_filters_says_why(client: Client) -> None:
    response = client.get("/mandates/", {"due_session": "fiftieth"})
    assert response.status_code == 400
    assert "due session must be a number" in response.content.decode()
    assert client.get("/mandates/", {"status": "late"}).status_code == 400


def test_api_mandates_resource(client: Client, seed: Resolution) -> None:
    response = client.get("/api/mandates/mandates/", {"due_session": "50", "addressee": "HC"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["paragraph"] == "32" and row["addressee"] == "HC" and row["due_session"] == 50
    assert row["paragraph_text"].startswith("Requests the High Commissioner to prepare a new report")
    assert row["status"] in {"open", "overdue"}
    everything = client.get("/api/mandates/mandates/").json()["results"]
    assert sorted(int(r["paragraph"]) for r in everything) == [21, 22, 30, 32, 36]


def test_api_bad_filter_uses_the_error_shape(client: Client) -> None:
    response = client.get("/api/mandates/mandates/", {"due_session": "soon"})
    assert response.status_code == 400
    assert response.json()["error"]["where"] == "due_session"
    assert client.get("/api/mandates/mandates/", {"status": "late"}).json()["error"]["code"] == "invalid"


def test_api_resolution_and_citations(client: Client, seed: Resolution) -> None:
    detail = client.get(f"/api/mandates/resolutions/{seed.pk}/").json()
    assert len(detail["paragraphs"]) == 70 and detail["paragraphs"][0]["anchor"] == "pp1"
    citations = client.get(f"/api/mandates/resolutions/{seed.pk}/citations/").json()
    assert len(citations["recalls"]) == 31 and citations["recalled_by"] == []


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        hrcoop_main(args)
    return int(exit_info.value.code or 0)


def test_cli_import_and_fulfil(seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    assert run(["mandates", "import", str(path)]) == 0
    (summary,) = json.loads(capsys.readouterr().out)
    assert summary["created"] == ["47/..."] and summary["mandates"] == 5
    mandate = Mandate.objects.get(paragraph__number="32")
    assert run(["mandates", "fulfil", str(mandate.pk), "A/HRC/50/19"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "fulfilled"
    assert run(["mandates", "fulfil", "999999", "A/HRC/50/19"]) == 2
    assert "no mandate with id 999999" in capsys.readouterr().err


def test_cli_rejects_a_text_that_is_not_a_resolution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Dear Sir,\n\nPlease find attached.\n", encoding="utf-8")
    assert run(["mandates", "import", str(path)]) == 2
    assert "letter.txt: not a resolution" in capsys.readouterr().err
    assert Resolution.objects.count() == 0


def test_api_fulfil_is_for_the_secretariat(seed: Resolution, django_user_model: Any) -> None:
    from rest_framework.test import APIClient

    from hrcoop.core.models import Role
    from hrcoop.core.services import grant_role

    mandate = Mandate.objects.get(paragraph__number="32")
    url = f"/api/mandates/mandates/{mandate.pk}/fulfil/"
    api = APIClient()
    refused = api.post(url, {"document_symbol": "A/HRC/50/19"}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    donor = django_user_model.objects.create_user("donor")
    grant_role(donor, Role.DONOR, scope="1", actor=None)
    api.force_authenticate(donor)
    assert api.post(url, {"document_symbol": "A/HRC/50/19"}, format="json").status_code == 403
    staff = django_user_model.objects.create_user("secretariat")
    grant_role(staff, Role.SECRETARIAT, actor=None)
    api.force_authenticate(staff)
    bad = api.post(url, {"document_symbol": "our report"}, format="json")
    assert bad.status_code == 400 and "not a UN document symbol" in bad.json()["error"]["message"]
    mandate.refresh_from_db()
    assert mandate.fulfilled_by == ""
    done = api.post(url, {"document_symbol": "A/HRC/50/19", "fulfilled_on": "2022-06-20"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["fulfilled_by"]) == ("fulfilled", "A/HRC/50/19")
    event = AuditEvent.objects.get(action="mandates.mandate_fulfilled")
    assert event.actor_label == "secretariat"


def test_mandate_page_form_for_the_secretariat(
    client: Client, seed: Resolution, django_user_model: Any
) -> None:
    from hrcoop.core.models import Role
    from hrcoop.core.services import grant_role

    mandate = Mandate.objects.get(paragraph__number="32")
    url = f"/mandates/mandate/{mandate.pk}/"
    assert 'name="document_symbol"' not in client.get(url).content.decode()
    assert client.post(url, {"document_symbol": "A/HRC/50/19"}).status_code == 403
    staff = django_user_model.objects.create_user("secretariat")
    grant_role(staff, Role.SECRETARIAT, actor=None)
    client.force_login(staff)
    assert 'name="document_symbol"' in client.get(url).content.decode()
    refused = client.post(url, {"document_symbol": "soon"})
    assert refused.status_code == 400 and "not a UN document symbol" in refused.content.decode()
    assert client.post(url, {"document_symbol": "A/HRC/50/19"}).status_code == 302
    mandate.refresh_from_db()
    assert mandate.fulfilled_by == "A/HRC/50/19" and mandate.status == "fulfilled"


def test_api_resolution_filters(client: Client, seed: Resolution) -> None:
    rows = client.get("/api/mandates/resolutions/", {"session": "47", "kind": "draft"}).json()["results"]
    assert [r["number"] for r in rows] == ["47/..."]
    assert client.get("/api/mandates/resolutions/", {"session": "48"}).json()["results"] == []
    bad = client.get("/api/mandates/resolutions/", {"kind": "treaty"})
    assert bad.status_code == 400 and bad.json()["error"]["where"] == "kind"


def test_a_bad_symbol_reads_in_french_on_the_french_page_and_in_english_at_the_command_line(
    seed: Resolution, django_user_model: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from hrcoop.core.models import Role
    from hrcoop.core.services import grant_role

    mandate = Mandate.objects.get(paragraph__number="32")
    staff = django_user_model.objects.create_user("secretariat")
    grant_role(staff, Role.SECRETARIAT, actor=None)
    client = Client()
    client.force_login(staff)
    page = client.post(f"/fr/mandates/mandate/{mandate.pk}/", {"document_symbol": "our report"})
    assert page.status_code == 400
    assert (
        "'our report' n'est pas une cote de document de l'ONU (forme attendue : A/HRC/50/19)"
        in html.unescape(page.content.decode())
    )
    capsys.readouterr()  # what the page logged
    translation.deactivate()  # as in a fresh ``hrcoop`` process: no language is active
    assert run(["mandates", "fulfil", str(mandate.pk), "our report"]) == 2
    english = "'our report' is not a UN document symbol (expected something like A/HRC/50/19)"
    assert f"error: document_symbol: {english}" in capsys.readouterr().err.splitlines()
    mandate.refresh_from_db()
    assert mandate.fulfilled_by == ""
