"""The pages and the API carry the workflow end to end; the process page is the declared workflow;
reminders reach whoever acts next."""

from __future__ import annotations

import datetime as dt
from unittest.mock import patch
from xml.etree import ElementTree

from django.core import mail
from django.test import Client
from django.urls import reverse

from hrcoop.assistance.models import AssistanceRequest, Stage, StageClock, Status
from hrcoop.assistance.services import apply_transition, mark_funded
from hrcoop.assistance.tasks import send_service_level_reminders
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.models import AuditEvent
from tests.assistance.conftest import World
from tests.factories import make_request


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_api_walks_a_request_from_draft_to_closed(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    state, sec, board = _client(world, "focal_point"), _client(world, "secretariat"), _client(world, "board")
    created = state.post(
        "/api/assistance/requests/",
        {
            "state": "FJI", "fund": "UPR-FTA", "title": "Reporting database", "amount": "120,000.00",
            "currency": "USD",
            "budget_lines": [
                {"item": "Software", "amount": "100,000"}, {"item": "Training", "amount": "20,000"},
            ],
            "priorities": ["Data", "Training"], "recommendations": ["R-supported"], "duration_months": 18,
        },
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["status"] == "draft"
        and body["amount"] == "120,000.00 USD"
        and body["allowed_steps"] == ["submit"]
    )
    url = f"/api/assistance/requests/{body['public_id']}/"

    def step(client: Client, name: str, reason: str = "") -> dict:  # type: ignore[type-arg]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url + "transitions/", {"step": name, "reason": reason})
        assert response.status_code == 200, (name, response.content)
        return response.json()

    assert step(state, "submit")["due_date"]
    assert mail.outbox and "secretariat@example.org" in mail.outbox[-1].to
    step(sec, "acknowledge")
    step(sec, "start_assessment")
    assert (
        sec.post(url + "transitions/", {"step": "recommend", "reason": "ok"}).status_code == 409
    )  # no consent
    consent = state.post(
        url + "consent/", {"given_by": "Minister", "given_at": "2026-01-05T10:00:00Z", "reference": "NV/1"}
    )
    assert consent.status_code == 200
    step(sec, "recommend", "Sound plan")
    step(board, "approve_with_changes", "Training budget halved")
    mark_funded(
        AssistanceRequest.objects.get(public_id=body["public_id"]),
        actor=world.users["secretariat"],
        allocation_reference="A/1",
    )
    step(state, "start_implementation")
    assert state.post(url + "progress-reports/", {"text": "Database live", "final": True}).status_code == 201
    step(sec, "complete")
    final = step(sec, "close")
    assert final["status"] == "closed"
    assert [e["to"] for e in final["timeline"]] == [
        "submitted", "acknowledged", "under_assessment", "recommended", "approved_with_changes",
        "funded", "in_implementation", "completed", "closed",
    ]  # fmt: skip
    # create, consent, progress report and nine steps
    assert AuditEvent.objects.filter(action__startswith="assistance.").count() == 12
    assert verify_audit_chain() == []
    assert StageClock.objects.filter(completed=True).count() == 3
    rows = Client().get("/api/assistance/timeliness/").json()
    assert {r["stage"] for r in rows} == {Stage.ACKNOWLEDGEMENT, Stage.ASSESSMENT, Stage.DECISION}


def test_the_openapi_schema_describes_the_assistance_api(db: None) -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/api/assistance/requests/{public_id}/transitions/" in schema


def test_the_process_page_is_the_declared_workflow_and_the_home_page_links_it(world: World) -> None:
    page = Client().get(reverse("assistance:process")).content.decode()
    for step in TRANSITIONS.values():
        assert f'id="step-{step.name}"' in page
        assert f'data-step="{step.name}"' in page  # an arrow in the SVG
    for status in Status.values:
        assert f'data-status="{status}"' in page
    assert "Genevan" not in page and "working days" in page
    assert reverse("assistance:process") in Client().get("/").content.decode()
    svg = Client().get(reverse("assistance:process-svg"))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")


def test_role_pages(world: World) -> None:
    due = make_request(
        world.state, world.fund, status="submitted", due_date=dt.date(2026, 1, 5), title="Due first"
    )
    make_request(
        world.state, world.fund, status="acknowledged", due_date=dt.date(2026, 3, 5), title="Due later"
    )
    make_request(
        world.state, world.fund, status="recommended", due_date=dt.date(2026, 2, 5), title="For the board"
    )
    queue = _client(world, "secretariat").get(reverse("assistance:queue")).content.decode()
    assert queue.index("Due first") < queue.index("Due later") and "overdue" in queue
    agenda = _client(world, "board").get(reverse("assistance:agenda")).content.decode()
    assert "For the board" in agenda and "Due first" not in agenda
    assert (
        _client(world, "other_board")
        .get(reverse("assistance:agenda"))
        .content.decode()
        .count("For the board")
        == 0
    )
    mine = _client(world, "focal_point").get(reverse("assistance:mine")).content.decode()
    assert due.public_id in mine and "R-noted" in mine and "R-foreign" not in mine
    assert _client(world, "focal_point").get(reverse("assistance:queue")).status_code == 403


def test_the_daily_reminder_goes_to_whoever_acts_next(world: World) -> None:
    make_request(world.state, world.fund, status="submitted", due_date=dt.date(2026, 6, 1), title="Late")
    make_request(world.state, world.fund, status="recommended", due_date=dt.date(2026, 6, 3), title="Soon")
    make_request(world.state, world.fund, status="acknowledged", due_date=dt.date(2026, 8, 1), title="Later")
    with patch("django.utils.timezone.now", return_value=dt.datetime(2026, 6, 2, 6, 0, tzinfo=dt.UTC)):
        result = send_service_level_reminders.enqueue()
    assert result.return_value == {"requests": 2, "emails": 2}  # the secretariat and the board
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert "OVERDUE 2026-06-01" in by_recipient["secretariat@example.org"]
    assert "due 2026-06-03" in by_recipient["board@example.org"]
    assert "2026-08-01" not in "".join(by_recipient.values())
    assert "fiji@example.org" not in by_recipient


def test_timeliness_page(world: World) -> None:
    make_request(world.state, world.fund, status="acknowledged")  # acknowledged the day it came: on time
    page = Client().get(reverse("assistance:timeliness")).content.decode()
    assert "100%" in page and "acknowledgement" in page


def test_the_feed_carries_titles_and_reasons_as_text_never_as_markup(world: World) -> None:
    request = make_request(world.state, world.fund, title="<script>alert('x')</script> Training")
    apply_transition(request, "submit", actor=world.users["focal_point"])

    feed = ElementTree.fromstring(Client().get(reverse("assistance:feed")).content)

    [summary] = [e for e in feed.iter("{http://www.w3.org/2005/Atom}summary")]
    assert summary.get("type") == "html"
    assert summary.text is not None and summary.text.startswith(
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    )
    assert "<script>" not in summary.text
