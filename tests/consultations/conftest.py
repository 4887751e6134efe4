"""A small world for the consultation tests: a report mandate, one open call with three questions, and
a user for each reader (the desk, two States' focal points, a contributor, an invitee, a stranger)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from hrcoop.consultations import services
from hrcoop.consultations.models import Call, Question
from hrcoop.consultations.services import QuestionSpec
from hrcoop.core.models import Role, User
from hrcoop.mandates.models import Mandate
from hrcoop.reference.models import State
from tests.factories import make_resolution, make_user

# Words found in exactly one answer, so a test can tell which answer a page or a file holds.
PUBLIC_WORDS = "Our national mechanism coordinates reporting"
SECRET_WORDS = "Confidential budget figures wombat"
NGO_WORDS = "Civil society was not consulted on the plan"


@dataclass
class World:
    mandate: Mandate
    call: Call
    questions: list[Question]
    state: State
    other_state: State
    users: dict[str, User] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords: None) -> None:
    """Every test here signs people in: their passwords hash fast (``tests.conftest.fast_passwords``)."""


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def report_mandate() -> Mandate:
    """A report mandate like para 32 of the seed resolution, without reading the seed's text."""
    resolution = make_resolution(
        "47/1",
        "Enhancement of international cooperation in the field of human rights",
        {
            32: "*Requests* the High Commissioner to prepare a new report on the work of the Office, and"
            " to submit the report to the Human Rights Council at its fiftieth session;"
        },
    )
    return resolution.mandates.get(kind=Mandate.Kind.REPORT)


THREE_QUESTIONS = [
    QuestionSpec(kind="text", text="How does your State cooperate with others on human rights?"),
    QuestionSpec(
        kind="choice", text="Do you have a national mechanism for reporting?", choices=["Yes", "No"]
    ),
    QuestionSpec(kind="number", text="How many recommendations did you implement since 2021?"),
]


def open_test_call(mandate: Mandate, desk: User, *, days: int = 10, **flags: bool) -> Call:
    return services.open_call(
        actor=desk,
        mandate=mandate,
        title="Call for inputs: the report under resolution 47/1, para 32",
        deadline=timezone.now() + dt.timedelta(days=days),
        questions=THREE_QUESTIONS,
        languages=["en", "fr", "es"],
        **flags,
    )


@pytest.fixture
def world(reference_data: None) -> World:
    mandate = report_mandate()
    users = {
        "desk": make_user("desk", Role.SECRETARIAT, password="pw-desk"),
        "focal": make_user("focal", Role.STATE_FOCAL_POINT, "FRA", password="pw-focal"),
        "other_focal": make_user("other_focal", Role.STATE_FOCAL_POINT, "DEU", password="pw-other_focal"),
        "ngo": make_user("ngo", Role.CONTRIBUTOR, "Cooperation Watch", password="pw-ngo"),
        "invitee": make_user("invitee", password="pw-invitee"),
        "stranger": make_user("stranger", password="pw-stranger"),
    }
    call = open_test_call(mandate, users["desk"])
    services.invite(call, actor=users["desk"], user=users["invitee"], language="fr")
    return World(
        mandate=mandate,
        call=call,
        questions=list(call.questions.all()),
        state=State.objects.get(iso3="FRA"),
        other_state=State.objects.get(iso3="DEU"),
        users=users,
    )
