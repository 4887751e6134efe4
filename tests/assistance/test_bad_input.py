"""Bad input gets a clear error and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrcoop.assistance import services
from hrcoop.assistance.models import AssistanceRequest, Attachment
from hrcoop.core.errors import InvalidInput
from hrcoop.core.models import AuditEvent
from hrcoop.core.money import Money
from tests.assistance.conftest import World
from tests.factories import make_request


def _state(world: World) -> tuple[int, int, int]:
    return AssistanceRequest.objects.count(), AuditEvent.objects.count(), Attachment.objects.count()


@pytest.fixture
def api(world: World) -> Client:
    client = Client()
    client.force_login(world.users["focal_point"])
    return client


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("-5000", "USD", "greater than zero"),
        ("0", "USD", "greater than zero"),
        ("900000000000", "USD", "beyond what these funds can grant"),
        ("99999999999999999999", "USD", "beyond the largest amount"),
        ("12.345", "USD", "more decimals"),
        ("12 thousand", "USD", "not an amount"),
        ("5000", "XYZ", "unknown currency"),
    ],
)
def test_bad_amounts_are_refused_through_the_api(
    world: World, api: Client, amount: str, currency: str, message: str
) -> None:
    before = _state(world)
    response = api.post(
        "/api/assistance/requests/",
        {"state": "FJI", "fund": "UPR-FTA", "title": "Bad amount", "amount": amount, "currency": currency},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]["message"]
    assert _state(world) == before


def test_budget_lines_must_add_up(world: World) -> None:
    with pytest.raises(InvalidInput, match=r"add up to 4,000\.00 USD, not the 5,000\.00 USD"):
        services.create_request(
            actor=world.users["focal_point"],
            state=world.state,
            fund=world.fund,
            data={
                "title": "x",
                "amount": Money(500000, "USD"),
                "budget_lines": [{"item": "Workshop", "amount": 400000}],
            },
        )
    assert not AssistanceRequest.objects.exists()


def test_a_recommendation_of_another_state_is_refused(world: World, api: Client) -> None:
    request = make_request(world.state, world.fund)
    before = _state(world)
    response = api.patch(
        f"/api/assistance/requests/{request.public_id}/",
        {"recommendations": ["R-supported", "R-foreign"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "R-foreign was addressed to Ghana, not to Fiji" in response.json()["error"]["message"]
    assert _state(world) == before
    assert not request.recommendations.exists()


def test_a_noted_recommendation_is_linked_with_a_warning(world: World, api: Client) -> None:
    request = make_request(world.state, world.fund)
    response = api.patch(
        f"/api/assistance/requests/{request.public_id}/",
        {"recommendations": ["R-noted"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "R-noted was noted, not supported" in response.json()["warnings"][0]
    assert list(request.recommendations.values_list("public_id", flat=True)) == ["R-noted"]


def test_an_unknown_recommendation_is_refused(world: World) -> None:
    request = make_request(world.state, world.fund)
    with pytest.raises(InvalidInput, match="no recommendation has the id R-nowhere"):
        services.update_request(
            request, actor=world.users["focal_point"], data={"recommendations": ["R-nowhere"]}
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.exe", b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, "is a program"),
        ("notes.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "is a program"),
        ("run.sh", b"#!/bin/sh\nrm -rf /\n", "not accepted"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
    ],
)
def test_executables_and_disguised_files_are_refused(
    world: World, api: Client, name: str, content: bytes, message: str, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    request = make_request(world.state, world.fund)
    before = _state(world)
    response = api.post(
        f"/api/assistance/requests/{request.public_id}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert _state(world) == before
    assert not any(tmp_path.rglob("*.*"))


def test_a_50_mb_attachment_is_refused(world: World, api: Client, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    request = make_request(world.state, world.fund)
    before = _state(world)
    big = SimpleUploadedFile("annex.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    response = api.post(f"/api/assistance/requests/{request.public_id}/attachments/", {"file": big})
    assert response.status_code == 400
    assert "50.0 MB; the limit is 10 MB" in response.json()["error"]["message"]
    assert _state(world) == before


@pytest.mark.parametrize("step", ["approve", "approve_with_changes", "decline"])
def test_a_decision_without_reasons_is_refused(world: World, step: str) -> None:
    request = make_request(world.state, world.fund, status="recommended")
    client = Client()
    client.force_login(world.users["board"])
    before = _state(world)
    response = client.post(
        f"/api/assistance/requests/{request.public_id}/transitions/", {"step": step, "reason": "  "}
    )
    assert response.status_code == 400
    assert "give the reasons" in response.json()["error"]["message"]
    assert _state(world) == before
    request.refresh_from_db()
    assert request.status == "recommended"


def test_an_unknown_step_and_a_stale_version_are_refused(world: World) -> None:
    request = make_request(world.state, world.fund, status="submitted")
    client = Client()
    client.force_login(world.users["secretariat"])
    url = f"/api/assistance/requests/{request.public_id}/transitions/"
    assert client.post(url, {"step": "teleport"}).status_code == 400
    response = client.post(url, {"step": "acknowledge", "version": request.version + 1})
    assert response.status_code == 409
    assert "changed since you opened it" in response.json()["error"]["message"]
    request.refresh_from_db()
    assert request.status == "submitted"


def test_edits_after_submission_are_refused(world: World) -> None:
    request = make_request(world.state, world.fund, status="acknowledged")
    client = Client()
    client.force_login(world.users["focal_point"])
    response = client.patch(
        f"/api/assistance/requests/{request.public_id}/",
        {"title": "Changed"},
        content_type="application/json",
    )
    assert response.status_code == 409
    request.refresh_from_db()
    assert request.title != "Changed"


def test_an_attachment_name_longer_than_200_characters_is_refused_and_leaves_no_file(
    world: World, api: Client, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    """Defect 14: the name overflowed its column on PostgreSQL (500) after the file was written."""
    settings.MEDIA_ROOT = tmp_path
    request = make_request(world.state, world.fund)
    before = _state(world)
    name = "a" * 250 + ".pdf"
    response = api.post(
        f"/api/assistance/requests/{request.public_id}/attachments/",
        {"file": SimpleUploadedFile(name, b"%PDF-1.4 annex")},
    )
    assert response.status_code == 400
    assert "254 characters long; the limit is 200" in response.json()["error"]["message"]
    assert _state(world) == before
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.django_db
def test_a_consent_dated_before_the_united_nations_is_refused(world: World) -> None:
    """Issue 19, defect 21: a consent dated year 1 was accepted (a typing error in the year)."""
    import datetime as dt

    request = make_request(world.state, world.fund)
    before, consent = _state(world), request.consent_given_at
    year_one = dt.datetime(1, 1, 2, 12, tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="check the year") as refused:
        services.record_consent(
            request,
            actor=world.users["focal_point"],
            given_by="Minister",
            given_at=year_one,
            reference="NV/1",
        )
    assert refused.value.where == "given_at"
    request.refresh_from_db()
    assert request.consent_given_at == consent and _state(world) == before
