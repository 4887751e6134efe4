"""A recommendation imported while pending is the same record once an export brings its response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.models import User
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.selectors import registry_stats
from hrcoop.recommendations.services.corrections import update_recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import committed
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db

DEATH_PENALTY = "Abolish the death penalty"
OPCAT = "Ratify the Optional Protocol to the Convention against Torture"


def rows(response: str, *texts: str, by: str = "France") -> list[tuple[str, ...]]:
    return [("Kenya", text, by, response, "5", "Death penalty", "22") for text in texts]


def imported(path: Path) -> dict[str, Any]:
    with committed():  # and indexed, as shortly after a real import
        [report] = import_files([path], format_name="upr-info", actor=None)
    return report


def records() -> dict[str, tuple[str, str]]:
    """Text -> (public id, response) of every record."""
    return {r.text: (r.public_id, r.response) for r in Recommendation.objects.all()}


def answered_then_corrected(
    stem: Path, answer: str, correction: dict[str, str], *, actor: User | None = None
) -> Recommendation:
    """A record imported pending from STEM-before.csv, answered by STEM-after.csv, then corrected."""
    imported(write_2018(stem.with_name(f"{stem.name}-before.csv"), rows("", DEATH_PENALTY)))
    imported(write_2018(stem.with_name(f"{stem.name}-after.csv"), rows(answer, DEATH_PENALTY)))
    record = Recommendation.objects.get()
    update_recommendation(record, actor=actor, changes=correction)
    return record


def found_with_response(response: str) -> int:
    return search(SearchParams.from_query_dict({"response": [response]})).count


def test_the_answer_completes_the_pending_record_and_keeps_its_public_id(
    reference_data: None, tmp_path: Path
) -> None:
    first = imported(write_2018(tmp_path / "before.csv", rows("", DEATH_PENALTY, OPCAT)))
    assert first["records_created"] == 2  # an empty response: exported before the State responded
    ids = {text: public_id for text, (public_id, _) in records().items()}
    assert found_with_response("pending") == 2

    answered = rows("Supported", DEATH_PENALTY) + rows("Noted", OPCAT)
    report = imported(write_2018(tmp_path / "after.csv", answered))

    assert report["records_created"] == 0 and report["responses_recorded"] == 2
    assert report["records_updated"] == 2
    assert records() == {
        DEATH_PENALTY: (ids[DEATH_PENALTY], Response.SUPPORTED),
        OPCAT: (ids[OPCAT], Response.NOTED),
    }
    assert sorted((c["public_id"], c["response"]["to"]) for c in report["change_samples"]) == sorted(
        [(ids[DEATH_PENALTY], "supported"), (ids[OPCAT], "noted")]
    )
    assert registry_stats()["by_response"]["pending"] == 0
    assert verify_audit_chain() == []  # the answers' events are chained like any other
    assert (found_with_response("pending"), found_with_response("supported")) == (0, 1)  # the index follows

    again = imported(write_2018(tmp_path / "after-again.csv", answered))
    assert again["records_created"] == 0 and again["responses_recorded"] == 0
    assert again["records_unchanged"] == 2 and Recommendation.objects.count() == 2


def test_an_older_pending_export_read_later_changes_nothing(reference_data: None, tmp_path: Path) -> None:
    imported(write_2018(tmp_path / "after.csv", rows("Supported", DEATH_PENALTY) + rows("Noted", OPCAT)))
    answered = records()

    report = imported(write_2018(tmp_path / "before.csv", rows("Pending", DEATH_PENALTY, OPCAT, by="Spain")))

    assert report["records_created"] == 0 and report["responses_recorded"] == 0
    assert records() == answered  # no record goes back to pending, and none is added
    assert report["records_updated"] == 2  # Spain joins each as a recommending State
    assert {s.iso3 for r in Recommendation.objects.all() for s in r.recommending_states.all()} == {
        "FRA",
        "ESP",
    }


def test_a_recommendation_answered_in_two_ways_keeps_one_record_per_response(
    reference_data: None, tmp_path: Path
) -> None:
    imported(write_2018(tmp_path / "before.csv", rows("", DEATH_PENALTY)))
    [(pending_id, _)] = records().values()

    report = imported(
        write_2018(
            tmp_path / "after.csv",
            rows("Supported", DEATH_PENALTY, by="France") + rows("Noted", DEATH_PENALTY, by="Spain"),
        )
    )

    assert report["responses_recorded"] == 1 and report["records_created"] == 1
    by_response = {r.response: r for r in Recommendation.objects.all()}
    assert set(by_response) == {Response.SUPPORTED, Response.NOTED}
    assert by_response[Response.SUPPORTED].public_id == pending_id  # the first row's answer continues it
    assert {s.iso3 for s in by_response[Response.NOTED].recommending_states.all()} == {"ESP"}


def test_the_record_page_tells_when_it_was_imported_answered_and_corrected(
    reference_data: None, tmp_path: Path, client: Client
) -> None:
    officer = User.objects.create_user("officer-x", password="pw-officer-1")
    record = answered_then_corrected(
        tmp_path / "session-22", "Supported", {"response": Response.NOTED, "paragraph": "12"}, actor=officer
    )

    page = client.get(f"/recommendations/{record.public_id}/").content.decode()
    history = page[page.index("<h2>History</h2>") :]

    steps = [" ".join(li.split()) for li in history.split("<li>")[1:4]]
    assert "imported from session-22-before.csv" in steps[0]
    assert "response recorded: Supported (it was pending), from session-22-after.csv" in steps[1]
    assert "corrected by the secretariat: paragraph, response (Supported &rarr; Noted)" in steps[2]
    assert "officer-x" not in page  # who corrected it is in the audit log, not on the public page


def test_an_answer_entered_by_the_secretariat_is_found_by_the_export_that_brings_it(
    reference_data: None, tmp_path: Path
) -> None:
    imported(write_2018(tmp_path / "before.csv", rows("", DEATH_PENALTY)))
    record = Recommendation.objects.get()
    update_recommendation(record, actor=None, changes={"response": Response.SUPPORTED})

    report = imported(write_2018(tmp_path / "after.csv", rows("Supported", DEATH_PENALTY, by="Spain")))

    assert report["records_created"] == 0 and report["responses_recorded"] == 0
    assert [(r.public_id, r.response) for r in Recommendation.objects.all()] == [
        (record.public_id, Response.SUPPORTED)
    ]
    assert {s.iso3 for s in record.recommending_states.all()} == {"FRA", "ESP"}


def test_the_api_gives_the_same_history_in_codes(
    reference_data: None, tmp_path: Path, client: Client
) -> None:
    record = answered_then_corrected(tmp_path / "s22", "Noted", {"response": Response.SUPPORTED_IN_PART})

    history = client.get(f"/api/recommendations/{record.public_id}/").json()["history"]

    assert [{k: v for k, v in step.items() if k != "at"} for step in history] == [
        {
            "kind": "imported",
            "file": "s22-before.csv",
            "corrected_fields": [],
            "response_from": None,
            "response_to": None,
        },
        {
            "kind": "response_recorded",
            "file": "s22-after.csv",
            "corrected_fields": [],
            "response_from": "pending",
            "response_to": "noted",
        },
        {
            "kind": "corrected",
            "file": "",
            "corrected_fields": ["response"],
            "response_from": "noted",
            "response_to": "supported_in_part",
        },
    ]
    assert history[0]["at"] <= history[1]["at"] <= history[2]["at"]
    listed = client.get("/api/recommendations/", {"q": "death"}).json()["results"]
    assert [r["public_id"] for r in listed] == [record.public_id] and "history" not in listed[0]


def test_a_conflict_in_the_answering_file_names_the_record_it_continues(
    reference_data: None, tmp_path: Path
) -> None:
    imported(write_2018(tmp_path / "before.csv", rows("", DEATH_PENALTY)))
    [(pending_id, _)] = records().values()
    spain_says_4 = ("Kenya", DEATH_PENALTY, "Spain", "Supported", "4", "Death penalty", "22")
    answered = [*rows("Supported", DEATH_PENALTY, by="France"), spain_says_4]

    report = imported(write_2018(tmp_path / "after.csv", answered))

    assert report["action_category_conflicts"] == 1
    assert report["conflict_samples"] == [{"row": 3, "public_id": pending_id, "kept": "5", "ignored": "4"}]
