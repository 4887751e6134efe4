"""Peers who did it: a similar recommendation reported implemented in a published plan, or funded
assistance for one; Southern peers first; nothing unpublished or confidential is read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField, Status
from hrcoop.assistance.services import update_request
from hrcoop.cooperation.needs import from_recommendations
from hrcoop.cooperation.peers import peers_for
from hrcoop.core.models import Role
from tests.cooperation.conftest import World, recommendation, tracker_action
from tests.factories import holder, make_allocation, make_request

pytestmark = pytest.mark.django_db

SIMILAR_TEXT = "Seek technical assistance to set up a national mechanism for reporting and follow-up"


def _funded(world: World, iso3: str, text: str, key: str, *, funded: bool = True) -> AssistanceRequest:
    """A request linked to a recommendation, with money allocated (setup only: the ledger has its tests)."""
    record = recommendation(key, world.state(iso3), text)
    request = make_request(
        world.state(iso3),
        "UPR-FTA",
        title=f"Follow-up mechanism of {iso3}",
        need="",
        status=Status.APPROVED if funded else Status.FUNDED,
        recommendations=[record.public_id],
    )
    if funded:
        make_allocation(request, 40_000_00, on=dt.date(2026, 3, 1))  # funds it
        request.refresh_from_db()
    return request


def test_states_funded_for_a_similar_recommendation_are_peers_southern_first(world: World) -> None:
    _funded(world, "PRY", SIMILAR_TEXT, "pry")
    _funded(world, "NOR", SIMILAR_TEXT + " of recommendations", "nor")
    _funded(world, "GHA", SIMILAR_TEXT, "gha", funded=False)  # asked, never funded
    _funded(world, "CHL", "Abolish the death penalty", "chl")  # funded, for something else
    [need] = from_recommendations([world.recommendations["mechanism"]])  # Fiji asks for such a mechanism
    peers = peers_for(need)
    assert [(p.state.iso3, p.south_south) for p in peers] == [("PRY", True), ("NOR", False)]
    assert peers[0].recommendation_id == "R-pry" and peers[0].similarity >= 0.5


def test_a_link_the_state_kept_confidential_is_not_read(world: World) -> None:
    request = _funded(world, "PRY", SIMILAR_TEXT, "pry")
    update_request(  # the State may keep a field confidential at any stage
        request,
        actor=holder(Role.STATE_FOCAL_POINT, "PRY"),
        data={"confidential_fields": [ConfidentialField.RECOMMENDATIONS]},
    )
    [need] = from_recommendations([world.recommendations["mechanism"]])
    assert peers_for(need) == []


def test_states_that_report_a_similar_recommendation_implemented_in_a_published_plan_are_peers(
    world: World,
) -> None:
    published = tracker_action(
        world,
        iso3="PRY",
        focal_point="provider_focal_point",
        key="pry-plan",
        recommendation_text=SIMILAR_TEXT,
        action="Run SIMORE",
        status="implemented",
        published=True,
    )
    tracker_action(  # Ghana implemented it too, but keeps its plan to itself
        world,
        iso3="GHA",
        focal_point="other_focal_point",
        key="gha-plan",
        recommendation_text=SIMILAR_TEXT,
        action="Run a tracker",
        status="implemented",
    )
    [need] = from_recommendations([world.recommendations["mechanism"]])
    [peer] = peers_for(need)
    assert (peer.state.iso3, peer.evidence, peer.plan_id, peer.south_south) == (
        "PRY",
        "implemented",
        published.cluster.plan_id,
        True,
    )
    assert peer.recommendation_id == "R-pry-plan" and peer.request_id == ""


def test_a_similar_recommendation_not_yet_implemented_makes_no_peer(world: World) -> None:
    tracker_action(
        world,
        iso3="PRY",
        focal_point="provider_focal_point",
        key="pry-plan",
        recommendation_text=SIMILAR_TEXT,
        action="Run SIMORE",
        status="in_progress",
        published=True,
    )
    [need] = from_recommendations([world.recommendations["mechanism"]])
    assert peers_for(need) == []


def test_the_need_page_and_api_show_a_tracker_peer_but_never_an_unpublished_plan(world: World) -> None:
    for iso3, focal_point, published in (
        ("PRY", "provider_focal_point", True),
        ("GHA", "other_focal_point", False),
    ):
        tracker_action(
            world,
            iso3=iso3,
            focal_point=focal_point,
            key=f"{iso3.lower()}-plan",
            recommendation_text=SIMILAR_TEXT,
            action="Run a tracker",
            status="implemented",
            published=published,
        )
    client = Client()
    page = client.get(reverse("cooperation:need", args=["recommendation", "R-mechanism"])).content.decode()
    assert "Paraguay" in page and "reports it implemented" in page
    assert "Ghana" not in page
    peers = client.get("/api/cooperation/needs/recommendation/R-mechanism/offers/").json()["peers"]
    assert [(p["state"], p["evidence"]) for p in peers] == [("PRY", "implemented")]
