"""Concurrent writers: eight people allocating against one fund at the same moment never commit more
than it has; one idempotency key sent to two funds at once is a conflict, not an error."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from hrcoop.core.errors import Conflict
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Allocation, Donor, Pledge
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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_key_sent_at_once_to_two_funds_is_a_conflict_not_an_error(
    secretariat: User, donors: dict[str, Donor]
) -> None:
    """Each fund locks only its own postings, so two funds can insert one key at once: the first commits,
    the second is told the key was used for something else (409), never an IntegrityError (500).

    The first transaction is held open until the second waits on the key's unique index, so that the
    two meet there every time.
    """

    def pledge(fund_code: str) -> Any:
        return services.record_pledge(
            fund_code=fund_code,
            donor_id=donors["norway"].pk,
            amount=Money(1_000, "USD"),
            pledged_on=DAY,
            idempotency_key="sent-twice",
            actor=secretariat,
        )

    def second_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")  # live, unlike pg_stat_activity
            return bool(cursor.fetchone()[0])

    first_posted = threading.Event()
    outcome: list[BaseException | Any] = []

    def second() -> None:
        try:
            first_posted.wait()
            outcome.append(pledge("UPR-FTA"))
        except BaseException as exc:  # the test reports whatever the service raised
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=second)
    thread.start()
    with transaction.atomic():
        pledge("VFTC")
        first_posted.set()
        while thread.is_alive() and not second_waits_on_a_lock():
            threading.Event().wait(0.05)
    thread.join()
    assert len(outcome) == 1
    assert isinstance(outcome[0], Conflict), repr(outcome[0])
    assert "already used for a different pledge" in str(outcome[0])
    assert Pledge.objects.count() == 1
    assert ledger_problems() == []
