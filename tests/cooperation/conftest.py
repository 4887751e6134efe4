"""A small world for cooperation: States from the reference data, the vocabularies, a user per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from hrcoop.cooperation import services
from hrcoop.cooperation.models import Offer
from hrcoop.core.models import Role
from hrcoop.recommendations.models import LabelKind, Recommendation
from hrcoop.recommendations.services.vocabularies import sync_vocabularies
from hrcoop.reference.models import State
from hrcoop.tracking import services as tracking
from hrcoop.tracking.models import Action, TrackedRecommendation
from tests import factories


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    recommendations: dict[str, Recommendation] = field(default_factory=dict)

    def state(self, iso3: str) -> State:
        return State.objects.get(iso3=iso3)


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords: None) -> None:
    """Every test here signs people in: their passwords hash fast (``tests.conftest.fast_passwords``)."""


def recommendation(
    key: str, state: State, text: str, *, themes: tuple[str, ...] = (), action: str = ""
) -> Recommendation:
    """A record ``R-KEY`` with these themes and action category (labels of the vocabularies)."""
    labels = {LabelKind.THEME: list(themes), LabelKind.ACTION_CATEGORY: [action] if action else []}
    return factories.make_recommendation(f"R-{key}", state, text, identity_key=f"key-{key}", labels=labels)


@pytest.fixture
def world(reference_data: None) -> World:
    sync_vocabularies()
    world = World()
    world.users = {
        "anonymous": AnonymousUser(),
        "contributor": factories.make_user("ngo", Role.CONTRIBUTOR, email="", password="pw-ngo"),
        "other_contributor": factories.make_user(
            "other-ngo", Role.CONTRIBUTOR, email="", password="pw-other-ngo"
        ),
        "focal_point": factories.make_user(
            "fiji", Role.STATE_FOCAL_POINT, "FJI", email="", password="pw-fiji"
        ),
        "provider_focal_point": factories.make_user(
            "paraguay", Role.STATE_FOCAL_POINT, "PRY", email="", password="pw-paraguay"
        ),
        "other_focal_point": factories.make_user(
            "ghana", Role.STATE_FOCAL_POINT, "GHA", email="", password="pw-ghana"
        ),
        "secretariat": factories.make_user(
            "secretariat", Role.SECRETARIAT, email="", password="pw-secretariat"
        ),
        "admin": factories.make_user("admin", Role.ADMIN, email="", password="pw-admin"),
    }
    world.recommendations["mechanism"] = recommendation(
        "mechanism",
        world.state("FJI"),
        "Seek technical assistance to establish a national mechanism for reporting and follow-up of "
        "recommendations",
        themes=("A27",),
        action="1",
    )
    return world


OFFER = {
    "provider_kind": "ngo",
    "provider_name": "Open Follow-up Network",
    "provider_state": "PRY",
    "kind": "tool",
    "title": "SIMORE: a public system to monitor recommendations",
    "description": "Software and peer support to set up a national mechanism for reporting and follow-up "
    "that tracks the implementation of UPR and treaty body recommendations.",
    "themes": ["A27"],
    "sdg_goals": [16],
    "languages": ["es", "en"],
    "regions": [],
}


def make_offer(world: World, who: str = "contributor", **changes: Any) -> Offer:
    return services.submit_offer(actor=world.users[who], data={**OFFER, **changes})


def tracker_action(
    world: World,
    *,
    iso3: str = "FJI",
    focal_point: str = "focal_point",
    key: str,
    recommendation_text: str,
    action: str,
    status: str = "not_started",
    needs_support: bool = True,
    published: bool = False,
) -> Action:
    """A State's plan (through the tracker's own services) holding one recommendation at ``status``, in a
    cluster with one action, which needs support unless told; published only when asked."""
    actor = world.users[focal_point]
    state = world.state(iso3)
    record = recommendation(key, state, recommendation_text, themes=("A27",))
    plan = tracking.create_plan(actor=actor, state=state, title=f"Implementation plan of {state.name}")
    tracking.add_recommendations(plan, actor=actor, public_ids=[record.public_id])
    cluster = tracking.create_cluster(
        plan, actor=actor, title="Follow-up of recommendations", public_ids=[record.public_id]
    )
    institution = tracking.create_institution(
        actor=actor, state=state, name=f"Ministry of Justice {key}", kind="ministry"
    )
    made = tracking.add_action(
        cluster, actor=actor, description=action, institution=institution, needs_support=needs_support
    )
    if status != "not_started":
        tracked = TrackedRecommendation.objects.get(plan=plan, recommendation=record)
        tracking.set_status(tracked, actor=actor, status=status)
    if published:
        tracking.publish_plan(plan, actor=actor)
    return made
