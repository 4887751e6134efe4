"""A small world for the tracker's tests: two States, two institutions of the first (each leading a
cluster with one action), a user per reader of the access table, and progress in each review state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from hrcoop.core.models import Role, User
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.reference.models import Fund, State
from hrcoop.tracking import services
from hrcoop.tracking.models import Action, Cluster, Institution, Plan, ProgressUpdate
from tests.factories import make_fund, make_recommendation, make_state, make_user

# Words that appear in exactly one place of the world, so a test can tell whose data an answer holds.
JUSTICE_ACTION = "Draft the anti-discrimination bill with the justice ministry"
OMBUDSMAN_ACTION = "Train ombudsman staff on complaints of discrimination"
SUBMITTED_TEXT = "Submitted draft awaiting review quokka"
PRIVATE_TEXT = "Internal note kept private wombat"
PUBLIC_TEXT = "The bill went to parliament on 3 March"


@dataclass
class World:
    state: State
    other_state: State
    fund: Fund
    plan: Plan
    justice: Institution
    ombudsman: Institution
    clusters: dict[str, Cluster] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    updates: dict[str, ProgressUpdate] = field(default_factory=dict)
    users: dict[str, User | AnonymousUser] = field(default_factory=dict)
    recommendations: list[Recommendation] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords: None) -> None:
    """Every test here signs people in: their passwords hash fast (``tests.conftest.fast_passwords``)."""


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    state = make_state("FJI", "FJ", "242", "Fiji")
    other = make_state("GHA", "GH", "288", "Ghana")
    fund = make_fund("UPR-FTA", "UPR Financial and Technical Assistance")
    recommendations = [
        make_recommendation(
            f"R-{n}",
            state,
            text,
            identity_key=f"key-{n}",
            paragraph=f"98.{n}",
            source_id=f"A/HRC/99/1 para 98.{n}",
            response=Response.SUPPORTED,
        )
        for n, text in enumerate(
            [
                "Adopt a comprehensive anti-discrimination law",
                "Strengthen the ombudsman's mandate to receive complaints",
                "Ratify the Convention on enforced disappearance",
            ],
            start=1,
        )
    ]
    make_recommendation("R-foreign", other, "x", identity_key="key-foreign")
    focal_point = make_user("fiji", Role.STATE_FOCAL_POINT, "FJI", password="pw-fiji")
    justice = services.create_institution(
        actor=focal_point,
        state=state,
        name="Ministry of Justice",
        kind="ministry",
        contact_email="moj@fj.example",
    )
    ombudsman = services.create_institution(
        actor=focal_point, state=state, name="Ombudsman", kind="nhri", contact_email="ombuds@fj.example"
    )
    member = make_user("justice", Role.INSTITUTION_MEMBER, str(justice.pk), password="pw-justice")
    plan = services.create_plan(actor=focal_point, state=state, title="Fiji UPR implementation plan")
    services.add_recommendations(plan, actor=focal_point, public_ids=[r.public_id for r in recommendations])
    world = World(state=state, other_state=other, fund=fund, plan=plan, justice=justice, ombudsman=ombudsman)
    world.recommendations = recommendations
    world.clusters["justice"] = services.create_cluster(
        plan, actor=focal_point, title="Equality", public_ids=["R-1"]
    )
    world.clusters["ombudsman"] = services.create_cluster(
        plan, actor=focal_point, title="National human rights institution", public_ids=["R-2"]
    )
    services.assign_institutions(world.clusters["justice"], actor=focal_point, lead=justice)
    services.assign_institutions(world.clusters["ombudsman"], actor=focal_point, lead=ombudsman)
    world.actions["justice"] = services.add_action(
        world.clusters["justice"],
        actor=focal_point,
        description=JUSTICE_ACTION,
        institution=justice,
        starts_on=dt.date(2025, 1, 1),
        due_on=dt.date(2026, 12, 31),
    )
    world.actions["ombudsman"] = services.add_action(
        world.clusters["ombudsman"], actor=focal_point, description=OMBUDSMAN_ACTION, institution=ombudsman
    )
    action = world.actions["justice"]
    day = dt.date(2025, 6, 1)
    world.updates["submitted"] = services.post_progress(
        action, actor=member, reported_on=day, text=SUBMITTED_TEXT
    )
    public = services.post_progress(
        action,
        actor=member,
        reported_on=day,
        text=PUBLIC_TEXT,
        documents=[SimpleUploadedFile("bill.pdf", b"%PDF-1.4 the bill", content_type="application/pdf")],
    )
    world.updates["validated_public"] = services.review_progress(
        public, actor=focal_point, validate=True, public=True
    )
    private = services.post_progress(action, actor=member, reported_on=day, text=PRIVATE_TEXT)
    world.updates["validated_private"] = services.review_progress(private, actor=focal_point, validate=True)
    world.users = {
        "institution member": member,
        "focal point of the State": focal_point,
        "focal point of another State": make_user(
            "ghana", Role.STATE_FOCAL_POINT, "GHA", password="pw-ghana"
        ),
        "secretariat": make_user("secretariat", Role.SECRETARIAT, password="pw-secretariat"),
        "public": AnonymousUser(),
    }
    return world
