"""In Debian's Chromium: a contributor offers a tool, a moderator publishes it, and Fiji's focal point
finds it from Fiji's request (written in French) and confirms the match; the contributor confirms its
side and the match is a cooperation record. And the tracker's path: Fiji's focal point opens an action
of its (unpublished) plan that needs support, sees the ranked offers and proposes a match. Screenshots
in English and French at 1,366 and 390 px go to /tmp/coop-shots/ for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hrcoop.cooperation import services
from hrcoop.cooperation.models import Match
from tests.conftest import session_cookie
from tests.cooperation.conftest import World, make_offer, tracker_action
from tests.factories import make_request

SHOTS = Path("/tmp/coop-shots")
TITLE = "SIMORE: a public system to monitor recommendations"


def _page(browser: Browser, world: World, who: str, base: str, width: int = 1366) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    context.add_cookies([session_cookie(world.users[who], base)])  # type: ignore[list-item]
    return context.new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_offer_goes_from_contributor_to_moderator_to_a_confirmed_match(
    world: World, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    request = make_request(
        world.state("FJI"),
        "UPR-FTA",
        status="submitted",
        title="Mécanisme national de suivi des recommandations",
        need="Un système pour suivre la mise en œuvre des recommandations de l'EPU et des organes "
        "conventionnels.",
    )
    make_request(
        world.state("GHA"),
        "UPR-FTA",
        status="submitted",
        title="Electoral register",
        need="Voter registration for elections",
    )

    ngo = _page(browser, world, "contributor", base)
    ngo.goto(f"{base}/cooperation/offers/new/")
    ngo.get_by_label("Who offers").select_option("ngo")
    ngo.locator('select[name="provider_state"]').select_option("PRY")
    ngo.get_by_label("Name of the agency, NHRI or NGO").fill("Open Follow-up Network")
    ngo.get_by_label("What is offered").select_option("tool")
    ngo.get_by_label("Title").fill(TITLE)
    ngo.locator('textarea[name="description"]').fill(
        "Software and peer support to set up a national mechanism for reporting and follow-up that tracks "
        "the implementation of UPR and treaty body recommendations."
    )
    ngo.get_by_label("Themes").select_option("A27")
    ngo.locator('input[name="languages"][value="es"]').check()
    ngo.locator('input[name="languages"][value="en"]').check()
    ngo.get_by_label("Evidence of results").fill("Shared with seven States since 2014")
    ngo.get_by_role("button", name="Save").click()
    expect(ngo.locator("#status")).to_have_text("Awaiting moderation")
    offer_url = ngo.url

    moderator = _page(browser, world, "secretariat", base)
    moderator.goto(f"{base}/cooperation/moderation/")
    moderator.get_by_role("link", name=TITLE).click()
    moderator.get_by_role("button", name="Publish", exact=True).click()
    expect(moderator.locator("#status")).to_have_text("Published")

    fiji = _page(browser, world, "focal_point", base)
    fiji.goto(f"{base}/cooperation/needs/")
    fiji.get_by_role("link", name=request.public_id).click()
    first = fiji.locator("li.offer-match").first
    expect(first).to_contain_text(TITLE)
    expect(first).to_contain_text("South-South")
    first.get_by_role("button", name="Confirm this match").click()
    expect(fiji.locator("#status")).to_have_text("Proposed")
    match_url = fiji.url

    ngo.goto(match_url)
    ngo.get_by_role("button", name="Confirm this match").click()
    expect(ngo.locator("#status")).to_have_text("Confirmed: a cooperation record")

    SHOTS.mkdir(exist_ok=True)
    need_path = f"/cooperation/needs/request/{request.public_id}/"
    for width in (1366, 390):
        page = _page(browser, world, "focal_point", base, width)
        for language, prefix in (("en", ""), ("fr", "/fr")):
            for name, path in (
                ("need", need_path),
                ("offer", offer_url.removeprefix(base)),
                ("match", match_url.removeprefix(base)),
            ):
                page.goto(f"{base}{prefix}{path}")
                page.screenshot(path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True)
        page.goto(f"{base}/fr{need_path}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Offres pour un besoin")
        page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_focal_point_finds_offers_for_a_tracker_action_that_needs_support(
    world: World, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    offer = services.moderate_offer(make_offer(world), actor=world.users["secretariat"], publish=True)
    unrelated = make_offer(
        world,
        title="Voter registration software",
        description="A biometric electoral register and training for electoral commissions.",
        themes=[],
    )
    services.moderate_offer(unrelated, actor=world.users["secretariat"], publish=True)
    action = tracker_action(
        world,
        key="fji-plan",
        recommendation_text="Establish a national mechanism for reporting and follow-up of recommendations",
        action="Set up the national mechanism for reporting and follow-up, with a public tracking database",
    )
    plan_path = f"/tracking/plans/{action.cluster.plan_id}/"
    need_path = f"/cooperation/needs/action/{action.pk}/"

    fiji = _page(browser, world, "focal_point", base)
    fiji.goto(f"{base}{plan_path}")
    fiji.locator(f"#action-{action.pk}").get_by_role(
        "link", name="Offers of cooperation for this action"
    ).click()
    expect(fiji.get_by_role("heading", level=1)).to_have_text("Offers for a need")
    expect(fiji.locator(".lead")).to_contain_text("Implementation action that needs support")
    ranked = fiji.locator("li.offer-match")
    expect(ranked.first).to_contain_text(offer.title)
    expect(ranked.last).to_contain_text("Voter registration software")  # about something else: ranked below
    expect(ranked.first).to_contain_text("South-South")
    SHOTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page = _page(browser, world, "focal_point", base, width)
        for language, prefix in (("en", ""), ("fr", "/fr")):
            for name, path in (("tracker-plan", plan_path), ("tracker-need", need_path)):
                page.goto(f"{base}{prefix}{path}")
                page.screenshot(path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True)
        page.goto(f"{base}/fr{need_path}")
        expect(page.locator(".lead")).to_contain_text("Action de mise en œuvre qui a besoin d'appui")
        page.context.close()

    ranked.first.get_by_role("button", name="Confirm this match").click()
    expect(fiji.locator("#status")).to_have_text("Proposed")
    match = Match.objects.get(action=action)
    assert (match.offer_id, match.beneficiary.iso3) == (offer.pk, "FJI")
    fiji.goto(f"{base}{need_path}")
    expect(fiji.locator("li.offer-match").first.get_by_role("link", name="See the match")).to_be_visible()
