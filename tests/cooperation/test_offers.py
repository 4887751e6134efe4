"""Offers: submission, moderation, the good-practice library, who sees what, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from hrcoop.cooperation import selectors, services
from hrcoop.cooperation.models import Offer, OfferStatus
from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent
from tests.cooperation.conftest import OFFER, World, make_offer

pytestmark = pytest.mark.django_db


def test_a_contributors_offer_waits_for_a_moderator_then_is_published(world: World) -> None:
    offer = make_offer(world)
    assert offer.status == OfferStatus.SUBMITTED
    assert offer not in selectors.published_offers()
    assert len(bytes(offer.vector)) == 512
    with pytest.raises(Forbidden):
        services.moderate_offer(offer, actor=world.users["contributor"], publish=True)
    services.moderate_offer(offer, actor=world.users["secretariat"], publish=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED and offer.published_at is not None
    assert list(events_for(offer).values_list("action", flat=True)) == [
        "cooperation.offer_submitted",
        "cooperation.offer_published",
    ]
    with pytest.raises(Conflict):
        services.moderate_offer(offer, actor=world.users["secretariat"], publish=False, note="late")


def test_declining_needs_a_reason(world: World) -> None:
    offer = make_offer(world)
    with pytest.raises(InvalidInput) as error:
        services.moderate_offer(offer, actor=world.users["secretariat"], publish=False)
    assert error.value.where == "note"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED


def test_a_states_own_offer_by_its_focal_point_is_published_at_once(world: World) -> None:
    offer = make_offer(world, "provider_focal_point", provider_kind="state", provider_name="")
    assert offer.status == OfferStatus.PUBLISHED
    with pytest.raises(Forbidden):  # not in another State's name
        make_offer(world, "other_focal_point", provider_kind="state", provider_name="")


def test_the_good_practice_library_holds_published_good_practices_only(world: World) -> None:
    practice = make_offer(world, "secretariat", kind="good_practice", evidence="Adopted by seven States")
    make_offer(world, "contributor", kind="good_practice")  # awaiting moderation
    make_offer(world, "secretariat", kind="training")
    assert list(selectors.good_practices()) == [practice]


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("other_contributor", False),
        ("other_focal_point", False),
        ("contributor", True),  # the party that submitted it
        ("secretariat", True),  # the moderators
        ("admin", True),
    ],
)
def test_an_unpublished_offer_is_seen_by_its_parties_and_moderators_only(
    world: World, who: str, sees: bool
) -> None:
    offer = make_offer(world)
    assert (offer in selectors.offers_visible_to(world.users[who])) is sees
    assert (offer in selectors.moderation_queue(world.users[who])) is (who in ("secretariat", "admin"))


def test_a_contributor_may_not_offer_in_a_states_name(world: World) -> None:
    with pytest.raises(Forbidden):
        make_offer(world, "contributor", provider_kind="state", provider_name="")
    assert Offer.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"provider_kind": ""}, "provider_kind"),
        ({"provider_kind": "ngo", "provider_name": ""}, "provider_name"),
        ({"provider_kind": "state", "provider_state": ""}, "provider_state"),
        ({"provider_state": "XXX"}, "provider_state"),
        ({"themes": ["A27", "Z99"]}, "themes"),
        ({"sdg_goals": [18]}, "sdg_goals"),
        ({"languages": ["de"]}, "languages"),
        ({"regions": ["NOWHERE"]}, "regions"),
        ({"title": ""}, "title"),
        ({"kind": "money"}, "kind"),
    ],
)
def test_bad_offers_are_refused_naming_the_field_and_change_nothing(
    world: World, changes: dict[str, Any], where: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.submit_offer(actor=world.users["secretariat"], data={**OFFER, **changes})
    assert error.value.where == where
    assert Offer.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_only_contributors_focal_points_and_the_secretariat_offer(world: World) -> None:
    with pytest.raises(Forbidden):
        services.submit_offer(actor=world.users["anonymous"], data=OFFER)
    assert Offer.objects.count() == 0
