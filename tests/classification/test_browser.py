"""The secretariat, in Debian's Chromium, accepts every suggestion above the threshold for a session in
one action, after the queue said how many they are and how precise such a decision has been."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from hrcoop.core.models import User
from hrcoop.recommendations.models import Classification
from tests.classification.conftest import Suggestions
from tests.conftest import session_cookie

SHOTS = Path("/tmp/tagging-shots")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretariat_accepts_a_sessions_suggestions_above_the_threshold_in_one_action(
    open_suggestions: Suggestions, reviewer: User, live_server: Any, browser: Browser
) -> None:
    rows, threshold = open_suggestions
    chosen = {c.pk for c in rows if c.recommendation.session.number == 9 and c.confidence >= threshold}
    base = live_server.url
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([session_cookie(reviewer, base)])
    page = context.new_page()

    # In French first, at both widths: the page says the same before anything is decided.
    page.goto(f"{base}/fr/classification/review/?session=9")
    expect(page.locator("#bulk-preview")).to_contain_text(f"{len(chosen)} suggestions")
    expect(page.locator("#bulk-preview")).to_contain_text("justes dans 98,5 % des cas")
    page.screenshot(path=SHOTS / "review-fr-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SHOTS / "review-fr-390.png", full_page=True)

    page.goto(f"{base}/classification/review/?session=9")
    preview = page.locator("#bulk-preview")
    expect(preview).to_contain_text(f"{len(chosen)} suggestions in this view reach their model's threshold")
    expect(preview).to_contain_text("Expected error rate of this decision: 1.5 %")
    page.screenshot(path=SHOTS / "review-en-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=SHOTS / "review-en-1366.png", full_page=True)

    page.get_by_role("button", name=f"Accept these {len(chosen)} suggestions").click()

    expect(page.locator(".messages")).to_contain_text(f"{len(chosen)} suggestion(s) accepted.")
    expect(page.locator("#bulk-title + p")).to_contain_text("No suggestion in this view reaches")
    page.screenshot(path=SHOTS / "review-en-1366-after.png", full_page=True)
    accepted = Classification.objects.filter(status=Classification.Status.ACCEPTED, person=reviewer)
    assert set(accepted.values_list("pk", flat=True)) == chosen
    context.close()
