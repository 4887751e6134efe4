"""Each service of a request records exactly one audit event of its declared kind, each workflow step
its own, and the request's history reads as those actions' labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.assistance import services
from hrcoop.assistance.actions import STEP_ACTIONS, AssistanceAction
from hrcoop.assistance.workflow import TRANSITIONS
from tests.assistance.conftest import World
from tests.assistance.test_workflow_matrix import EXPECTED, ROLE_OF, _take
from tests.conftest import records_exactly
from tests.factories import make_request


def test_every_step_of_the_workflow_has_its_action() -> None:
    assert set(STEP_ACTIONS) == set(TRANSITIONS)
    assert all(action.value == f"assistance.{name}" for name, action in STEP_ACTIONS.items())


@pytest.mark.parametrize("step", list(EXPECTED))
def test_a_step_records_one_event_of_its_own(world: World, step: str) -> None:
    sources, actor = EXPECTED[step]
    request = make_request(world.state, world.fund, status=sorted(sources)[0])
    with records_exactly(STEP_ACTIONS[step]):
        _take(request, step, world.users[ROLE_OF[actor]])


def test_drafting_a_request_records_one_event_per_service(world: World) -> None:
    focal_point, secretariat = world.users["focal_point"], world.users["secretariat"]
    with records_exactly(AssistanceAction.CREATED):
        request = services.create_request(
            actor=focal_point, state=world.state, fund=world.fund, data={"title": "A national mechanism"}
        ).request
    with records_exactly(AssistanceAction.EDITED):
        services.update_request(
            request, actor=focal_point, data={"title": "A national mechanism for follow-up"}
        )
    with records_exactly(AssistanceAction.CONSENT_RECORDED):
        services.record_consent(
            request,
            actor=focal_point,
            given_by="Minister of Justice",
            given_at=timezone.now() - dt.timedelta(days=1),
            reference="NV 12/2026",
        )
    with records_exactly(AssistanceAction.SERVICE_LEVEL_SET):
        services.set_service_level(
            actor=secretariat, fund=world.fund, stage="acknowledgement", working_days=4
        )
    with records_exactly(AssistanceAction.BOARD_SESSION_SCHEDULED):
        services.schedule_board_session(
            actor=secretariat,
            fund=world.fund,
            starts_on=timezone.localdate() + dt.timedelta(days=30),
            title="Board of Trustees, 60th session",
        )


def test_reporting_progress_records_one_event(world: World) -> None:
    request = make_request(world.state, world.fund, status="in_implementation")
    with records_exactly(AssistanceAction.PROGRESS_REPORTED):
        services.add_progress_report(request, actor=world.users["focal_point"], text="Second quarter done")


def test_the_history_on_the_request_page_reads_as_labels(world: World) -> None:
    request = make_request(world.state, world.fund)
    services.apply_transition(request, "submit", actor=world.users["focal_point"])
    client = Client()
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("assistance:detail", args=[request.public_id])).content.decode()
    assert "<td>Request submitted</td>" in page
    assert "assistance.submit" not in page
