"""Random sequences of every ledger operation; after each step the books must still be right.

Checked after every step (``ledger_problems``): each posting sums to zero per currency, every account
balance equals the sum of its lines, no fund is over-committed in any currency, no pledge is paid or
written off beyond what was pledged (the receipt's converted amount is rounded half to even to the
pledge currency's minor unit and the rule allows no tolerance beyond that one rounding), no receipt
is refunded beyond what came in, no allocation disbursed beyond what was allocated. A refused
operation and a replayed one (same idempotency key) must leave the books exactly as they were.
Runs on SQLite and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from hrcoop.core.errors import DomainError
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Account, Allocation, Donor, Line, Pledge, Posting, Receipt
from hrcoop.funds.selectors import ledger_problems
from hrcoop.reference.models import Fund

DAY = dt.date(2026, 1, 15)
USD_VALUE = {"USD": Decimal(1), "EUR": Decimal("1.0837"), "CHF": Decimal("1.1318")}
amounts = st.integers(min_value=1, max_value=5_000_000)
currencies = st.sampled_from(["USD", "EUR", "CHF"])


class LedgerMachine(RuleBasedStateMachine):
    actor: User
    fund: Fund
    donors: list[Donor]
    request_ids: list[str]

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.keys = itertools.count()
        self.calls: list[Callable[[], Any]] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------------------------------

    def snapshot(self) -> tuple[Any, ...]:
        return (
            Posting.objects.count(),
            Line.objects.count(),
            tuple(Account.objects.order_by("pk").values_list("pk", "balance")),
        )

    def attempt(self, call: Callable[[], Any]) -> None:
        """Run an operation: it either succeeds (and is kept for replay) or is refused and changes nothing."""
        before = self.snapshot()
        try:
            call()
        except DomainError:
            assert self.snapshot() == before, "a refused operation changed the books"
        else:
            self.calls.append(call)

    def key(self) -> str:
        return f"k{next(self.keys)}"

    def rate(self, source: str, target: str) -> dict[str, Any]:
        if source == target:
            return {}
        rate = (USD_VALUE[source] / USD_VALUE[target]).quantize(Decimal("0.000001"))
        return {"rate": rate, "rate_date": DAY, "rate_source": "UN operational rate of exchange"}

    # --- operations -----------------------------------------------------------------------------------

    @rule(data=st.data(), amount=amounts, currency=currencies)
    def pledge(self, data: st.DataObject, amount: int, currency: str) -> None:
        donor = data.draw(st.sampled_from(self.donors))
        key, rate = self.key(), self.rate(currency, "USD")
        self.attempt(
            lambda: services.record_pledge(
                fund_code=self.fund.code,
                donor_id=donor.pk,
                amount=Money(amount, currency),
                pledged_on=DAY,
                idempotency_key=key,
                actor=self.actor,
                **rate,
            )
        )

    @precondition(lambda self: Pledge.objects.exists())
    @rule(data=st.data(), amount=amounts, currency=currencies)
    def receipt(self, data: st.DataObject, amount: int, currency: str) -> None:
        pledge = data.draw(st.sampled_from(list(Pledge.objects.all())))
        key, rate = self.key(), self.rate(currency, pledge.currency)
        self.attempt(
            lambda: services.record_receipt(
                pledge_id=pledge.pk,
                amount=Money(amount, currency),
                received_on=DAY,
                idempotency_key=key,
                actor=self.actor,
                **rate,
            )
        )

    @rule(data=st.data(), amount=amounts)
    def allocate(self, data: st.DataObject, amount: int) -> None:
        request_id, key = data.draw(st.sampled_from(self.request_ids)), self.key()
        self.attempt(
            lambda: services.allocate(
                request_id=request_id,
                amount=Money(amount, "USD"),
                allocated_on=DAY,
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @precondition(lambda self: Allocation.objects.exists())
    @rule(data=st.data(), amount=amounts)
    def disburse(self, data: st.DataObject, amount: int) -> None:
        allocation, key = data.draw(st.sampled_from(list(Allocation.objects.all()))), self.key()
        self.attempt(
            lambda: services.disburse(
                allocation_id=allocation.pk,
                amount=Money(amount, allocation.currency),
                disbursed_on=DAY,
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @rule(amount=amounts, currency=currencies)
    def expenditure(self, amount: int, currency: str) -> None:
        key = self.key()
        self.attempt(
            lambda: services.record_expenditure(
                fund_code=self.fund.code,
                amount=Money(amount, currency),
                spent_on=DAY,
                description="Travel of a delegation to the UPR Working Group",
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @precondition(lambda self: Receipt.objects.exists())
    @rule(data=st.data(), amount=amounts)
    def refund(self, data: st.DataObject, amount: int) -> None:
        receipt, key = data.draw(st.sampled_from(list(Receipt.objects.all()))), self.key()
        self.attempt(
            lambda: services.refund(
                receipt_id=receipt.pk,
                amount=Money(amount, receipt.currency),
                refunded_on=DAY,
                reason="Unspent balance returned",
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @precondition(lambda self: Pledge.objects.exists())
    @rule(data=st.data(), amount=amounts)
    def write_off(self, data: st.DataObject, amount: int) -> None:
        pledge, key = data.draw(st.sampled_from(list(Pledge.objects.all()))), self.key()
        self.attempt(
            lambda: services.write_off(
                pledge_id=pledge.pk,
                amount=Money(amount, pledge.currency),
                written_off_on=DAY,
                reason="Donor will not pay",
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @precondition(lambda self: Posting.objects.exists())
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        posting, key = data.draw(st.sampled_from(list(Posting.objects.all()))), self.key()
        self.attempt(
            lambda: services.reverse(
                posting_id=posting.pk,
                reason="entered in error",
                reversed_on=DAY,
                idempotency_key=key,
                actor=self.actor,
            )
        )

    @precondition(lambda self: bool(self.calls))
    @rule(data=st.data())
    def replay(self, data: st.DataObject) -> None:
        call = data.draw(st.sampled_from(self.calls))
        before = self.snapshot()
        first = call()
        assert self.snapshot() == before, "replaying an event changed the books"
        assert call().pk == first.pk

    # --- after every step -----------------------------------------------------------------------------

    @invariant()
    def books_are_right(self) -> None:
        assert ledger_problems() == []


@pytest.mark.django_db
def test_random_sequences_keep_the_books_right(
    secretariat: User, fund: Fund, donors: dict[str, Donor], make_request: Callable[..., Any]
) -> None:
    LedgerMachine.actor = secretariat
    LedgerMachine.fund = fund
    LedgerMachine.donors = list(donors.values())
    LedgerMachine.request_ids = [make_request().public_id for _ in range(4)]
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
