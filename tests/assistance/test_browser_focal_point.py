"""The focal point's journey in Debian's Chromium, on a laptop (1,366 px) and on a phone (390 px), in
English and in French: read how to request assistance and start a request from there, write it, find
two of the State's recommendations by words and tick them with the keyboard, save, submit (the page
asks first), and answer the secretariat's question, which stands at the top of the request. No page of
the journey scrolls sideways (measured), axe-core finds no WCAG 2.1 AA violation on any, and no script
or style is blocked.

Screenshots go to /tmp/focal-point-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hrcoop.assistance import services
from hrcoop.assistance.models import AssistanceRequest
from tests.assistance.conftest import World
from tests.conftest import assert_accessible, assert_no_sideways_scroll, session_cookie

SHOTS = Path("/tmp/focal-point-shots")
WIDTHS = {"laptop": (1366, 800), "phone": (390, 844)}
WORDS = {
    "en": {
        "draft": "Draft",
        "submitted": "Submitted",
        "assessment": "Under assessment",
        "ticked": "2 recommendations ticked",
    },
    "fr": {
        "draft": "Projet",
        "submitted": "Soumise",
        "assessment": "En cours d'évaluation",
        "ticked": "2 recommandations cochées",
    },
}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def find_and_tick(page: Page, words: str, public_id: str) -> None:
    """Type words in the picker's box, wait for the list, then reach the box of ``public_id`` with Tab
    and tick it with the space bar, as a person without a mouse does."""
    box = page.locator("#find-words")
    box.press("Control+a")
    page.keyboard.type(words)
    # The list the words found (not the one shown before them), once htmx has put it in place.
    expect(page.locator("#picks-found-title")).to_contain_text(words)
    expect(page.locator("#picker-lists.htmx-settling, #picker-lists.htmx-request")).to_have_count(0)
    expect(page.locator("#picks-found")).to_contain_text(public_id)
    target = page.locator(f'input[name="recommendations"][value="{public_id}"]')
    for _ in range(12):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError(f"{public_id} cannot be reached with the Tab key")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("device", ["laptop", "phone"])
def test_focal_point_writes_ticks_submits_and_answers_a_question(
    language: str, device: str, searchable: World, live_server: Any, browser: Browser
) -> None:
    world, words = searchable, WORDS[language]
    base, prefix = live_server.url, "" if language == "en" else f"/{language}"
    width, height = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([session_cookie(world.users["focal_point"], base)])  # type: ignore[list-item]
    page = context.new_page()
    errors: list[str] = []  # e.g. a script or a style that the Content Security Policy blocks
    page.on(
        "console",
        lambda message: (
            errors.append(f"{message.location['url']}: {message.text}")
            if message.type == "error" and not message.location["url"].endswith("/favicon.ico")
            else None
        ),
    )
    name = f"{language}-{device}"

    # "How to request assistance": the diagram on a laptop, a list of steps on a phone; then the form.
    page.goto(f"{base}{prefix}/assistance/process/")
    diagram, steps = page.locator("figure.diagram"), page.locator("#steps-list")
    expect(diagram if device == "laptop" else steps).to_be_visible()
    expect(steps if device == "laptop" else diagram).to_be_hidden()
    assert_no_sideways_scroll(page, f"{name}: how to request assistance")
    assert_accessible(page, f"{name}: how to request assistance")
    shot(page, f"{name}-process")
    page.locator(f'a.button[href="{prefix}/assistance/new/"]').first.click()

    # The form: the State's own recommendations are found by words and ticked from the keyboard.
    page.locator('[name="fund"]').select_option("UPR-FTA")
    page.locator('[name="title"]').fill("Prison monitoring and the Convention against Torture")
    page.locator('[name="need"]').fill("No independent body visits places of detention")
    page.locator('[name="amount"]').fill("60,000" if language == "en" else "60 000")
    page.locator("#find-words").focus()
    find_and_tick(page, "torture", "R-torture")
    expect(page.locator("#picks-found")).not_to_contain_text("R-torture-gha")  # Ghana's: never listed
    page.locator("#find-words").focus()
    find_and_tick(page, "prisons", "R-prisons")
    expect(page.locator('input[name="recommendations"]:checked')).to_have_count(2)
    assert_no_sideways_scroll(page, f"{name}: the form")
    assert_accessible(page, f"{name}: the form")
    shot(page, f"{name}-form")
    page.locator('button[name="save"]').click()
    expect(page.locator("#status")).to_have_text(words["draft"])
    linked = page.locator("#linked-recommendations")
    expect(linked).to_contain_text("Ratify the Convention against Torture")
    expect(linked).to_contain_text("Improve conditions of detention in prisons")
    request = AssistanceRequest.objects.get()
    assert sorted(request.recommendations.values_list("public_id", flat=True)) == ["R-prisons", "R-torture"]

    # Consent, then Submit: a page of its own asks before the request leaves the State.
    page.locator("#given_by").fill("Minister of Justice")
    page.locator("#given_on").fill("2026-01-05")
    page.locator("#reference").fill("NV/2026/7")
    page.locator(".consent button").click()
    assert_no_sideways_scroll(page, f"{name}: the draft")
    assert_accessible(page, f"{name}: the draft")
    shot(page, f"{name}-draft")
    page.locator('a.button[href$="/confirm/submit/"]').click()
    assert_no_sideways_scroll(page, f"{name}: the confirmation")
    assert_accessible(page, f"{name}: the confirmation")
    shot(page, f"{name}-confirm")
    page.locator("form.confirm button").click()
    expect(page.locator("#status")).to_have_text(words["submitted"])

    # The secretariat asks a question (through the services, as its own pages do).
    clerk = world.users["secretariat"]
    for step in ("acknowledge", "start_assessment"):
        services.apply_transition(AssistanceRequest.objects.get(), step, actor=clerk)
    question = "Which body will visit the prisons, and how often?"
    services.apply_transition(
        AssistanceRequest.objects.get(), "request_information", actor=clerk, reason=question
    )

    # The focal point finds the question at the top of the request and answers it there.
    page.reload()
    box = page.locator("#question")
    expect(box).to_contain_text(question)
    tops = page.evaluate(
        "[document.querySelector('#question').getBoundingClientRect().top,"
        " document.querySelector('#request-fields').getBoundingClientRect().top]"
    )
    assert tops[0] < tops[1]
    assert_no_sideways_scroll(page, f"{name}: the question")
    assert_accessible(page, f"{name}: the question")
    shot(page, f"{name}-question")
    page.locator("#answer").fill("The national preventive mechanism, every quarter")
    page.locator("form.answer button").click()
    expect(page.locator("#status")).to_have_text(words["assessment"])
    expect(page.locator("#question")).to_have_count(0)
    assert_no_sideways_scroll(page, f"{name}: the answered request")
    assert_accessible(page, f"{name}: the answered request")
    shot(page, f"{name}-answered")
    assert errors == [], errors
    context.close()
