"""Each service of the funds records exactly one audit event of its declared kind: one per posting,
named by the posting's kind, and a reversal's whatever it undoes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from hrcoop.assistance.actions import AssistanceAction
from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.actions import LEDGER_ACTIONS, POSTING_ACTIONS, FundsAction
from hrcoop.funds.models import Donor, Posting
from hrcoop.funds.selectors import ledger_problems
from tests.conftest import records_exactly

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 1)
USD = Money(100_000, "USD")


def test_every_kind_of_posting_has_its_action() -> None:
    assert set(POSTING_ACTIONS) == set(Posting.Kind.values)
    assert all(action.value == f"funds.{kind}" for kind, action in POSTING_ACTIONS.items())
    assert set(LEDGER_ACTIONS) == {*POSTING_ACTIONS.values(), FundsAction.REVERSAL}


def test_funds_and_donors_record_one_event_each(secretariat: User) -> None:
    with records_exactly(FundsAction.FUND_CREATED):
        services.create_fund(code="NEW", name="A new fund", currency="USD", actor=secretariat)
    with records_exactly(FundsAction.DONOR_REGISTERED):
        services.register_donor(name="Norway", kind="member_state", state_iso3="NOR", actor=secretariat)


def test_every_ledger_event_records_one_event_of_its_kind(
    secretariat: User, donors: dict[str, Donor], make_request: Callable[..., AssistanceRequest]
) -> None:
    who = {"actor": secretariat}
    with records_exactly(FundsAction.PLEDGE):
        pledge = services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["norway"].pk,
            amount=USD,
            pledged_on=D,
            idempotency_key="p",
            **who,
        )
    with records_exactly(FundsAction.RECEIPT):
        receipt = services.record_receipt(
            pledge_id=pledge.pk, amount=Money(60_000, "USD"), received_on=D, idempotency_key="r", **who
        )
    with records_exactly(FundsAction.WRITE_OFF):
        services.write_off(
            pledge_id=pledge.pk,
            amount=Money(10_000, "USD"),
            written_off_on=D,
            reason="cut",
            idempotency_key="w",
            **who,
        )
    approved = make_request()  # set up before the block: it records the workflow's own events
    with records_exactly(FundsAction.ALLOCATION, AssistanceAction.FUNDED):  # the request is funded with it
        allocation = services.allocate(
            request_id=approved.public_id,
            amount=Money(30_000, "USD"),
            allocated_on=D,
            idempotency_key="a",
            **who,
        )
    with records_exactly(FundsAction.DISBURSEMENT):
        services.disburse(
            allocation_id=allocation.pk,
            amount=Money(10_000, "USD"),
            disbursed_on=D,
            idempotency_key="d",
            **who,
        )
    with records_exactly(FundsAction.EXPENDITURE):
        expenditure = services.record_expenditure(
            fund_code="VFTC",
            amount=Money(1_000, "USD"),
            spent_on=D,
            description="fees",
            idempotency_key="e",
            **who,
        )
    with records_exactly(FundsAction.REFUND):
        services.refund(
            receipt_id=receipt.pk,
            amount=Money(1_000, "USD"),
            refunded_on=D,
            reason="overpaid",
            idempotency_key="f",
            **who,
        )
    with records_exactly(FundsAction.REVERSAL):
        services.reverse(posting_id=expenditure.pk, reason="typo", reversed_on=D, idempotency_key="x", **who)
    assert ledger_problems() == []  # the tamper check reads exactly the events the ledger wrote
