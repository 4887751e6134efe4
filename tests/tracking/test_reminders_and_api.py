"""Reminders to institutions whose update is due (in the institution's language), and the API's writes
with the same rules as the pages."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from hrcoop.tracking.models import Institution, Plan, ProgressUpdate
from hrcoop.tracking.tasks import due_actions, send_progress_reminders
from tests.tracking.conftest import JUSTICE_ACTION, OMBUDSMAN_ACTION, World


def test_an_institution_whose_update_is_due_is_reminded_in_its_language(world: World) -> None:
    Institution.objects.filter(pk=world.justice.pk).update(language="fr")
    # The justice action's last update is of 2025-06-01; the ombudsman's action has none and the plan
    # is new, so only the justice ministry is due, 90 days after its last update.
    assert [a.description for actions in due_actions(dt.date(2025, 8, 29)).values() for a in actions] == []
    due = due_actions(dt.date(2025, 8, 30))
    assert {i.name: [a.description for a in actions] for i, actions in due.items()} == {
        "Ministry of Justice": [JUSTICE_ACTION]
    }
    result = send_progress_reminders.call()
    assert result == {"institutions": 1, "emails": 1}
    [message] = mail.outbox
    assert sorted(message.to) == ["justice@example.org", "moj@fj.example"]
    assert message.subject == "[hrcoop] 1 action attend votre point d'avancement"
    assert "Ministry of Justice : ces actions" in message.body
    assert f"/tracking/plans/{world.plan.pk}/" in message.body
    assert OMBUDSMAN_ACTION not in message.body


def test_api_progress_then_review_then_publish(world: World) -> None:
    member, focal_point = world.users["institution member"], world.users["focal point of the State"]
    api = APIClient()
    api.force_authenticate(member)  # type: ignore[arg-type]
    posted = api.post(
        "/api/tracking/updates/",
        {"action": world.actions["justice"].pk, "reported_on": "2025-09-01", "text": "Hearings held"},
        format="json",
    )
    assert posted.status_code == 201, posted.content
    refused = api.post(
        "/api/tracking/updates/",
        {"action": world.actions["ombudsman"].pk, "reported_on": "2025-09-01", "text": "Not ours"},
        format="json",
    )
    assert refused.status_code == 404  # the member cannot see the other institution's action at all
    bad_date = api.post(
        "/api/tracking/updates/",
        {"action": world.actions["justice"].pk, "reported_on": "2025-02-30", "text": "x"},
        format="json",
    )
    assert bad_date.status_code == 400 and bad_date.json()["error"]["where"] == "reported_on"
    assert (
        api.post(f"/api/tracking/updates/{posted.json()['id']}/review/", {"validated": True}).status_code
        == 403
    )

    api.force_authenticate(focal_point)  # type: ignore[arg-type]
    reviewed = api.post(
        f"/api/tracking/updates/{posted.json()['id']}/review/",
        {"validated": True, "public": True},
        format="json",
    )
    assert reviewed.json()["review"] == ProgressUpdate.Review.VALIDATED
    assert Client().get(f"/api/tracking/plans/{world.plan.pk}/").status_code == 404
    assert api.post(f"/api/tracking/plans/{world.plan.pk}/publish/", {}, format="json").status_code == 200
    assert Plan.objects.get(pk=world.plan.pk).published_at is not None
    public = Client().get(f"/api/tracking/plans/{world.plan.pk}/").json()
    updates = [u["text"] for c in public["clusters"] for a in c["actions"] for u in a["updates"]]
    assert "Hearings held" in updates and all(
        u["author"] is None for c in public["clusters"] for a in c["actions"] for u in a["updates"]
    )


def test_api_suggestions_then_accept(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    api = APIClient()
    api.force_authenticate(focal_point)  # type: ignore[arg-type]
    suggested = api.get(f"/api/tracking/plans/{world.plan.pk}/suggestions/").json()
    assert [s["recommendations"] for s in suggested] == [["R-3"]]
    accepted = api.post(
        f"/api/tracking/plans/{world.plan.pk}/clusters/",
        {"clusters": [{"title": "Treaties", "recommendations": ["R-3"]}]},
        format="json",
    )
    assert accepted.status_code == 201
    assert [c["title"] for c in accepted.json()["clusters"]][-1] == "Treaties"
    assert accepted.json()["unclustered"] == []
    api.force_authenticate(world.users["focal point of another State"])  # type: ignore[arg-type]
    assert api.get(f"/api/tracking/plans/{world.plan.pk}/suggestions/").status_code == 404
