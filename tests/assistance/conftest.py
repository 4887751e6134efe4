"""A small world for the assistance tests: two States, two funds, a user per role, requests in any status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, ProgressReport, Status
from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role
from hrcoop.core.versions import bump_version
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.recommendations.registry_version import REGISTRY
from hrcoop.recommendations.search.services import index_recommendations
from hrcoop.reference.models import Fund, Mechanism, State, UprCycle, UprSession


@dataclass
class World:
    state: State
    other_state: State
    fund: Fund
    other_fund: Fund
    users: dict[str, User | AnonymousUser] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    """PBKDF2's deliberate slowness costs about a second per user here; tests need no such protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def _user(username: str, role: Role | None = None, scope: str = "", **extra: object) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@example.org", password="pw-" + username, **extra
    )
    if role is not None:
        grant_role(user, role, scope=scope, actor=None)
    return user


@pytest.fixture
def world(db: None) -> World:
    state = State.objects.create(iso3="FJI", iso2="FJ", m49="242", name="Fiji", status="member")
    other = State.objects.create(iso3="GHA", iso2="GH", m49="288", name="Ghana", status="member")
    fund = Fund.objects.create(code="UPR-FTA", name="UPR Financial and Technical Assistance", currency="USD")
    other_fund = Fund.objects.create(code="VFTC", name="Technical Cooperation", currency="USD")
    upr = Mechanism.objects.create(code="UPR", kind="upr", name="Universal Periodic Review")
    world = World(state=state, other_state=other, fund=fund, other_fund=other_fund)
    world.users = {
        "anonymous": AnonymousUser(),
        "focal_point": _user("fiji", Role.STATE_FOCAL_POINT, "FJI"),
        "other_focal_point": _user("ghana", Role.STATE_FOCAL_POINT, "GHA"),
        "secretariat": _user("secretariat", Role.SECRETARIAT),
        "board": _user("board", Role.BOARD, "UPR-FTA"),
        "other_board": _user("board-vftc", Role.BOARD, "VFTC"),
        "admin": _user("admin", Role.ADMIN),
    }
    for key, who, response in (
        ("supported", state, Response.SUPPORTED),
        ("noted", state, Response.NOTED),
        ("foreign", other, Response.SUPPORTED),
    ):
        world.recommendations[key] = Recommendation.objects.create(
            public_id=f"R-{key}",
            identity_key=f"key-{key}",
            mechanism=upr,
            state_under_review=who,
            text=f"Strengthen the national mechanism ({key})",
            response=response,
        )
    return world


@pytest.fixture
def searchable(world: World) -> World:
    """Recommendations of two cycles to Fiji, one on the same subject to Ghana, all in the search index."""
    upr = Mechanism.objects.get(code="UPR")
    for number, session in ((1, 7), (2, 20)):
        cycle = UprCycle.objects.create(number=number, first_session=session, last_session=session + 11)
        UprSession.objects.create(number=session, cycle=cycle, year=2006 + 4 * number)
    for public_id, state, cycle, session, text in (
        ("R-prisons", world.state, 1, 7, "Improve conditions of detention in prisons"),
        ("R-torture", world.state, 2, 20, "Ratify the Convention against Torture"),
        ("R-torture-gha", world.other_state, 2, 20, "Ratify the Convention against Torture promptly"),
    ):
        world.recommendations[public_id] = Recommendation.objects.create(
            public_id=public_id,
            identity_key=f"key-{public_id}",
            mechanism=upr,
            state_under_review=state,
            cycle_id=cycle,
            session_id=session,
            text=text,
            response=Response.SUPPORTED,
        )
    bump_version(REGISTRY)  # written directly, not through an import: raise the version as one would
    index_recommendations(embed_later=False)
    return world


def make_request(
    world: World, *, status: str = Status.DRAFT, consent: bool = True, **fields: object
) -> AssistanceRequest:
    """A request put straight into ``status`` (test setup only: the services are what is under test)."""
    values: dict[str, object] = {
        "public_id": f"AR-T{AssistanceRequest.objects.count():07d}",
        "requesting_state": world.state,
        "fund": world.fund,
        "title": "National mechanism for reporting and follow-up",
        "need": "A database to track recommendations",
        "amount_requested": 5_000_000,
        "currency": "USD",
        "status": status,
        "status_changed_at": timezone.now(),
    }
    if status == Status.ON_HOLD:
        values["held_from"] = Status.UNDER_ASSESSMENT
    if status != Status.DRAFT:
        values["submitted_at"] = timezone.now() - dt.timedelta(days=1)
    if consent:
        values.update(
            consent_given_by="Minister of Justice",
            consent_given_at=timezone.now() - dt.timedelta(days=2),
            consent_reference="NV 12/2026",
        )
    values.update(fields)
    request = AssistanceRequest.objects.create(**values)
    if status == Status.IN_IMPLEMENTATION:
        ProgressReport.objects.create(request=request, text="First quarter done")
    return request
