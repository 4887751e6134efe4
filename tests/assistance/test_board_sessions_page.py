"""The secretariat schedules board sessions on a page; bad input is refused by name and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.assistance.models import BoardSession
from hrcoop.core.calendar import local_date
from hrcoop.core.models import AuditEvent
from tests.assistance.conftest import World

URL = reverse("assistance:board-sessions")


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])  # type: ignore[arg-type]
    return client


def _day(days: int) -> str:
    return (local_date(timezone.now()) + dt.timedelta(days=days)).isoformat()


def test_the_secretariat_schedules_a_session_and_it_is_audited(world: World) -> None:
    client = _client(world, "secretariat")
    answer = client.post(
        URL, {"fund": "UPR-FTA", "starts_on": _day(40), "title": "  Board   of Trustees, 42nd "}
    )
    assert answer.status_code == 302
    session = BoardSession.objects.get()
    assert (session.fund_id, session.starts_on.isoformat(), session.title) == (
        "UPR-FTA",
        _day(40),
        "Board of Trustees, 42nd",
    )
    assert AuditEvent.objects.filter(action="assistance.board_session").count() == 1
    page = client.get(URL).content.decode()
    assert "Board of Trustees, 42nd" in page and "scheduled" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fund": "UPR-FTA", "starts_on": "-1", "title": "Board 42"}, "is past"),
        ({"fund": "UPR-FTA", "starts_on": "+4000", "title": "Board 42"}, "years ahead: check the year"),
        ({"fund": "UPR-FTA", "starts_on": "2026-02-30", "title": "Board 42"}, "Enter a valid date"),
        ({"fund": "UPR-FTA", "starts_on": "+10", "title": "   "}, "This field is required"),
        ({"fund": "NOPE", "starts_on": "+10", "title": "Board 42"}, "Select a valid choice"),
        ({"fund": "UPR-FTA", "starts_on": "+30", "title": "Again"}, "already meets on"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(world: World, data: dict[str, str], message: str) -> None:
    client = _client(world, "secretariat")
    assert (
        client.post(URL, {"fund": "UPR-FTA", "starts_on": _day(30), "title": "Board 41"}).status_code == 302
    )
    before = (BoardSession.objects.count(), AuditEvent.objects.count())
    day = data["starts_on"]
    posted = {**data, "starts_on": _day(int(day)) if day[0] in "+-" else day}
    answer = client.post(URL, posted)
    assert answer.status_code in (400, 409)
    assert message in answer.content.decode()
    assert (BoardSession.objects.count(), AuditEvent.objects.count()) == before


def test_only_the_secretariat_of_the_fund_schedules(world: World) -> None:
    for who in ("board", "focal_point"):
        assert _client(world, who).get(URL).status_code == 403
        assert (
            _client(world, who).post(URL, {"fund": "UPR-FTA", "starts_on": _day(9), "title": "X"}).status_code
            == 403
        )
    assert not BoardSession.objects.exists()


def test_the_queue_never_tells_a_person_to_run_a_command(world: World) -> None:
    page = _client(world, "secretariat").get(reverse("assistance:queue")).content.decode()
    assert "hrcoop assistance" not in page and reverse("assistance:board-sessions") in page
