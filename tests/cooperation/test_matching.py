"""Matching across languages, its filters and explanations; matches confirmed by both parties."""

from __future__ import annotations

import pytest

from hrcoop.cooperation import matching, selectors, services
from hrcoop.cooperation.models import Match, MatchStatus, Modality
from hrcoop.cooperation.needs import from_recommendations, from_requests, open_needs
from hrcoop.core.errors import Conflict, Forbidden
from hrcoop.core.models import AuditEvent
from tests.cooperation.conftest import World, make_offer, recommendation
from tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(world: World) -> dict[str, object]:
    return {
        "followup": make_offer(world, "secretariat"),
        "prisons": make_offer(
            world,
            "secretariat",
            provider_kind="state",
            provider_state="NOR",
            provider_name="",
            kind="training",
            title="Training for prison staff on the treatment of detainees",
            description="Courses for prison officers on the Nelson Mandela Rules, conditions of detention "
            "and the prevention of ill-treatment.",
            themes=["A53"],
            sdg_goals=[16],
            languages=["en", "fr"],
        ),
        "elections": make_offer(
            world,
            "secretariat",
            provider_kind="agency",
            provider_state="",
            provider_name="UNDP",
            kind="expertise",
            title="Electoral management and voter registration",
            description="Advice to electoral commissions on voter registers, ballot logistics and "
            "observation of elections.",
            themes=[],
            sdg_goals=[],
            languages=["en", "fr", "es"],
        ),
    }


def test_a_french_request_finds_the_english_offer_that_answers_it(world: World, offers: dict) -> None:
    request = make_request(
        world.state("FJI"),
        "UPR-FTA",
        status="submitted",
        title="Mécanisme national de suivi des recommandations",
        need="Nous avons besoin d'un système pour suivre la mise en œuvre des recommandations de l'EPU "
        "et des organes conventionnels.",
    )
    [need] = from_requests([request])
    ranked = matching.rank_offers(need)
    assert ranked[0].offer == offers["followup"]
    assert offers["elections"] not in [r.offer for r in ranked]  # unrelated: below the floor
    spanish = recommendation(
        "es", world.state("GHA"), "Mejorar las condiciones de detención y capacitar al personal penitenciario"
    )
    assert matching.rank_offers(from_recommendations([spanish])[0])[0].offer == offers["prisons"]


def test_each_match_explains_itself_and_filters_apply(world: World, offers: dict) -> None:
    [need] = from_recommendations([world.recommendations["mechanism"]])  # Fiji, theme A27, category 1
    best = matching.rank_offers(need)[0]
    why = best.explanation()
    assert best.offer == offers["followup"]
    assert why["shared_themes"] == [{"code": "A27", "name": "Follow-up to Universal Periodic Review (UPR)"}]
    assert why["modality"] == Modality.SOUTH_SOUTH  # a Paraguayan NGO helping Fiji
    assert "Fiji" in why["modality_reason"]
    # The same tool offered by Norway in English and French, and by an NGO serving only WEOG States.
    norway = make_offer(
        world,
        "secretariat",
        provider_kind="state",
        provider_state="NOR",
        provider_name="",
        languages=["en", "fr"],
    )
    weog_only = make_offer(world, "secretariat", regions=["WEOG"])
    found = [r.offer for r in matching.rank_offers(need)]
    assert norway in found and weog_only not in found  # Fiji is in the Asia-Pacific group
    assert [r.offer for r in matching.rank_offers(need, language="fr")] == [norway]
    assert [r.offer for r in matching.rank_offers(need, modality=Modality.NORTH_SOUTH)] == [norway]
    assert matching.rank_offers(need, region="WEOG") == []  # Fiji is in the Asia-Pacific group


def test_an_offer_finds_needs_including_recommendations_asking_for_assistance(
    world: World, offers: dict
) -> None:
    recommendation("other", world.state("GHA"), "Ratify the Convention against Torture")  # no demand signal
    make_request(
        world.state("GHA"), "UPR-FTA", title="Follow-up database for recommendations", need="", status="draft"
    )
    needs = open_needs()
    assert [n.key for n in needs] == ["R-mechanism"]  # neither the draft nor a plain recommendation
    ranked = matching.rank_needs(offers["followup"], needs=needs)
    assert ranked[0].need.key == "R-mechanism"


def test_parties_confirm_a_match_which_becomes_a_cooperation_record(world: World, offers: dict) -> None:
    offer = offers["followup"]
    fiji, ngo = world.users["focal_point"], world.users["secretariat"]
    rec = world.recommendations["mechanism"]
    match = services.propose_match(offer, actor=fiji, recommendation=rec, score=0.7, explanation={})
    assert match.status == MatchStatus.PROPOSED and match.beneficiary_confirmed_by == fiji
    assert match not in selectors.cooperation_records()
    with pytest.raises(Conflict):
        services.confirm_match(match, actor=fiji)  # its side has confirmed already
    services.confirm_match(match, actor=ngo)  # the secretariat entered the offer: the provider's side
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED and match.confirmed_at is not None
    assert list(selectors.cooperation_records()) == [match]
    # The next need close to this one sees the cooperation as similar past cooperation.
    close = recommendation(
        "close",
        world.state("GHA"),
        "Seek assistance to set up a national mechanism for reporting and follow-up",
    )
    why = matching.rank_offers(from_recommendations([close])[0])[0].explanation()
    assert why["past_cooperation"][0]["need"] == "R-mechanism"


def test_a_confirmation_by_someone_who_is_no_party_is_refused_and_changes_nothing(
    world: World, offers: dict
) -> None:
    rec = world.recommendations["mechanism"]
    match = services.propose_match(
        offers["followup"], actor=world.users["focal_point"], recommendation=rec, score=0.7, explanation={}
    )
    events = AuditEvent.objects.count()
    for outsider in ("other_focal_point", "other_contributor", "anonymous"):
        with pytest.raises(Forbidden):
            services.confirm_match(match, actor=world.users[outsider])
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED and match.provider_confirmed_at is None
    assert AuditEvent.objects.count() == events
    with pytest.raises(Forbidden):
        services.propose_match(
            offers["prisons"],
            actor=world.users["other_focal_point"],
            recommendation=rec,
            score=0.1,
            explanation={},
        )
    assert Match.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("other_focal_point", False),
        ("other_contributor", False),
        ("focal_point", True),  # the beneficiary's side
        ("contributor", True),  # the provider's side: it submitted the offer
        ("secretariat", True),
        ("admin", True),
    ],
)
def test_an_unconfirmed_match_is_seen_by_its_parties_and_the_secretariat_only(
    world: World, who: str, sees: bool
) -> None:
    offer = make_offer(world)
    services.moderate_offer(offer, actor=world.users["secretariat"], publish=True)
    match = services.propose_match(
        offer,
        actor=world.users["focal_point"],
        recommendation=world.recommendations["mechanism"],
        score=0.5,
        explanation={},
    )
    assert (match in selectors.matches_visible_to(world.users[who])) is sees
    services.confirm_match(match, actor=world.users["contributor"])
    assert match in selectors.matches_visible_to(world.users[who])  # a cooperation record is public
