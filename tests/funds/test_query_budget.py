"""How many queries each kind of posting costs, pinned so that the number cannot creep back up.

Every query of a posting is a round trip to the database and, on this project's scale, most of its
time (``bench/ledger.py``). The budgets below are for a fund whose accounts already exist; the
savepoints that the test's own transaction turns the services' transactions into are not counted.

The queries of an ordinary posting, in order: the looked-up document (with its fund), two for the
secretariat's role (``core.roles.has_role``), the fund's lock, the idempotency check, the new
document if any, the fund's accounts with their balances, the posting, its lines (one INSERT), the
balances (one UPDATE), the one sum the posting's rule needs (pledge outstanding, receipt kept or
allocation open; "available" comes from the balances already read), and three for the audit event
with its hash chain (lock the chain head, insert the event, move the head).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Donor

D = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db

BUDGET = {
    "pledge": 14,  # + the donor, no rule to check
    "receipt": 14,  # + the receipt; the pledge's outstanding sum
    "allocation top-up": 14,  # + the request's status re-read under the lock, the allocation
    "disbursement": 13,
    "expenditure": 12,  # no document, "available" from the balances
    "refund": 13,
    "write-off": 13,
    "reversal": 14,  # of an expenditure: + "already reversed?", the original's lines
    "replay": 7,  # a pledge's: the fund, the role, the donor, the lock, the check, the earlier posting
}


def usd(major: str) -> Money:
    return Money.parse(major, "USD")


def queries(call: Callable[[], Any]) -> tuple[int, Any]:
    """The number of queries ``call`` sends, savepoints aside, and what it returned."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    sent = [q["sql"] for q in captured.captured_queries]
    return sum(1 for sql in sent if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))), result


def test_queries_per_posting_kind(
    secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]
) -> None:
    norway, actor = donors["norway"].pk, secretariat

    def pledge(key: str) -> Any:
        return services.record_pledge(
            fund_code="VFTC",
            donor_id=norway,
            amount=usd("1000"),
            pledged_on=D,
            idempotency_key=key,
            actor=actor,
        )

    def receipt(pledge_id: int, key: str) -> Any:
        return services.record_receipt(
            pledge_id=pledge_id, amount=usd("500"), received_on=D, idempotency_key=key, actor=actor
        )

    request = make_request()
    first = pledge("p0")  # opens every account the budgets below assume
    services.refund(
        receipt_id=receipt(first.pk, "r0").pk,
        amount=usd("1"),
        refunded_on=D,
        reason="x",
        idempotency_key="f0",
        actor=actor,
    )
    services.allocate(
        request_id=request.public_id, amount=usd("10"), allocated_on=D, idempotency_key="a0", actor=actor
    )
    services.record_expenditure(
        fund_code="VFTC", amount=usd("1"), spent_on=D, description="x", idempotency_key="e0", actor=actor
    )
    services.write_off(
        pledge_id=first.pk, amount=usd("1"), written_off_on=D, reason="x", idempotency_key="w0", actor=actor
    )
    spent: dict[str, int] = {}
    spent["pledge"], p = queries(lambda: pledge("p1"))
    spent["replay"], _ = queries(lambda: pledge("p1"))
    spent["receipt"], r = queries(lambda: receipt(p.pk, "r1"))
    spent["allocation top-up"], a = queries(
        lambda: services.allocate(
            request_id=request.public_id, amount=usd("10"), allocated_on=D, idempotency_key="a1", actor=actor
        )
    )
    spent["disbursement"], _ = queries(
        lambda: services.disburse(
            allocation_id=a.pk, amount=usd("1"), disbursed_on=D, idempotency_key="d1", actor=actor
        )
    )
    spent["expenditure"], e = queries(
        lambda: services.record_expenditure(
            fund_code="VFTC", amount=usd("1"), spent_on=D, description="x", idempotency_key="e1", actor=actor
        )
    )
    spent["refund"], _ = queries(
        lambda: services.refund(
            receipt_id=r.pk, amount=usd("1"), refunded_on=D, reason="x", idempotency_key="f1", actor=actor
        )
    )
    spent["write-off"], _ = queries(
        lambda: services.write_off(
            pledge_id=p.pk, amount=usd("1"), written_off_on=D, reason="x", idempotency_key="w1", actor=actor
        )
    )
    spent["reversal"], _ = queries(
        lambda: services.reverse(
            posting_id=e.pk, reason="x", reversed_on=D, idempotency_key="v1", actor=actor
        )
    )
    over = {kind: (n, BUDGET[kind]) for kind, n in spent.items() if n > BUDGET[kind]}
    assert not over, f"queries per posting above the budget (sent, budget): {over}"
