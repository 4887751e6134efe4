"""The ledger's business events, one by one: what each posts and what each refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hrcoop.assistance.models import Status
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Account, Line, Pledge, Posting
from hrcoop.funds.selectors import available, fund_balances, ledger_problems

D = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def usd(major: str) -> Money:
    return Money.parse(major, "USD")


def pledge(donor, amount: Money, key: str, actor, **kw):  # type: ignore[no-untyped-def]
    return services.record_pledge(
        fund_code="VFTC",
        donor_id=donor.pk,
        amount=amount,
        pledged_on=D,
        idempotency_key=key,
        actor=actor,
        **kw,
    )


def test_pledge_receipt_allocation_disbursement(secretariat: User, donors, make_request) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100000"), "p1", secretariat)
    services.record_receipt(
        pledge_id=p.pk, amount=usd("60000"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    request = make_request()
    allocation = services.allocate(
        request_id=request.public_id,
        amount=usd("50000"),
        allocated_on=D,
        idempotency_key="a1",
        actor=secretariat,
    )
    request.refresh_from_db()
    assert request.status == Status.FUNDED
    assert request.allocation_reference == f"VFTC/allocation/{allocation.pk}"
    services.disburse(
        allocation_id=allocation.pk,
        amount=usd("20000"),
        disbursed_on=D,
        idempotency_key="d1",
        actor=secretariat,
    )
    (balance,) = fund_balances(p.fund)
    assert (balance.cash, balance.open_commitments, balance.available) == (4_000_000, 3_000_000, 1_000_000)
    assert balance.pledges_outstanding == 4_000_000
    assert ledger_problems() == []


def test_allocation_beyond_available_is_refused(secretariat: User, donors, make_request) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100"), "p1", secretariat)
    services.record_receipt(
        pledge_id=p.pk, amount=usd("100"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    request = make_request()
    with pytest.raises(Conflict, match=r"VFTC has 100.00 USD available.*needs 100.01 USD"):
        services.allocate(
            request_id=request.public_id,
            amount=usd("100.01"),
            allocated_on=D,
            idempotency_key="a1",
            actor=secretariat,
        )
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert not Posting.objects.filter(kind="allocation").exists()


def test_same_event_twice_gives_one_posting(secretariat: User, donors) -> None:  # type: ignore[no-untyped-def]
    first = pledge(donors["qatar"], usd("500"), "same", secretariat)
    again = pledge(donors["qatar"], usd("500"), "same", secretariat)
    assert first.pk == again.pk
    assert Posting.objects.count() == 1 and Pledge.objects.count() == 1
    with pytest.raises(Conflict, match="already used for a different pledge"):
        pledge(donors["qatar"], usd("501"), "same", secretariat)


def test_receipt_in_another_currency_records_the_rate(secretariat: User, donors) -> None:  # type: ignore[no-untyped-def]
    p = pledge(
        donors["eu"],
        Money.parse("1000", "EUR"),
        "p1",
        secretariat,
        rate="1.08",
        rate_date=D,
        rate_source="UN operational rate of exchange",
    )
    assert p.fund_amount == 108_000
    receipt = services.record_receipt(
        pledge_id=p.pk,
        amount=usd("540.01"),
        received_on=D,
        idempotency_key="r1",
        actor=secretariat,
        rate=Decimal("0.925"),
        rate_date=D,
        rate_source="bank statement",
    )
    # 54001 US cents x 0.925 = 49950.925 euro cents -> 49951 (half to even at the euro's minor unit)
    assert receipt.pledge_amount == 49_951
    assert (receipt.rate, receipt.rate_source) == (Decimal("0.925"), "bank statement")
    balances = {b.currency: b for b in fund_balances(p.fund)}
    assert balances["USD"].cash == 54_001
    assert balances["EUR"].pledges_outstanding == 100_000 - 49_951
    assert ledger_problems() == []


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda d, u: pledge(d, Money(0, "USD"), "k", u), InvalidInput, "greater than zero"),
        (lambda d, u: pledge(d, Money(-5, "USD"), "k", u), InvalidInput, "greater than zero"),
        (lambda d, u: pledge(d, Money.parse("5", "XYZ"), "k", u), InvalidInput, "unknown currency 'XYZ'"),
        (
            lambda d, u: pledge(d, Money.parse("10000000000000000", "USD"), "k", u),
            InvalidInput,
            "beyond the largest",
        ),
        (lambda d, u: pledge(d, Money.parse("5", "EUR"), "k", u), InvalidInput, "needs an exchange rate"),
        (
            lambda d, u: pledge(d, Money.parse("5", "EUR"), "k", u, rate="1.1", rate_date=D),
            InvalidInput,
            "source of the exchange rate",
        ),
        (
            lambda d, u: services.record_receipt(
                pledge_id=999_999, amount=usd("5"), received_on=D, idempotency_key="k", actor=u
            ),
            NotFound,
            "no pledge 999999",
        ),
        (lambda d, u: pledge(d, usd("5"), "", u), InvalidInput, "idempotency key"),
        (
            lambda d, u: services.record_pledge(
                fund_code="VFTC",
                donor_id=d.pk,
                amount=usd("5"),
                pledged_on=timezone.localdate() + dt.timedelta(days=1),
                idempotency_key="k",
                actor=u,
            ),
            InvalidInput,
            "pledged_on: .* is in the future",
        ),
    ],
    ids=[
        "zero",
        "negative",
        "unknown-currency",
        "overflow",
        "missing-rate",
        "missing-source",
        "unknown-pledge",
        "no-key",
        "future",
    ],
)
def test_bad_input_posts_nothing(secretariat: User, donors, call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call(donors["norway"], secretariat)
    assert not Posting.objects.exists() and not Line.objects.exists() and not Pledge.objects.exists()
    assert set(Account.objects.values_list("balance", flat=True)) <= {0}


def test_overpayment_and_over_write_off_are_refused(secretariat: User, donors) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100"), "p1", secretariat)
    services.record_receipt(
        pledge_id=p.pk, amount=usd("70"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    with pytest.raises(
        Conflict, match=r"pledge .* has 30.00 USD outstanding; the receipt would take 30.01 USD"
    ):
        services.record_receipt(
            pledge_id=p.pk, amount=usd("30.01"), received_on=D, idempotency_key="r2", actor=secretariat
        )
    with pytest.raises(Conflict, match=r"30.00 USD outstanding; the write-off would take 40.00 USD"):
        services.write_off(
            pledge_id=p.pk,
            amount=usd("40"),
            written_off_on=D,
            reason="x",
            idempotency_key="w",
            actor=secretariat,
        )
    services.write_off(
        pledge_id=p.pk,
        amount=usd("30"),
        written_off_on=D,
        reason="donor budget cut",
        idempotency_key="w",
        actor=secretariat,
    )
    assert fund_balances(p.fund)[0].pledges_outstanding == 0
    assert ledger_problems() == []


def test_reversal_is_the_only_correction(secretariat: User, donors) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100"), "p1", secretariat)
    receipt = services.record_receipt(
        pledge_id=p.pk, amount=usd("100"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    pledge_posting = Posting.objects.get(kind="pledge")
    with pytest.raises(Conflict, match="reverse its receipts and write-offs first"):
        services.reverse(
            posting_id=pledge_posting.pk,
            reason="typo",
            reversed_on=D,
            idempotency_key="x1",
            actor=secretariat,
        )
    receipt_posting = receipt.postings.get()
    services.reverse(
        posting_id=receipt_posting.pk,
        reason="wrong pledge",
        reversed_on=D,
        idempotency_key="x2",
        actor=secretariat,
    )
    with pytest.raises(Conflict, match="already reversed"):
        services.reverse(
            posting_id=receipt_posting.pk,
            reason="again",
            reversed_on=D,
            idempotency_key="x3",
            actor=secretariat,
        )
    services.reverse(
        posting_id=pledge_posting.pk, reason="typo", reversed_on=D, idempotency_key="x1", actor=secretariat
    )
    assert available(p.fund, "USD") == usd("0")
    assert fund_balances(p.fund)[0].pledges_outstanding == 0
    assert Line.objects.count() == 8  # four postings, none edited
    with pytest.raises(Conflict, match="was reversed"):
        services.record_receipt(
            pledge_id=p.pk, amount=usd("1"), received_on=D, idempotency_key="r9", actor=secretariat
        )
    assert ledger_problems() == []


def test_only_the_secretariat_records(donors) -> None:  # type: ignore[no-untyped-def]
    outsider = User.objects.create_user("outsider")
    with pytest.raises(Forbidden):
        pledge(donors["norway"], usd("1"), "k", outsider)


def test_allocation_to_a_request_not_approved_is_refused(secretariat: User, donors, make_request) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100"), "p1", secretariat)
    services.record_receipt(
        pledge_id=p.pk, amount=usd("100"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    request = make_request(status=Status.RECOMMENDED)
    with pytest.raises(Conflict, match="only an approved"):
        services.allocate(
            request_id=request.public_id,
            amount=usd("1"),
            allocated_on=D,
            idempotency_key="a",
            actor=secretariat,
        )


def test_disbursement_and_refund_limits(secretariat: User, donors, make_request) -> None:  # type: ignore[no-untyped-def]
    p = pledge(donors["norway"], usd("100"), "p1", secretariat)
    receipt = services.record_receipt(
        pledge_id=p.pk, amount=usd("100"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    allocation = services.allocate(
        request_id=make_request().public_id,
        amount=usd("60"),
        allocated_on=D,
        idempotency_key="a",
        actor=secretariat,
    )
    with pytest.raises(
        Conflict, match=r"allocation \d+ has 60.00 USD not yet disbursed; the disbursement would take"
    ):
        services.disburse(
            allocation_id=allocation.pk,
            amount=usd("60.01"),
            disbursed_on=D,
            idempotency_key="d",
            actor=secretariat,
        )
    with pytest.raises(Conflict, match=r"VFTC has 40.00 USD available"):
        services.refund(
            receipt_id=receipt.pk,
            amount=usd("50"),
            refunded_on=D,
            reason="x",
            idempotency_key="f",
            actor=secretariat,
        )
    assert ledger_problems() == [] and Posting.objects.count() == 3


def test_an_entry_cannot_precede_what_it_follows_from(secretariat: User, donors, make_request) -> None:  # type: ignore[no-untyped-def]
    before = D - dt.timedelta(days=1)
    p = pledge(donors["norway"], usd("1000"), "p1", secretariat)
    receipt = services.record_receipt(
        pledge_id=p.pk, amount=usd("600"), received_on=D, idempotency_key="r1", actor=secretariat
    )
    allocation = services.allocate(
        request_id=make_request().public_id,
        amount=usd("500"),
        allocated_on=D,
        idempotency_key="a1",
        actor=secretariat,
    )
    postings = Posting.objects.count()
    refusals = [
        (
            lambda: services.record_receipt(
                pledge_id=p.pk, amount=usd("1"), received_on=before, idempotency_key="r2", actor=secretariat
            ),
            "received_on: the money cannot be received on 2026-02-28, before the pledge of 2026-03-01",
        ),
        (
            lambda: services.disburse(
                allocation_id=allocation.pk,
                amount=usd("1"),
                disbursed_on=before,
                idempotency_key="d1",
                actor=secretariat,
            ),
            "disbursed_on: the allocation cannot be disbursed on 2026-02-28, "
            "before it was made on 2026-03-01",
        ),
        (
            lambda: services.refund(
                receipt_id=receipt.pk,
                amount=usd("1"),
                refunded_on=before,
                reason="overpaid",
                idempotency_key="f1",
                actor=secretariat,
            ),
            "refunded_on: the money cannot be refunded on 2026-02-28, before it came in on 2026-03-01",
        ),
        (
            lambda: services.write_off(
                pledge_id=p.pk,
                amount=usd("1"),
                written_off_on=before,
                reason="will not pay",
                idempotency_key="w1",
                actor=secretariat,
            ),
            "written_off_on: the pledge cannot be written off on 2026-02-28, "
            "before it was made on 2026-03-01",
        ),
        (
            lambda: services.reverse(
                posting_id=Posting.objects.get(receipt=receipt).pk,
                reason="typed twice",
                reversed_on=before,
                idempotency_key="v1",
                actor=secretariat,
            ),
            "reversed_on: the posting cannot be reversed on 2026-02-28, before it occurred on 2026-03-01",
        ),
    ]
    for call, message in refusals:
        with pytest.raises(InvalidInput) as refused:
            call()
        assert str(refused.value) == message
    assert Posting.objects.count() == postings
    assert ledger_problems() == []
