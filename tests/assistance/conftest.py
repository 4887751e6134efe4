"""A small world for the assistance tests: two States, two funds, a user per role. Requests in any status
come from ``tests.factories.make_request``, which walks the workflow to it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser

from hrcoop.core.models import Role, User
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.reference.models import Fund, State, UprCycle, UprSession
from hrcoop.reference.services import create_reference_row
from tests.factories import make_fund, make_recommendation, make_state, make_user


@dataclass
class World:
    state: State
    other_state: State
    fund: Fund
    other_fund: Fund
    users: dict[str, User | AnonymousUser] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords: None) -> None:
    """Every test here signs people in: their passwords hash fast (``tests.conftest.fast_passwords``)."""


@pytest.fixture
def world(db: None) -> World:
    state = make_state("FJI", "FJ", "242", "Fiji")
    other = make_state("GHA", "GH", "288", "Ghana")
    fund = make_fund("UPR-FTA", "UPR Financial and Technical Assistance")
    other_fund = make_fund("VFTC", "Technical Cooperation")
    world = World(state=state, other_state=other, fund=fund, other_fund=other_fund)
    world.users = {
        "anonymous": AnonymousUser(),
        "focal_point": make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password="pw-fiji"),
        "other_focal_point": make_user("ghana", Role.STATE_FOCAL_POINT, "GHA", password="pw-ghana"),
        "secretariat": make_user("secretariat", Role.SECRETARIAT, password="pw-secretariat"),
        "board": make_user("board", Role.BOARD, "UPR-FTA", password="pw-board"),
        "other_board": make_user("board-vftc", Role.BOARD, "VFTC", password="pw-board-vftc"),
        "admin": make_user("admin", Role.ADMIN, password="pw-admin"),
    }
    for key, who, response in (
        ("supported", state, Response.SUPPORTED),
        ("noted", state, Response.NOTED),
        ("foreign", other, Response.SUPPORTED),
    ):
        world.recommendations[key] = make_recommendation(
            f"R-{key}",
            who,
            f"Strengthen the national mechanism ({key})",
            identity_key=f"key-{key}",
            response=response,
        )
    return world


@pytest.fixture
def searchable(world: World) -> World:
    """Recommendations of two cycles to Fiji, one on the same subject to Ghana, all in the search index."""
    for number, session in ((1, 7), (2, 20)):
        cycle = create_reference_row(
            UprCycle,
            actor=None,
            values={"number": number, "first_session": session, "last_session": session + 11},
        )
        create_reference_row(
            UprSession, actor=None, values={"number": session, "cycle": cycle, "year": 2006 + 4 * number}
        )
    for public_id, state, cycle, session, text in (
        ("R-prisons", world.state, 1, 7, "Improve conditions of detention in prisons"),
        ("R-torture", world.state, 2, 20, "Ratify the Convention against Torture"),
        ("R-torture-gha", world.other_state, 2, 20, "Ratify the Convention against Torture promptly"),
    ):
        world.recommendations[public_id] = make_recommendation(
            public_id,
            state,
            text,
            identity_key=f"key-{public_id}",
            cycle_id=cycle,
            session_id=session,
            response=Response.SUPPORTED,
        )
    return world
