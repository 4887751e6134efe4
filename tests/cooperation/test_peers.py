"""Peers who did it: funded assistance for a similar recommendation, Southern peers first."""

from __future__ import annotations

import datetime as dt

import pytest

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField, Status
from hrcoop.cooperation.needs import from_recommendations
from hrcoop.cooperation.peers import peers_for
from hrcoop.funds.models import Allocation
from tests.cooperation.conftest import World, make_request, recommendation

pytestmark = pytest.mark.django_db

SIMILAR_TEXT = "Seek technical assistance to set up a national mechanism for reporting and follow-up"


def _funded(world: World, iso3: str, text: str, key: str, *, funded: bool = True) -> AssistanceRequest:
    """A request linked to a recommendation, with money allocated (setup only: the ledger has its tests)."""
    request = make_request(
        world.state(iso3), title=f"Follow-up mechanism of {iso3}", need="", status=Status.FUNDED
    )
    request.recommendations.add(recommendation(key, world.state(iso3), text))
    if funded:
        Allocation.objects.create(
            fund=request.fund,
            request=request,
            amount=40_000_00,
            currency="USD",
            allocated_on=dt.date(2026, 3, 1),
        )
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
    request.confidential_fields = [ConfidentialField.RECOMMENDATIONS]
    request.save()
    [need] = from_recommendations([world.recommendations["mechanism"]])
    assert peers_for(need) == []
