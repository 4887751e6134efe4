"""Eight people allocating against one fund at the same moment never commit more than it has."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from hrcoop.core.errors import Conflict
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Allocation, Donor
from hrcoop.funds.selectors import available, ledger_problems
from hrcoop.reference.models import Fund

DAY = dt.date(2026, 2, 2)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_threads_never_exceed_available(
    secretariat: User, fund: Fund, donors: dict[str, Donor], make_request: Callable[..., Any]
) -> None:
    pledge = services.record_pledge(
        fund_code=fund.code,
        donor_id=donors["norway"].pk,
        amount=Money(1_000_000, "USD"),
        pledged_on=DAY,
        idempotency_key="pledge",
        actor=secretariat,
    )
    services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(1_000_000, "USD"),
        received_on=DAY,
        idempotency_key="r",
        actor=secretariat,
    )
    # 8 threads x 3 allocations of 60,000 cents = 1,440,000 wanted against 1,000,000 available.
    requests = [make_request().public_id for _ in range(24)]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for request_id in requests[n * 3 : n * 3 + 3]:
                try:
                    services.allocate(
                        request_id=request_id,
                        amount=Money(60_000, "USD"),
                        allocated_on=DAY,
                        idempotency_key=f"alloc-{request_id}",
                        actor=secretariat,
                    )
                    outcomes.append("allocated")
                except Conflict:
                    outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 24
    assert outcomes.count("allocated") == 16  # 16 x 60,000 = 960,000 <= 1,000,000 < 17 x 60,000
    assert sum(a.amount for a in Allocation.objects.all()) == 960_000
    assert available(fund, "USD") == Money(40_000, "USD")
    assert ledger_problems() == []
