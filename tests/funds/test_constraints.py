"""The rules that are facts about one row hold in the database too: a bug or a hand-written UPDATE that
would break them is refused by the database, whatever the services would have said."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import DataError, IntegrityError, transaction

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Account, Allocation, Donor, Line, Pledge, Receipt

D = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def books(secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]) -> dict[str, Any]:
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["eu"].pk,
        amount=Money(100_000, "EUR"),
        pledged_on=D,
        idempotency_key="p",
        rate=Decimal("1.08"),
        rate_date=D,
        rate_source="UN operational rate",
        actor=secretariat,
    )
    receipt = services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(50_000, "EUR"),
        received_on=D,
        idempotency_key="r",
        actor=secretariat,
    )
    usd = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money(500_000, "USD"),
        pledged_on=D,
        idempotency_key="u",
        actor=secretariat,
    )
    services.record_receipt(
        pledge_id=usd.pk, amount=Money(500_000, "USD"), received_on=D, idempotency_key="ur", actor=secretariat
    )
    request = make_request()
    allocation = services.allocate(
        request_id=request.public_id,
        amount=Money(100_000, "USD"),
        allocated_on=D,
        idempotency_key="a",
        actor=secretariat,
    )
    return {"pledge": pledge, "receipt": receipt, "allocation": allocation, "request": request}


@pytest.mark.parametrize(
    ("model", "document", "change"),
    [
        (Pledge, "pledge", {"amount": 0}),
        (Pledge, "pledge", {"fund_amount": -1}),
        (Pledge, "pledge", {"currency": "eur"}),
        (Pledge, "pledge", {"currency": "EU1"}),
        (Pledge, "pledge", {"currency": "EURO"}),  # PostgreSQL's varchar(3) refuses it first: DataError
        (Pledge, "pledge", {"rate_source": ""}),  # a rate without its source
        (Pledge, "pledge", {"rate_date": None}),
        (Pledge, "pledge", {"rate": Decimal(0)}),
        (Receipt, "receipt", {"amount": -5}),
        (Receipt, "receipt", {"currency": "Eur"}),
        (Receipt, "receipt", {"rate_source": "ECB"}),  # a source without a rate (same currency)
        (Allocation, "allocation", {"amount": 0}),
        (Allocation, "allocation", {"currency": "US"}),
        (AssistanceRequest, "request", {"amount_requested": -1}),
    ],
)
def test_a_row_that_breaks_a_rule_is_refused_by_the_database(
    books: dict[str, Any], model: Any, document: str, change: dict[str, Any]
) -> None:
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        model.objects.filter(pk=books[document].pk).update(**change)


def test_no_line_is_zero_and_no_account_has_a_bad_currency(books: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.filter(pk=Line.objects.first().pk).update(amount=0)  # type: ignore[union-attr]
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(currency="USD").update(currency="usd")
