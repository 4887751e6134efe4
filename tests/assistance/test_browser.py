"""One request from draft to closed in Debian's Chromium, with three people: the State's focal point,
the secretariat and the board; then the public register and the timeline as anyone sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from hrcoop.core.money import Money
from hrcoop.funds import services as funds
from tests.assistance.conftest import World
from tests.conftest import session_cookie


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_state_secretariat_and_board_take_a_request_from_draft_to_closed(
    world: World, live_server: Any, browser: Browser
) -> None:
    base = live_server.url
    # A donor's contribution has reached the fund before the request is decided.
    clerk = world.users["secretariat"]
    donor = funds.register_donor(name="Open Rights Foundation", kind="foundation", actor=clerk)
    pledge = funds.record_pledge(
        fund_code="UPR-FTA",
        donor_id=donor.pk,
        amount=Money(100_000_00, "USD"),
        pledged_on=dt.date(2026, 1, 2),
        idempotency_key="pledge",
        actor=clerk,
    )
    funds.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(100_000_00, "USD"),
        received_on=dt.date(2026, 1, 3),
        idempotency_key="receipt",
        actor=clerk,
    )
    people = {}
    for who in ("focal_point", "secretariat", "board"):
        context = browser.new_context()
        context.add_cookies([session_cookie(world.users[who], base)])  # type: ignore[list-item]
        people[who] = context.new_page()
    state, secretariat, board = people["focal_point"], people["secretariat"], people["board"]

    # The State drafts its request, with a budget, a linked recommendation and one confidential field.
    state.goto(f"{base}/assistance/mine/")
    state.get_by_role("link", name="Draft a new request").first.click()
    state.get_by_label("Requesting State").select_option("FJI")
    state.get_by_label("Fund").select_option("UPR-FTA")
    form = state.locator("form.request-form")
    form.locator('[name="title"]').fill("Tracking database for UPR recommendations")
    form.locator('[name="need"]').fill("No tool tracks implementation today")
    form.locator('[name="amount"]').fill("60,000")
    form.locator('[name="budget"]').fill("Software; 45,000\nTraining; 15,000")
    state.locator('input[name="recommendations"][value="R-supported"]').check()  # the State's latest
    form.locator('[name="implementing_partners"]').fill("Confidential partner QXPARTNER")
    state.locator('input[name="confidential_fields"][value="implementing_partners"]').check()
    state.get_by_role("button", name="Save").click()
    expect(state.locator("#status")).to_have_text("Draft")
    public_id = state.locator("p.lead").inner_text().split(" · ")[0]
    url = f"{base}/assistance/requests/{public_id}/"

    state.get_by_label("Who consented for the State").fill("Minister of Justice")
    state.get_by_label("Date").fill("2026-01-05")
    state.get_by_label("Reference of the note verbale or letter").fill("NV/2026/7")
    state.get_by_role("button", name="Record consent").click()
    state.get_by_role("link", name="Submit", exact=True).click()
    state.get_by_role("button", name="Yes, submit the request").click()
    expect(state.locator("#status")).to_have_text("Submitted")

    def act(page: Any, step: str, reason: str = "") -> None:
        page.goto(url)
        if reason:
            page.get_by_label(f"Reasons ({step})").fill(reason)
        page.get_by_role("button", name=step, exact=True).click()
        expect(page.locator(".messages")).to_contain_text("The request is now")

    act(secretariat, "Acknowledge")
    act(secretariat, "Start assessment")
    act(secretariat, "Request information", "Who will maintain the database?")
    state.goto(url)
    expect(state.locator("#question")).to_contain_text("Who will maintain the database?")
    state.get_by_label("Your answer").fill("The national mechanism's data unit")
    state.get_by_role("button", name="Send the answer").click()
    expect(state.locator("#status")).to_have_text("Under assessment")
    act(secretariat, "Recommend to the board", "Sound and consented plan")
    board.goto(url)
    expect(board.get_by_role("button", name="Decline", exact=True)).to_be_visible()
    act(board, "Approve", "Approved: clear need, State priority")
    # The secretariat allocates the money from the fund's page, which moves the request to funded.
    secretariat.goto(f"{base}/funds/UPR-FTA/")
    secretariat.locator("tr", has_text=public_id).get_by_role("link", name="Allocate").click()
    secretariat.get_by_label("Amount allocated").fill("60,000")
    secretariat.get_by_label("Allocated on").fill("2026-02-02")
    secretariat.get_by_role("button", name="Record").click()
    expect(secretariat.locator(".messages")).to_contain_text(f"allocated to request {public_id}")
    act(state, "Start implementation")
    state.get_by_label("Progress", exact=True).fill("Database live; 40 officials trained")
    state.get_by_label("Final report").check()
    state.get_by_role("button", name="Submit the report").click()
    act(secretariat, "Record completion")
    act(secretariat, "Close")
    expect(secretariat.locator("#status")).to_have_text("Closed")

    # Anyone: the register lists it as closed; the timeline shows every step and the decision's reasons.
    public = browser.new_page()
    public.goto(f"{base}/assistance/?state=FJI")
    row = public.locator("tr", has_text=public_id)
    expect(row).to_contain_text("Closed")
    row.get_by_role("link", name=public_id).click()
    steps = public.locator("#timeline li")
    expect(steps).to_have_count(11)
    expect(public.locator("#timeline")).to_contain_text("Approved: clear need, State priority")
    expect(public.locator("#timeline")).not_to_contain_text("Who will maintain")
    assert "QXPARTNER" not in public.content()
    assert "Audit history" not in public.content()
    expect(secretariat.locator("#history-title")).to_be_visible()
