"""Confidential values never reach the public: marker strings planted in every confidential field are
looked for in every public page, API response, feed and export; drafts stay with their State."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.assistance import services
from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.core.errors import Conflict, Forbidden
from hrcoop.core.money import Money
from tests.assistance.conftest import World
from tests.factories import make_request

MARKERS = {
    "need": "QXNEED71",
    "objectives": "QXOBJ72",
    "expected_results": "QXRES73",
    "priority": "QXPRIO74",
    "budget": "QXBUDGET75",
    "amount": "987,654.32",
    "partners": "QXPARTNER76",
    "consent_by": "QXCONSENTBY77",
    "consent_ref": "QXCONSENTREF78",
    "attachment": "QXATTACH79",
    "progress": "QXPROGRESS80",
    "question": "QXQUESTION81",
    "answer": "QXANSWER82",
    "recommendation": "R-supported",
}


def _confidential_request(world: World) -> AssistanceRequest:
    fp, sec, board = world.users["focal_point"], world.users["secretariat"], world.users["board"]
    outcome = services.create_request(
        actor=fp,
        state=world.state,
        fund=world.fund,
        data={
            "title": "Public title of the request",
            "need": MARKERS["need"],
            "objectives": MARKERS["objectives"],
            "expected_results": MARKERS["expected_results"],
            "priorities": [MARKERS["priority"]],
            "amount": Money(98765432, "USD"),
            "budget_lines": [{"item": MARKERS["budget"], "amount": 98765432}],
            "duration_months": 11,
            "implementing_partners": MARKERS["partners"],
            "recommendations": [MARKERS["recommendation"]],
            "confidential_fields": list(ConfidentialField.values),
        },
    )
    request = outcome.request
    services.add_attachment(
        request, actor=fp, upload=SimpleUploadedFile(f"{MARKERS['attachment']}.pdf", b"%PDF-1.4 test")
    )
    services.record_consent(
        request,
        actor=fp,
        given_by=MARKERS["consent_by"],
        given_at=timezone.now() - dt.timedelta(days=1),
        reference=MARKERS["consent_ref"],
    )
    for name, actor, reason in (
        ("submit", fp, ""),
        ("acknowledge", sec, ""),
        ("start_assessment", sec, ""),
        ("request_information", sec, MARKERS["question"]),
        ("provide_information", fp, MARKERS["answer"]),
        ("recommend", sec, "Recommended for funding"),
        ("approve", board, "Approved as requested"),
        ("fund_request", sec, ""),
        ("start_implementation", fp, ""),
    ):
        if name == "fund_request":
            services.mark_funded(request, actor=actor, allocation_reference="UPR-FTA/allocation/1")
            continue
        services.apply_transition(request, name, actor=actor, reason=reason)
    services.add_progress_report(request, actor=fp, text=MARKERS["progress"])
    return request


def _public_responses(client: Client, request: AssistanceRequest) -> dict[str, str]:
    urls = [
        reverse("assistance:register"),
        reverse("assistance:register") + "?state=FJI&fund=UPR-FTA&status=in_implementation",
        reverse("assistance:register-csv"),
        reverse("assistance:feed"),
        reverse("assistance:detail", args=[request.public_id]),
        reverse("assistance:process"),
        reverse("assistance:timeliness"),
        "/api/assistance/requests/",
        "/api/assistance/requests/?state=FJI",
        f"/api/assistance/requests/{request.public_id}/",
        "/api/assistance/timeliness/",
    ]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = (
            b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        )
    for attachment in request.attachments.all():
        url = reverse("assistance:attachment", args=[request.public_id, attachment.pk])
        assert client.get(url).status_code == 404
    return bodies


@pytest.mark.parametrize("reader", ["anonymous", "other_focal_point", "other_board"])
def test_no_confidential_value_reaches_a_reader_without_the_right(
    world: World, reader: str, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    request = _confidential_request(world)
    client = Client()
    if reader != "anonymous":
        client.force_login(world.users[reader])
    bodies = _public_responses(client, request)
    for url, body in bodies.items():
        for field, marker in MARKERS.items():
            assert marker not in body, f"{field} leaked in {url}"
    assert "Public title of the request" in bodies[reverse("assistance:register")]
    assert "Approved as requested" in bodies[reverse("assistance:detail", args=[request.public_id])]
    api = json.loads(bodies[f"/api/assistance/requests/{request.public_id}/"])
    assert api["need"] is None and api["amount"] is None and api["duration_months"] is None
    assert api["timeline"][-1]["to"] == "in_implementation"


def test_the_state_and_the_secretariat_see_the_confidential_fields(world: World, tmp_path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    request = _confidential_request(world)
    for who in ("focal_point", "secretariat", "board"):
        client = Client()
        client.force_login(world.users[who])
        page = client.get(reverse("assistance:detail", args=[request.public_id])).content.decode()
        api = client.get(f"/api/assistance/requests/{request.public_id}/").json()
        for marker in ("need", "consent_by", "progress", "question", "attachment"):
            assert MARKERS[marker] in page, (who, marker)
        assert api["need"] == MARKERS["need"] and api["amount"] == "987,654.32 USD"
        attachment = request.attachments.get()
        assert (
            client.get(reverse("assistance:attachment", args=[request.public_id, attachment.pk])).status_code
            == 200
        )


def test_drafts_stay_with_their_state(world: World) -> None:
    draft = services.create_request(
        actor=world.users["focal_point"], state=world.state, fund=world.fund, data={"title": "QXDRAFT90"}
    ).request
    other = Client()
    other.force_login(world.users["other_focal_point"])
    assert other.get(reverse("assistance:detail", args=[draft.public_id])).status_code == 404
    assert other.get(f"/api/assistance/requests/{draft.public_id}/").status_code == 404
    assert "QXDRAFT90" not in other.get("/api/assistance/requests/").content.decode()
    assert "QXDRAFT90" not in Client().get(reverse("assistance:register")).content.decode()
    response = other.patch(
        f"/api/assistance/requests/{draft.public_id}/", {"title": "hijacked"}, content_type="application/json"
    )
    assert response.status_code == 404
    response = other.post(reverse("assistance:detail", args=[draft.public_id]), {"action": "submit"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == "QXDRAFT90" and draft.status == "draft"
    own = Client()
    own.force_login(world.users["focal_point"])
    assert own.get(reverse("assistance:detail", args=[draft.public_id])).status_code == 200
    assert "QXDRAFT90" in own.get("/api/assistance/requests/").content.decode()


def test_another_states_focal_point_cannot_change_a_submitted_request(world: World) -> None:
    request = services.create_request(
        actor=world.users["focal_point"], state=world.state, fund=world.fund, data={"title": "Submitted one"}
    ).request
    services.apply_transition(request, "submit", actor=world.users["focal_point"])
    other = Client()
    other.force_login(world.users["other_focal_point"])
    response = other.post(
        f"/api/assistance/requests/{request.public_id}/transitions/", {"step": "withdraw", "reason": "x"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    response = other.post(
        f"/api/assistance/requests/{request.public_id}/consent/",
        {"given_by": "x", "given_at": "2026-01-01T00:00:00Z", "reference": "y"},
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted" and request.consent_given_by == ""


def test_only_the_fields_marked_confidential_are_hidden(world: World) -> None:
    request = services.create_request(
        actor=world.users["focal_point"],
        state=world.state,
        fund=world.fund,
        data={
            "title": "Partly open",
            "need": "An open need",
            "confidential_fields": ["implementing_partners"],
        },
    ).request
    services.apply_transition(request, "submit", actor=world.users["focal_point"])
    page = Client().get(reverse("assistance:detail", args=[request.public_id])).content.decode()
    assert "An open need" in page
    assert page.count("<em>Confidential</em>") == 1  # the partners, not the empty duration


def test_the_bulk_confidentiality_rule_agrees_with_the_single_one(world: World) -> None:
    from hrcoop.assistance.selectors import confidential_access, sees_confidential

    mine = make_request(world.state, world.fund, status="submitted")
    other_fund = make_request(
        world.state,
        world.other_fund,
        status="submitted",
    )
    other_state = make_request(
        world.other_state,
        world.fund,
        status="submitted",
    )
    for who, user in world.users.items():
        sees = confidential_access(user)
        for request in (mine, other_fund, other_state):
            assert sees(request) == sees_confidential(request, user), (who, request.public_id)


def test_the_state_may_change_what_is_confidential_after_submission_but_nothing_else(world: World) -> None:
    request = make_request(world.state, world.fund, status="under_assessment", need="QXLATE91")
    fp = world.users["focal_point"]
    assert "QXLATE91" in Client().get(reverse("assistance:register-csv")).content.decode()
    services.update_request(request, actor=fp, data={"confidential_fields": ["need"]})
    assert "QXLATE91" not in Client().get(reverse("assistance:register-csv")).content.decode()
    with pytest.raises(Conflict, match="can be edited only as a draft"):
        services.update_request(request, actor=fp, data={"need": "changed"})
    with pytest.raises(Forbidden):
        services.update_request(
            request, actor=world.users["other_focal_point"], data={"confidential_fields": []}
        )
    request.refresh_from_db()
    assert request.confidential_fields == ["need"] and request.need == "QXLATE91"
