"""Issue 20 item 10: the board's published reasons never carry an amount the State keeps confidential."""

from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.assistance.reasons import amounts_in
from hrcoop.assistance.services import apply_transition
from hrcoop.core.errors import InvalidInput
from tests.assistance.conftest import World
from tests.factories import make_request


def _recommended(world: World, *, confidential: bool) -> AssistanceRequest:
    return make_request(
        world.state,
        world.fund,
        status=Status.RECOMMENDED,
        amount=4_800_000,
        budget_lines=[{"item": "Training", "amount": 1_250_050}, {"item": "Software", "amount": 3_549_950}],
        confidential_fields=["amount"] if confidential else [],
    )


@pytest.mark.parametrize(
    "reason",
    [
        "Approved at USD 48,000.",
        "Approved; 48 000 is reasonable",
        "Approved: 48.000,00 as requested",
        "Approved, 48k",
        "Approved with the training line of 12,500.50 halved",
        "Approved, but no more than 20,000 dollars for software",
        "Approved, $ 30,000 at most",
        "Approved: CHF 1000 for the venue",
    ],
)
def test_a_reason_that_gives_an_amount_is_refused_and_nothing_changes(world: World, reason: str) -> None:
    request = _recommended(world, confidential=True)
    steps = request.timeline.count()
    with pytest.raises(InvalidInput) as error:
        apply_transition(request, "approve", actor=world.users["board"], reason=reason)
    assert error.value.where == "reason" and "confidential" in error.value.message
    request.refresh_from_db()
    assert request.status == Status.RECOMMENDED and request.timeline.count() == steps


def test_reasons_without_money_pass_and_public_amounts_need_no_check(world: World) -> None:
    words = "Approved for 18 months, 3 workshops in 2026, as HRC resolution 47/1 asks (para 22)."
    assert amounts_in(words, _recommended(world, confidential=True)) == []
    moved = apply_transition(
        _recommended(world, confidential=True), "approve", actor=world.users["board"], reason=words
    )
    assert moved.status == Status.APPROVED
    public = _recommended(world, confidential=False)
    assert (
        apply_transition(public, "approve", actor=world.users["board"], reason="USD 48,000").status
        == "approved"
    )


def test_the_form_warns_before_and_keeps_the_reasons_when_it_refuses(world: World) -> None:
    request = _recommended(world, confidential=True)
    client = Client()
    client.force_login(world.users["board"])
    url = f"/assistance/requests/{request.public_id}/"
    page = client.get(url).content.decode()
    assert 'id="reason-approve-warning"' in page and "write no amount" in page
    refused = client.post(
        url, {"action": "approve", "version": request.version, "reason": "Fine at 48,000 USD, thanks"}
    )
    text = refused.content.decode()
    assert refused.status_code == 400 and "take out" in text and "48,000 USD" in text
    assert "Fine at 48,000 USD, thanks</textarea>" in text
    assert AssistanceRequest.objects.get(pk=request.pk).status == Status.RECOMMENDED
