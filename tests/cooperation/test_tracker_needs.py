"""A tracker action that needs support, and a tracker cluster, are needs: ranked offers, matches, and the
tracker's own visibility rule (an unpublished plan is seen only by its State)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from hrcoop.cooperation import matching, services
from hrcoop.cooperation.lookups import need_by_kind
from hrcoop.cooperation.models import Match, MatchStatus, NeedKind
from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, InvalidInput, NotFound
from hrcoop.tracking import services as tracking
from hrcoop.tracking.models import Action
from tests.cooperation.conftest import World, make_offer, tracker_action
from tests.factories import make_request

pytestmark = pytest.mark.django_db

MECHANISM = "Establish a national mechanism for reporting and follow-up of recommendations"
ACTION = "Set up the national mechanism for reporting and follow-up, with a public tracking database"


def _action(world: World, **changes: object) -> Action:
    return tracker_action(world, key="fji-plan", recommendation_text=MECHANISM, action=ACTION, **changes)  # type: ignore[arg-type]


def _published_offer(world: World) -> object:
    offer = make_offer(world)
    return services.moderate_offer(offer, actor=world.users["secretariat"], publish=True)


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("focal_point", True),  # the State's own focal point
        ("other_focal_point", False),
        ("provider_focal_point", False),
        ("contributor", False),
        ("secretariat", False),  # the tracker's rule: the secretariat sees a plan once it is published
        ("anonymous", False),
    ],
)
def test_an_action_of_an_unpublished_plan_is_a_need_only_for_its_state(
    world: World, reader: str, sees: bool
) -> None:
    action = _action(world)
    if sees:
        need = need_by_kind(world.users[reader], "action", str(action.pk))
        assert (need.kind, need.state.iso3, need.action) == (NeedKind.ACTION, "FJI", action)
        assert ACTION in need.text and need.themes == {"A27": need.themes["A27"]}
    else:
        with pytest.raises(NotFound):
            need_by_kind(world.users[reader], "action", str(action.pk))


def test_once_the_plan_is_published_everyone_sees_the_action_as_a_need(world: World) -> None:
    action = _action(world, published=True)
    for reader in ("anonymous", "secretariat", "contributor", "other_focal_point"):
        assert need_by_kind(world.users[reader], "action", str(action.pk)).action == action


def test_an_action_that_does_not_need_support_is_no_need(world: World) -> None:
    action = _action(world, needs_support=False, published=True)
    with pytest.raises(NotFound, match="does not need support"):
        need_by_kind(world.users["focal_point"], "action", str(action.pk))
    with pytest.raises(NotFound):
        need_by_kind(world.users["focal_point"], "action", "not-a-number")


def test_ranked_offers_for_an_action_and_a_match_confirmed_by_both_sides(world: World) -> None:
    offer = _published_offer(world)
    action = _action(world)
    focal_point = world.users["focal_point"]
    need = need_by_kind(focal_point, "action", str(action.pk))
    [ranked] = matching.rank_offers(need)
    assert ranked.offer == offer and ranked.shared_themes[0]["code"] == "A27"

    match = services.propose_match(
        offer, actor=focal_point, **need.links(), score=ranked.score, explanation=ranked.explanation()
    )
    assert (match.need_kind, match.action, match.need_id, match.beneficiary.iso3) == (
        NeedKind.ACTION,
        action,
        str(action.pk),
        "FJI",
    )
    assert match.modality == "south_south"  # an NGO of Paraguay for Fiji
    match = services.confirm_match(match, actor=world.users["contributor"])
    assert match.status == MatchStatus.CONFIRMED
    assert [e.action for e in events_for(match)] == [
        "cooperation.match_proposed",
        "cooperation.match_confirmed",
    ]


def test_a_cluster_is_a_need_of_its_state_and_can_be_matched(world: World) -> None:
    offer = _published_offer(world)
    cluster = _action(world).cluster
    with pytest.raises(NotFound):
        need_by_kind(world.users["other_focal_point"], "cluster", str(cluster.pk))
    need = need_by_kind(world.users["focal_point"], "cluster", str(cluster.pk))
    assert need.kind == NeedKind.CLUSTER and MECHANISM in need.text
    assert [r.offer for r in matching.rank_offers(need)] == [offer]
    match = services.propose_match(
        offer, actor=world.users["focal_point"], cluster=cluster, score=0.5, explanation={}
    )
    assert (match.need_kind, match.need_id) == (NeedKind.CLUSTER, str(cluster.pk))


def test_an_offer_ranks_actions_of_published_plans_only(world: World) -> None:
    offer = _published_offer(world)
    action = _action(world)

    def ranked_actions() -> list[str]:
        return [r.need.key for r in matching.rank_needs(offer) if r.need.kind == NeedKind.ACTION]

    assert ranked_actions() == []
    tracking.publish_plan(action.cluster.plan, actor=world.users["focal_point"])
    assert ranked_actions() == [str(action.pk)]
    tracking.set_action_status(action, actor=world.users["focal_point"], status="completed")
    assert ranked_actions() == []


def test_bad_matches_for_actions_are_refused_and_change_nothing(world: World) -> None:
    offer = _published_offer(world)
    action = _action(world)
    request = make_request(
        world.state("FJI"), "UPR-FTA", status="submitted", title="Follow-up mechanism", need=""
    )
    focal_point = world.users["focal_point"]
    with pytest.raises(InvalidInput, match="one need") as error:
        services.propose_match(
            offer, actor=focal_point, request=request, action=action, score=0.5, explanation={}
        )
    assert error.value.where == "need"
    tracking.mark_needs_support(action, actor=focal_point, needs_support=False)
    with pytest.raises(Conflict, match="does not need support"):
        services.propose_match(offer, actor=focal_point, action=action, score=0.5, explanation={})
    tracking.mark_needs_support(action, actor=focal_point)
    services.propose_match(offer, actor=focal_point, action=action, score=0.5, explanation={})
    with pytest.raises(Conflict, match="already matched"):
        services.propose_match(offer, actor=focal_point, action=action, score=0.5, explanation={})
    assert Match.objects.count() == 1


def test_the_database_refuses_an_action_match_without_its_action(world: World) -> None:
    offer = _published_offer(world)
    action = _action(world)
    fields = {"offer": offer, "beneficiary": world.state("FJI"), "score": 0.5, "modality": "south_south"}
    # Around the services, which never write such a match: the database's own check is what is tested.
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(need_kind=NeedKind.ACTION, cluster=action.cluster, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(need_kind=NeedKind.CLUSTER, action=action, cluster=action.cluster, **fields)


def test_the_tracker_page_links_an_action_that_needs_support_to_its_ranked_offers(world: World) -> None:
    offer = _published_offer(world)
    action = _action(world)
    quiet = tracker_action(
        world,
        key="fji-quiet",
        recommendation_text="Ratify the Convention",
        action="Ratify it",
        needs_support=False,
    )
    client = Client()
    client.force_login(world.users["focal_point"])
    page = client.get(reverse("tracking:plan", args=[action.cluster.plan_id])).content.decode()
    link = reverse("cooperation:need", args=["action", action.pk])
    assert link in page
    quiet_page = client.get(reverse("tracking:plan", args=[quiet.cluster.plan_id])).content.decode()
    assert reverse("cooperation:need", args=["action", quiet.pk]) not in quiet_page

    need_page = client.get(link).content.decode()
    assert offer.title in need_page
    propose = reverse("cooperation:propose", args=["action", action.pk, offer.pk])
    assert propose in need_page
    response = client.post(propose)
    match = Match.objects.get(action=action)
    assert response.status_code == 302 and response["Location"] == reverse(
        "cooperation:match", args=[match.pk]
    )
    assert link in client.get(response["Location"]).content.decode()  # the match names its need


def test_the_api_hides_an_unpublished_action_from_others(world: World) -> None:
    _published_offer(world)
    action = _action(world)
    path = f"/api/cooperation/needs/action/{action.pk}/offers/"
    assert Client().get(path).status_code == 404
    client = Client()
    client.force_login(world.users["focal_point"])
    body = client.get(path).json()
    assert body["need"] == {"kind": "action", "id": str(action.pk), "state": "FJI", "title": ACTION[:120]}
    assert len(body["offers"]) == 1
    created = client.post(
        "/api/cooperation/matches/",
        {"offer": body["offers"][0]["offer"]["id"], "need_kind": "action", "need": str(action.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["need_kind"] == "action"


def test_the_needs_page_lists_the_states_own_actions_that_need_support(world: World) -> None:
    action = _action(world)
    link = reverse("cooperation:need", args=["action", action.pk])
    fiji, ghana = Client(), Client()
    fiji.force_login(world.users["focal_point"])
    ghana.force_login(world.users["other_focal_point"])
    assert link in fiji.get(reverse("cooperation:needs")).content.decode()
    assert link not in ghana.get(reverse("cooperation:needs")).content.decode()
    tracking.set_action_status(action, actor=world.users["focal_point"], status="completed")
    assert link not in fiji.get(reverse("cooperation:needs")).content.decode()
