"""The provider edits its offer (a material change to a published offer is moderated again) and
withdraws it; others are refused; bad input changes nothing; every change is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrcoop.cooperation import services
from hrcoop.cooperation.models import Offer, OfferStatus
from hrcoop.cooperation.selectors import published_offers
from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from tests.cooperation.conftest import OFFER, World, make_offer, recommendation

pytestmark = pytest.mark.django_db


def _published(world: World, who: str = "contributor", **changes: Any) -> Offer:
    offer = make_offer(world, who, **changes)
    if offer.status != OfferStatus.PUBLISHED:
        offer = services.moderate_offer(offer, actor=world.users["secretariat"], publish=True)
    return offer


def _edit(world: World, offer: Offer, who: str = "contributor", **changes: Any) -> Offer:
    return services.edit_offer(
        offer, actor=world.users[who], data={**services.offer_values(offer), **changes}
    )


def test_a_practical_detail_changes_at_once_and_is_audited(world: World) -> None:
    offer = _published(world)
    edited = _edit(world, offer, capacity="Two missions a year", regions=["GRULAC"])
    assert edited.status == OfferStatus.PUBLISHED and edited.capacity == "Two missions a year"
    assert [r.code for r in edited.regions.all()] == ["GRULAC"]
    event = events_for(offer).get(action="cooperation.offer_edited")
    assert event.data == {"changed": ["capacity", "regions"], "material": [], "status": "published"}


@pytest.mark.parametrize(
    "change",
    [
        {"title": "SIMORE Plus"},
        {"description": "Something else entirely: training of judges."},
        {"themes": ["A27", "A41"]},
        {"evidence": "Used by seven countries"},
        {"provider_name": "Another network"},
    ],
)
def test_a_material_change_to_a_published_offer_awaits_moderation_again(
    world: World, change: dict[str, Any]
) -> None:
    offer = _published(world)
    edited = _edit(world, offer, **change)
    assert (edited.status, edited.published_at) == (OfferStatus.SUBMITTED, None)
    assert offer not in published_offers()
    services.moderate_offer(edited, actor=world.users["secretariat"], publish=True)
    assert offer in published_offers()


def test_a_new_title_gets_a_new_vector(world: World) -> None:
    offer = _published(world)
    edited = _edit(world, offer, title="Training of prison staff on the Nelson Mandela Rules")
    assert bytes(edited.vector) != bytes(offer.vector)


def test_a_states_own_offer_edited_by_its_focal_point_stays_published(world: World) -> None:
    offer = _published(world, "provider_focal_point", provider_kind="state", provider_name="")
    edited = _edit(world, offer, "provider_focal_point", title="SIMORE, as Paraguay runs it")
    assert edited.status == OfferStatus.PUBLISHED and edited.published_at == offer.published_at


def test_a_declined_offer_once_edited_awaits_moderation_again(world: World) -> None:
    offer = services.moderate_offer(
        make_offer(world), actor=world.users["secretariat"], publish=False, note="Say who pays"
    )
    edited = _edit(world, offer, cost_sharing="The network pays its experts")
    assert edited.status == OfferStatus.SUBMITTED


def test_an_edit_that_changes_nothing_writes_nothing(world: World) -> None:
    offer = _published(world)
    _edit(world, offer)
    assert not events_for(offer).filter(action="cooperation.offer_edited").exists()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"themes": ["Z99"]}, "themes"),
        ({"provider_state": "XXX"}, "provider_state"),
        ({"provider_kind": ""}, "provider_kind"),
        ({"title": "  "}, "title"),
        ({"sdg_goals": ["18"]}, "sdg_goals"),
        ({"languages": ["de"]}, "languages"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    world: World, change: dict[str, Any], where: str
) -> None:
    offer = _published(world)
    before = services.offer_values(offer)
    with pytest.raises(InvalidInput) as error:
        _edit(world, offer, **{**change, "capacity": "changed too"})
    assert error.value.where == where
    offer.refresh_from_db()
    assert services.offer_values(offer) == before and offer.status == OfferStatus.PUBLISHED
    assert not events_for(offer).filter(action="cooperation.offer_edited").exists()


@pytest.mark.parametrize("who", ["other_contributor", "other_focal_point", "focal_point", "anonymous"])
def test_someone_who_is_not_the_provider_may_neither_edit_nor_withdraw(world: World, who: str) -> None:
    offer = _published(world)
    with pytest.raises(Forbidden):
        _edit(world, offer, who, capacity="hijacked")
    with pytest.raises(Forbidden):
        services.withdraw_offer(offer, actor=world.users[who])
    offer.refresh_from_db()
    assert offer.capacity == "" and offer.status == OfferStatus.PUBLISHED
    assert [e.action for e in events_for(offer)] == [
        "cooperation.offer_submitted",
        "cooperation.offer_published",
    ]


def test_the_provider_withdraws_its_offer(world: World) -> None:
    offer = _published(world)
    fiji = world.users["focal_point"]
    match = services.propose_match(
        offer, actor=fiji, recommendation=world.recommendations["mechanism"], score=0.5, explanation={}
    )
    withdrawn = services.withdraw_offer(offer, actor=world.users["contributor"], reason="No more funding")
    assert withdrawn.status == OfferStatus.WITHDRAWN and withdrawn.withdrawn_at is not None
    assert offer not in published_offers()
    assert events_for(offer).get(action="cooperation.offer_withdrawn").data == {"reason": "No more funding"}
    with pytest.raises(Conflict, match="withdrew"):
        services.confirm_match(match, actor=world.users["contributor"])
    with pytest.raises(Conflict, match="already withdrawn"):
        services.withdraw_offer(offer, actor=world.users["contributor"])
    with pytest.raises(Conflict, match="withdrawn"):
        _edit(world, withdrawn, capacity="again")
    other = recommendation("other", world.state("FJI"), "Seek assistance for a follow-up mechanism")
    with pytest.raises(Conflict, match="published"):
        services.propose_match(offer, actor=fiji, recommendation=other, score=0.5, explanation={})


def test_the_pages_let_the_provider_edit_and_withdraw(world: World) -> None:
    offer = _published(world)
    edit = reverse("cooperation:edit-offer", args=[offer.pk])
    stranger = Client()
    stranger.force_login(world.users["other_contributor"])
    assert stranger.get(edit).status_code == 403
    refused = stranger.post(reverse("cooperation:withdraw-offer", args=[offer.pk]), follow=True)
    assert "only the offer&#x27;s provider may withdraw it" in refused.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PUBLISHED
    client = Client()
    client.force_login(world.users["contributor"])
    page = client.get(reverse("cooperation:offer", args=[offer.pk])).content.decode()
    assert edit in page
    form = client.get(edit)
    assert form.status_code == 200 and OFFER["title"] in form.content.decode()
    data = {**services.offer_values(offer), "title": "SIMORE, second edition"}
    response = client.post(edit, {k: v for k, v in data.items() if v not in ("", [])})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.status) == ("SIMORE, second edition", OfferStatus.SUBMITTED)
    client.post(reverse("cooperation:withdraw-offer", args=[offer.pk]), {"reason": "done"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


def test_the_api_edits_part_of_an_offer_and_withdraws_it(world: World) -> None:
    offer = _published(world)
    path = f"/api/cooperation/offers/{offer.pk}/"
    stranger = Client()
    stranger.force_login(world.users["other_contributor"])
    refused = stranger.patch(path, {"capacity": "x"}, content_type="application/json")
    assert refused.status_code == 403
    client = Client()
    client.force_login(world.users["contributor"])
    answer = client.patch(path, {"capacity": "Two missions a year"}, content_type="application/json")
    assert answer.status_code == 200
    assert answer.json()["capacity"] == "Two missions a year" and answer.json()["status"] == "published"
    assert answer.json()["themes"] == [{"code": "A27", "name": offer.themes.get().name}]
    bad = client.patch(path, {"themes": ["Z99"]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["where"] == "themes"
    gone = client.post(f"{path}withdrawal/", {"reason": "done"}, content_type="application/json")
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
