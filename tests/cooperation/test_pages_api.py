"""The pages and the API: the rules of the services, the one error shape, nothing changed by bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hrcoop.cooperation import services
from hrcoop.cooperation.models import Dialogue, Match, MatchStatus, Offer
from hrcoop.core.models import AuditEvent
from tests.cooperation.conftest import OFFER, World, make_offer
from tests.factories import make_request

pytestmark = pytest.mark.django_db


def _client(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def test_the_api_takes_an_offer_from_submission_to_a_cooperation_record(world: World) -> None:
    request = make_request(
        world.state("FJI"),
        "UPR-FTA",
        status="submitted",
        title="Un mécanisme national de suivi",
        need="Suivre la mise en œuvre des recommandations de l'EPU",
    )
    ngo, secretariat, fiji = (_client(world, w) for w in ("contributor", "secretariat", "focal_point"))
    created = ngo.post("/api/cooperation/offers/", OFFER, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    offer_id = created.json()["id"]
    assert _client(world, "anonymous").get(f"/api/cooperation/offers/{offer_id}/").status_code == 404
    published = secretariat.post(
        f"/api/cooperation/offers/{offer_id}/moderation/", {"publish": True}, content_type="application/json"
    )
    assert published.json()["status"] == "published"
    found = fiji.get(f"/api/cooperation/needs/request/{request.public_id}/offers/").json()
    assert found["offers"][0]["offer"]["id"] == offer_id
    assert found["offers"][0]["explanation"]["modality"] == "south_south"
    proposed = fiji.post(
        "/api/cooperation/matches/",
        {"offer": offer_id, "need_kind": "request", "need": request.public_id},
        content_type="application/json",
    )
    assert proposed.status_code == 201 and proposed.json()["status"] == "proposed"
    match_id = proposed.json()["id"]
    assert _client(world, "anonymous").get(f"/api/cooperation/matches/{match_id}/").status_code == 404
    confirmed = ngo.post(f"/api/cooperation/matches/{match_id}/confirm/")
    assert confirmed.json()["status"] == "confirmed"
    assert _client(world, "anonymous").get(f"/api/cooperation/matches/{match_id}/").status_code == 200


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"provider_kind": ""}, "provider_kind"),
        ({"provider_state": "ZZZ"}, "provider_state"),
        ({"themes": ["NOT-A-THEME"]}, "themes"),
    ],
)
def test_a_bad_offer_gets_a_clear_400_and_changes_nothing(
    world: World, changes: dict[str, Any], where: str
) -> None:
    events = AuditEvent.objects.count()
    answer = _client(world, "contributor").post(
        "/api/cooperation/offers/", {**OFFER, **changes}, content_type="application/json"
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["where"] == where and error["message"]
    assert Offer.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_confirmation_by_no_party_gets_403_and_changes_nothing(world: World) -> None:
    offer = make_offer(world, "secretariat")
    match = services.propose_match(
        offer,
        actor=world.users["focal_point"],
        recommendation=world.recommendations["mechanism"],
        score=0.5,
        explanation={},
    )
    events = AuditEvent.objects.count()
    answer = _client(world, "other_focal_point").post(f"/api/cooperation/matches/{match.pk}/confirm/")
    assert answer.status_code in (403, 404)  # not a party: it may not even see the unconfirmed match
    outsider_secretariat_sees = _client(world, "other_contributor").post(
        f"/api/cooperation/matches/{match.pk}/confirm/"
    )
    assert outsider_secretariat_sees.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED and AuditEvent.objects.count() == events


def test_the_pages_walk_from_offer_to_record(world: World) -> None:
    ngo, secretariat, fiji = (_client(world, w) for w in ("contributor", "secretariat", "focal_point"))
    form = {
        **OFFER,
        "themes": ["A27"],
        "sdg_goals": ["16"],
        "languages": ["es", "en"],
        "regions": [],
        "language": "en",
    }
    answer = ngo.post("/cooperation/offers/new/", form)
    assert answer.status_code == 302
    offer = Offer.objects.get()
    assert "Awaiting moderation" in ngo.get(f"/cooperation/offers/{offer.pk}/").content.decode()
    assert _client(world, "anonymous").get(f"/cooperation/offers/{offer.pk}/").status_code == 404
    assert offer.title in secretariat.get("/cooperation/moderation/").content.decode()
    secretariat.post(f"/cooperation/offers/{offer.pk}/moderate/", {"decision": "publish"})
    page = fiji.get("/cooperation/needs/recommendation/R-mechanism/").content.decode()
    assert offer.title in page and "Confirm this match" in page
    fiji.post(f"/cooperation/needs/recommendation/R-mechanism/offers/{offer.pk}/")
    match = Match.objects.get()
    ngo.post(f"/cooperation/matches/{match.pk}/confirm/")
    records = _client(world, "anonymous").get("/cooperation/records/").content.decode()
    assert offer.title in records


def test_a_refused_offer_form_shows_the_message_and_writes_nothing(world: World) -> None:
    answer = _client(world, "contributor").post(
        "/cooperation/offers/new/", {**OFFER, "provider_name": "", "language": "en"}
    )
    assert answer.status_code == 200
    assert "an offer needs the provider&#x27;s name" in answer.content.decode()
    assert Offer.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/cooperation/",
        "/cooperation/good-practices/",
        "/cooperation/needs/",
        "/cooperation/records/",
        "/cooperation/dialogues/",
    ],
)
def test_public_pages_open_in_english_and_french(world: World, path: str) -> None:
    client = Client()
    assert client.get(path).status_code == 200
    assert client.get("/fr" + path).status_code == 200


def test_the_french_pages_are_translated(world: World) -> None:
    page = Client().get("/fr/cooperation/").content.decode()
    assert "Offres de coopération" in page


def test_a_match_page_explains_the_modality_in_the_readers_language(world: World) -> None:
    offer = make_offer(world, "secretariat")
    match = services.propose_match(
        offer,
        actor=world.users["focal_point"],
        recommendation=world.recommendations["mechanism"],
        score=0.5,
        explanation={},
    )
    assert match.modality_reason.startswith("South-South: ")  # stored in English, like the audit log
    page = _client(world, "focal_point").get(f"/fr/cooperation/matches/{match.pk}/").content.decode()
    assert "<h1>Coopération" in page
    assert "Sud-Sud : Open Follow-up Network (Paraguay) n&#x27;est pas membre du CAD (Sud)" in page


def test_the_dialogue_form_records_follow_ups_one_per_line(world: World) -> None:
    client = _client(world, "focal_point")
    answer = client.post(
        "/cooperation/dialogues/new/",
        {
            "kind": "dialogue",
            "title": "Peer exchange with Paraguay",
            "held_on": "2026-04-14",
            "participants": "Fiji\nParaguay",
            "states": ["FJI", "PRY"],
            "topics": "SIMORE",
            "follow_ups": "Send the schema; Paraguay; 2026-05-01\nPilot in two ministries; Fiji; 2026-09-30",
            "recommendations": "R-mechanism",
            "is_public": "on",
        },
    )
    assert answer.status_code == 302
    page = _client(world, "anonymous").get(answer["Location"]).content.decode()
    assert "Pilot in two ministries" in page and "30 September 2026" in page
    refused = client.post(
        "/cooperation/dialogues/new/",
        {
            "kind": "dialogue",
            "title": "x",
            "held_on": "2026-04-14",
            "participants": "x",
            "states": ["GHA"],
            "topics": "x",
        },
    )
    # Fiji's focal point may not record Ghana's dialogue: the form says so and nothing is written.
    assert "a focal point of a State that took part" in refused.content.decode()
    assert Dialogue.objects.count() == 1
