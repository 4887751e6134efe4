"""Benchmark: post 100,000 ledger events through the services, then build every statement.

Events (fixed seed): pledges in USD and EUR (with a rate), receipts in part, in full and in another
currency, allocations to approved requests (the first one moves the request to ``funded`` through the
assistance workflow), disbursements, direct expenditure, write-offs, refunds and reversals, over three
funds and twelve years. Each event is one service call: its own transaction, the fund's row lock, the
idempotency check, the rules of the books and one audit event.

Floors, measured in the same run on the same database, with the same number of postings and lines:
* per-event floor: one transaction per event holding plain INSERTs of its posting and its lines into
  two bare tables (no lock, no check, no audit) - what any ledger that commits each event must pay;
* bulk floor: the same rows ``executemany``-ed into the bare tables in one transaction.

    .venv/bin/python bench/ledger.py                  # SQLite, a fresh file in a temporary folder
    .venv/bin/python bench/ledger.py --postgres       # PostgreSQL at DATABASE_URL's server, in a fresh
                                                      # database created and dropped here
    .venv/bin/python bench/ledger.py --events 10000   # a shorter run
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from _database import bench_database  # the benchmark's own folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

FUNDS = ["UPR-FTA", "UPR-PART", "VFTC"]
FIRST_DAY, LAST_DAY = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
EUR_TO_USD = Decimal("1.08")
USD_TO_EUR = Decimal("0.925")


class Workload:
    """Generates events that are valid by construction (the books refuse the rest, which is counted)."""

    def __init__(self, actor: Any, donors: list[int], requests: dict[str, list[str]], *, events: int) -> None:
        self.rng = random.Random(20210713)
        self.events = events
        self.actor = actor
        self.donors = donors
        self.requests = requests
        self.n = 0
        self.pledges: list[list[Any]] = []  # [id, fund, currency, outstanding]
        self.receipts: list[list[Any]] = []  # [id, fund, currency, refundable]
        self.allocations: list[list[Any]] = []  # [id, fund, open]
        self.available = dict.fromkeys(FUNDS, 0)  # USD only: allocations and expenditure are in USD
        self.expenditures: list[int] = []
        self.refused = 0

    def day(self) -> dt.date:
        """Events happen in order over eleven years, as in real books: the ledger refuses a receipt
        dated before its pledge, a refund before its receipt, and any date in the future."""
        return FIRST_DAY + dt.timedelta(days=self.n * (LAST_DAY - FIRST_DAY).days // self.events)

    def key(self) -> str:
        self.n += 1
        return f"bench-{self.n}"

    def next_event(self) -> Callable[[], None]:
        roll = self.rng.random()
        open_pledges = [p for p in self.pledges[-500:] if p[3] > 1]
        if roll < 0.30 or not open_pledges:
            return self.pledge
        if roll < 0.60:
            return lambda: self.receipt(self.rng.choice(open_pledges))
        if roll < 0.75 and max(self.available.values()) > 100_000:
            return self.allocate
        open_allocations = [a for a in self.allocations[-500:] if a[2] > 0]
        if roll < 0.90 and open_allocations:
            return lambda: self.disburse(self.rng.choice(open_allocations))
        if roll < 0.95 and max(self.available.values()) > 10_000:
            return self.expenditure
        if roll < 0.97:
            return lambda: self.write_off(self.rng.choice(open_pledges))
        refundable = [r for r in self.receipts[-500:] if r[3] > 0 and r[2] == "USD"]
        if roll < 0.98 and refundable:
            return lambda: self.refund(self.rng.choice(refundable))
        if self.expenditures:
            return self.reverse_expenditure
        return self.pledge

    def pledge(self) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        fund = self.rng.choice(FUNDS)
        currency = "EUR" if self.rng.random() < 0.1 else "USD"
        amount = self.rng.randint(1_000, 50_000) * 100
        rate = {"rate": EUR_TO_USD, "rate_date": dt.date(2025, 1, 1), "rate_source": "UN operational rate"}
        pledge = services.record_pledge(
            fund_code=fund,
            donor_id=self.rng.choice(self.donors),
            amount=Money(amount, currency),
            pledged_on=self.day(),
            idempotency_key=self.key(),
            actor=self.actor,
            **(rate if currency == "EUR" else {}),
        )
        self.pledges.append([pledge.pk, fund, currency, amount])

    def receipt(self, pledge: list[Any]) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        pledge_id, fund, currency, outstanding = pledge
        part = outstanding if self.rng.random() < 0.6 else self.rng.randint(1, outstanding)
        extra: dict[str, Any] = {}
        paid_in = currency
        amount = part
        if currency == "EUR" and self.rng.random() < 0.5:  # a EUR pledge paid in USD
            paid_in, amount = "USD", int(Decimal(part - 1) / USD_TO_EUR)
            extra = {"rate": USD_TO_EUR, "rate_date": dt.date(2025, 1, 1), "rate_source": "bank statement"}
            if amount <= 0:
                return self.pledge()
        receipt = services.record_receipt(
            pledge_id=pledge_id,
            amount=Money(amount, paid_in),
            received_on=self.day(),
            idempotency_key=self.key(),
            actor=self.actor,
            **extra,
        )
        pledge[3] -= receipt.pledge_amount
        if paid_in == "USD":
            self.available[fund] += amount
        self.receipts.append([receipt.pk, fund, paid_in, amount])
        return None

    def allocate(self) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        fund = max(self.available, key=lambda f: self.available[f])
        amount = self.rng.randint(1, max(1, self.available[fund] // 3))
        request_id = self.rng.choice(self.requests[fund])
        allocation = services.allocate(
            request_id=request_id,
            amount=Money(amount, "USD"),
            allocated_on=self.day(),
            idempotency_key=self.key(),
            actor=self.actor,
        )
        self.available[fund] -= amount
        self.allocations.append([allocation.pk, fund, amount])

    def disburse(self, allocation: list[Any]) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        amount = allocation[2] if self.rng.random() < 0.5 else self.rng.randint(1, allocation[2])
        services.disburse(
            allocation_id=allocation[0],
            amount=Money(amount, "USD"),
            disbursed_on=self.day(),
            idempotency_key=self.key(),
            actor=self.actor,
        )
        allocation[2] -= amount

    def expenditure(self) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        fund = max(self.available, key=lambda f: self.available[f])
        amount = self.rng.randint(1, min(self.available[fund], 500_000))
        posting = services.record_expenditure(
            fund_code=fund,
            amount=Money(amount, "USD"),
            spent_on=self.day(),
            description="Travel of a delegation",
            idempotency_key=self.key(),
            actor=self.actor,
        )
        self.available[fund] -= amount
        self.expenditures.append(posting.pk)

    def write_off(self, pledge: list[Any]) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        services.write_off(
            pledge_id=pledge[0],
            amount=Money(pledge[3], pledge[2]),
            written_off_on=self.day(),
            reason="will not be paid",
            idempotency_key=self.key(),
            actor=self.actor,
        )
        pledge[3] = 0

    def refund(self, receipt: list[Any]) -> None:
        from hrcoop.core.money import Money
        from hrcoop.funds import services

        fund = receipt[1]
        amount = min(receipt[3], self.available[fund])
        if amount <= 0:
            return self.pledge()
        services.refund(
            receipt_id=receipt[0],
            amount=Money(amount, "USD"),
            refunded_on=self.day(),
            reason="unspent balance",
            idempotency_key=self.key(),
            actor=self.actor,
        )
        receipt[3] -= amount
        self.available[fund] -= amount
        return None

    def reverse_expenditure(self) -> None:
        from hrcoop.funds import services
        from hrcoop.funds.models import Line

        posting_id = self.expenditures.pop()
        services.reverse(
            posting_id=posting_id,
            reason="charged to the wrong fund",
            reversed_on=self.day(),
            idempotency_key=self.key(),
            actor=self.actor,
        )
        line = Line.objects.select_related("posting").get(posting_id=posting_id, account__kind="expenditure")
        self.available[line.posting.fund_id] += line.amount


def setup_data() -> tuple[Any, list[int], dict[str, list[str]]]:
    from django.utils import timezone

    from hrcoop.assistance.models import AssistanceRequest, Status
    from hrcoop.core.models import Role, User
    from hrcoop.core.services import grant_role
    from hrcoop.funds import services
    from hrcoop.reference.models import State

    actor = User.objects.create_user("bench-secretariat")
    grant_role(actor, Role.SECRETARIAT, actor=None)
    states = list(State.objects.order_by("iso3"))
    donors = [
        services.register_donor(
            name=s.name,
            kind="member_state" if s.status == "member" else "other_state",
            state_iso3=s.iso3,
            actor=actor,
        ).pk
        for s in states[:60]
    ]
    requests: dict[str, list[str]] = {}
    rows = []
    for fund in FUNDS:
        for n in range(400):
            public_id = f"AR-B{FUNDS.index(fund)}{n:05d}"
            requests.setdefault(fund, []).append(public_id)
            rows.append(
                AssistanceRequest(
                    public_id=public_id,
                    requesting_state=states[n % len(states)],
                    fund_id=fund,
                    title="Benchmark request",
                    currency="USD",
                    status=Status.APPROVED,
                    consent_given_by="Ministry",
                    consent_given_at=timezone.now(),
                    consent_reference="NV",
                )
            )
    AssistanceRequest.objects.bulk_create(rows)
    return actor, donors, requests


def floors(
    postings: list[tuple[int, str, str, dt.date]], lines: list[tuple[int, int, int]]
) -> tuple[float, float]:
    """Seconds for the per-event floor and for the bulk floor (see the module docstring)."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        for table in ("bench_line", "bench_posting"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            "CREATE TABLE bench_posting (id bigint PRIMARY KEY, kind text, key text, occurred_on date)"
        )
        cursor.execute("CREATE TABLE bench_line (posting_id bigint, account_id bigint, amount bigint)")
    by_posting: dict[int, list[tuple[int, int, int]]] = {}
    for line in lines:
        by_posting.setdefault(line[0], []).append(line)
    posting_sql = "INSERT INTO bench_posting VALUES (%s, %s, %s, %s)"
    line_sql = "INSERT INTO bench_line VALUES (%s, %s, %s)"
    started = time.perf_counter()
    for posting in postings:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(posting_sql, posting)
            cursor.executemany(line_sql, by_posting[posting[0]])
    per_event = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_line")
        cursor.execute("DELETE FROM bench_posting")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(posting_sql, postings)
        cursor.executemany(line_sql, lines)
    bulk = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_line")
        cursor.execute("DROP TABLE bench_posting")
    return per_event, bulk


def run(events: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hrcoop.core.errors import DomainError
    from hrcoop.funds.iati import activities_file
    from hrcoop.funds.metrics import donor_base
    from hrcoop.funds.models import Line, Posting
    from hrcoop.funds.selectors import ledger_problems
    from hrcoop.funds.statements import (
        allocations_per_request,
        contributions_by_donor,
        income_and_expenditure,
        pledges_outstanding,
    )
    from hrcoop.reference.models import Fund
    from hrcoop.reference.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    workload = Workload(*setup_data(), events=events)

    started = time.perf_counter()
    for n in range(1, events + 1):
        try:
            workload.next_event()()
        except DomainError:
            workload.refused += 1
        if n % 10_000 == 0:
            print(
                f"  {n:,} events posted in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True
            )
    post_seconds = time.perf_counter() - started

    timings: dict[str, float] = {}

    def timed(name: str, build: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        result = build()
        timings[name] = time.perf_counter() - t0
        return result

    funds = list(Fund.objects.all())
    timed("income and expenditure (3 funds)", lambda: [income_and_expenditure(f) for f in funds])
    timed("contributions by donor", contributions_by_donor)
    timed("pledges outstanding", pledges_outstanding)
    timed("allocations per request", allocations_per_request)
    timed("donor-base metrics", donor_base)
    timed("IATI activities file", activities_file)
    problems = timed("ledger self-check (full scan)", ledger_problems)

    postings = list(Posting.objects.values_list("id", "kind", "idempotency_key", "occurred_on"))
    lines = list(Line.objects.values_list("posting_id", "account_id", "amount"))
    per_event_floor, bulk_floor = floors(postings, lines)

    print(f"database            {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"events              {events:,} attempted, {len(postings):,} posted, {workload.refused:,} refused")
    print(f"lines               {len(lines):,}")
    print(f"ledger problems     {len(problems)}")
    print(f"bulk floor          {bulk_floor:8.2f} s  (same rows, executemany, one transaction)")
    print(
        f"per-event floor     {per_event_floor:8.2f} s  (same rows, plain INSERTs, one transaction per event)"
    )
    ratio = post_seconds / per_event_floor
    print(
        f"posting via services{post_seconds:8.2f} s  = {ratio:.1f}x the per-event floor, "
        f"{post_seconds / bulk_floor:.0f}x the bulk floor, {1000 * post_seconds / events:.2f} ms per event"
    )
    for name, seconds in timings.items():
        print(f"  {name:<34}{seconds:8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL)")
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with bench_database(postgres=args.postgres, label="ledger"):
        run(args.events)


if __name__ == "__main__":
    main()
