"""``hrcoop funds verify``: the books' self-check as a command that an operator or a daily task runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F
from typer.testing import CliRunner

from hrcoop.cli import build_app
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Account, Donor, Line, Posting

D = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def verify() -> Any:
    return CliRunner().invoke(build_app(), ["funds", "verify"])


@pytest.fixture
def books(secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]) -> Posting:
    """A pledge, its receipt and an allocation; returns the receipt's posting."""
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money(500_000, "USD"),
        pledged_on=D,
        idempotency_key="p",
        actor=secretariat,
    )
    receipt = services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(400_000, "USD"),
        received_on=D,
        idempotency_key="r",
        actor=secretariat,
    )
    services.allocate(
        request_id=make_request().public_id,
        amount=Money(100_000, "USD"),
        allocated_on=D,
        idempotency_key="a",
        actor=secretariat,
    )
    return Posting.objects.get(receipt=receipt)


def test_sound_books_exit_0_with_one_line(books: Posting) -> None:
    result = verify()
    assert result.exit_code == 0, result.output
    assert result.output == "the books are sound: 3 postings, 6 lines checked\n"


def test_a_posting_that_does_not_balance_is_named(books: Posting) -> None:
    cash = books.lines.get(account__kind=Account.Kind.CASH)
    Line.objects.filter(pk=cash.pk).update(amount=F("amount") + 1)
    result = verify()
    assert result.exit_code == 1
    assert f"the books are not sound: posting {books.pk} does not sum to zero in USD" in result.output


def test_a_posting_edited_consistently_is_still_caught(books: Posting) -> None:
    """Both lines and both balances moved by the same amount: the books balance, the audit record does not."""
    for line in books.lines.select_related("account"):
        change = 1 if line.amount > 0 else -1
        Line.objects.filter(pk=line.pk).update(amount=F("amount") + change * 100_000)
        Account.objects.filter(pk=line.account_id).update(balance=F("balance") + change * 100_000)
    result = verify()
    assert result.exit_code == 1
    assert f"posting {books.pk} has other lines than its audit event recorded" in result.output


def test_the_daily_task_checks_the_books_and_alerts(books: Posting) -> None:
    from django.core import mail

    from hrcoop.core.tasks import verify_integrity

    User.objects.create_superuser("root", email="root@example.org", password="x" * 12)
    assert verify_integrity.call()["funds"] == 0
    cash = books.lines.get(account__kind=Account.Kind.CASH)
    Line.objects.filter(pk=cash.pk).update(amount=F("amount") + 1)
    assert verify_integrity.call()["funds"] >= 1
    [alert] = mail.outbox
    assert "INTEGRITY ALERT: funds" in alert.subject
    assert f"posting {books.pk} does not sum to zero in USD" in alert.body
