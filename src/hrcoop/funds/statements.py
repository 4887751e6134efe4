"""The statements of the funds, built from ledger lines alone (so they always agree with the books).

* ``income_and_expenditure``: the table of a fund's annual update, per year and currency.
* ``contributions_by_donor``: pledged, paid, written off, outstanding and refunded, per donor.
* ``pledges_outstanding``: pledges not yet paid in full.
* ``allocations_per_request``: what each request was allocated, what was disbursed, what is still open.

Each is one or two grouped queries over ``Line``; sums are of integer minor units on every engine.
Years are those of the posting's ``occurred_on`` date (a reversal counts in the year it is posted). The
public's statement (``funds/disclosure.py``) counts the money of a request whose amount is confidential in
the later of the year it is dated and the year it was recorded (``year_of_lines``), so that a backdated
posting never changes a year already shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Func, QuerySet, Sum, When
from django.db.models.functions import ExtractYear, Greatest

from hrcoop.core.money import Money
from hrcoop.funds.models import Account, Donor, Line, Pledge, Posting
from hrcoop.reference.models import Fund, localised_name

K = Account.Kind
P = Posting.Kind


def year_of_lines(late: Collection[int] = ()) -> Func | Case:
    """The year a line counts in: its posting's date; for the money of the requests ``late`` (ids), the
    year it was recorded when that is later."""
    dated = ExtractYear("posting__occurred_on")
    if not late:
        return dated
    recorded = Greatest(dated, ExtractYear("posting__recorded_at"))
    return Case(When(posting__allocation__request_id__in=list(late), then=recorded), default=dated)


# What a statement row says of the money committed to requests: withheld together from the public when
# the row would reveal a confidential amount (``funds/disclosure.py``).
ALLOCATION_SIDE = ("allocations", "total_expenditure", "surplus", "disbursed")


def figures(row: object, names: Iterable[str]) -> dict[str, Any]:
    """The named figures of a statement row, in order, as the API gives them."""
    return {name: getattr(row, name) for name in names}


def _lines(fund: Fund | None, year: int | None = None) -> QuerySet[Line]:
    lines = Line.objects.all()
    if fund is not None:
        lines = lines.filter(account__fund=fund)
    if year is not None:
        lines = lines.filter(posting__occurred_on__year=year)
    return lines


@dataclass
class IncomeExpenditure:
    """One year of one fund in one currency. Income is recognised at pledge (IPSAS 23)."""

    year: int
    currency: str
    last_year: int | None = None  # a row of several years (the public's statement merges some)
    withheld: bool = False  # the allocation side is withheld from the public
    contributions: int = 0
    write_offs: int = 0
    refunds: int = 0
    allocations: int = 0
    expenditure: int = 0
    received: int = 0
    disbursed: int = 0

    @property
    def net_income(self) -> int:
        return self.contributions - self.write_offs - self.refunds

    @property
    def total_expenditure(self) -> int:
        return self.allocations + self.expenditure

    @property
    def surplus(self) -> int:
        return self.net_income - self.total_expenditure

    @property
    def period(self) -> str:
        return f"{self.year}\u2013{self.last_year}" if self.last_year else str(self.year)

    def shown(self, name: str) -> int | None:
        """The figure, or None when the public may not see it."""
        return None if self.withheld and name in ALLOCATION_SIDE else int(getattr(self, name))

    def as_dict(self) -> dict[str, Any]:
        fields = ["contributions", "write_offs", "refunds", "net_income", "allocations", "expenditure"]
        fields += ["total_expenditure", "surplus", "received", "disbursed"]
        return {
            "year": self.year,
            "last_year": self.last_year or self.year,
            "currency": self.currency,
            **{f: self.shown(f) for f in fields},
        }

    def money(self, name: str) -> Money | None:
        value = self.shown(name)
        return None if value is None else Money(value, self.currency)


def income_and_expenditure(fund: Fund, *, late: Collection[int] = ()) -> list[IncomeExpenditure]:
    """Rows by year (oldest first), then currency (the fund's own first); the money of the requests
    ``late`` counts in the year it was recorded when that is later than its date (``year_of_lines``)."""
    rows: dict[tuple[int, str], IncomeExpenditure] = {}
    grouped = (
        _lines(fund)
        .annotate(year=year_of_lines(late))
        .values("year", "account__kind", "account__currency", "posting__kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for g in grouped:
        key = (g["year"], g["account__currency"])
        row = rows.setdefault(key, IncomeExpenditure(year=g["year"], currency=g["account__currency"]))
        kind, total = g["account__kind"], int(g["total"])
        if kind == K.CONTRIBUTIONS:
            row.contributions -= total
        elif kind == K.WRITE_OFFS:
            row.write_offs += total
        elif kind == K.REFUNDS:
            row.refunds += total
        elif kind == K.ALLOCATIONS:
            row.allocations += total
        elif kind == K.EXPENDITURE:
            row.expenditure += total
        elif kind == K.CASH and g["posting__kind"] == P.RECEIPT:
            row.received += total
        elif kind == K.CASH and g["posting__kind"] == P.DISBURSEMENT:
            row.disbursed -= total
    return sorted(rows.values(), key=lambda r: (r.year, r.currency != fund.currency, r.currency))


@dataclass
class DonorContribution:
    donor: Donor
    currency: str
    pledged: int = 0
    paid: int = 0
    written_off: int = 0
    refunded: int = 0
    funds: set[str] = field(default_factory=set)

    @property
    def outstanding(self) -> int:
        return self.pledged - self.paid - self.written_off

    def money(self, name: str) -> Money:
        return Money(getattr(self, name), self.currency)

    def as_dict(self) -> dict[str, Any]:
        fields = ["currency", "pledged", "paid", "written_off", "outstanding", "refunded"]
        return {"donor": self.donor.pk, **figures(self, fields)}


def contributions_by_donor(
    *, fund: Fund | None = None, year: int | None = None, donor: Donor | None = None
) -> list[DonorContribution]:
    """Per donor and currency (of the pledge; refunds in the currency refunded), largest pledges first."""
    lines = _lines(fund, year)
    if donor is not None:
        lines = lines.filter(posting__pledge__donor=donor)
    rows: dict[tuple[int, str], DonorContribution] = {}
    donors: dict[int, Donor] = {}

    def row(donor_id: int, currency: str) -> DonorContribution:
        if donor_id not in donors:
            donors.update(Donor.objects.in_bulk([donor_id]))
        return rows.setdefault(
            (donor_id, currency), DonorContribution(donor=donors[donor_id], currency=currency)
        )

    receivable = (
        lines.filter(account__kind=K.PLEDGES_RECEIVABLE)
        .values("posting__pledge__donor_id", "posting__kind", "account__currency", "account__fund_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for g in receivable:
        entry = row(g["posting__pledge__donor_id"], g["account__currency"])
        entry.funds.add(g["account__fund_id"])
        total = int(g["total"])
        if g["posting__kind"] == P.PLEDGE:
            entry.pledged += total
        elif g["posting__kind"] == P.RECEIPT:
            entry.paid -= total
        elif g["posting__kind"] == P.WRITE_OFF:
            entry.written_off -= total
    refunds = (
        lines.filter(account__kind=K.REFUNDS)
        .values("posting__pledge__donor_id", "account__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for g in refunds:
        row(g["posting__pledge__donor_id"], g["account__currency"]).refunded += int(g["total"])
    # Ties are broken by the donor's id, not its name: the name of an anonymous donor must not place it.
    return sorted(rows.values(), key=lambda r: (r.currency, -r.pledged, r.donor.pk))


@dataclass(frozen=True)
class Outstanding:
    pledge: Pledge
    outstanding: Money


def pledges_outstanding(*, fund: Fund | None = None) -> list[Outstanding]:
    """Pledges with something left to pay, oldest first."""
    grouped = dict(
        _lines(fund)
        .filter(account__kind=K.PLEDGES_RECEIVABLE)
        .values("posting__pledge_id")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by()
        .values_list("posting__pledge_id", "total")
    )
    pledges = (
        Pledge.objects.filter(pk__in=grouped).select_related("donor", "fund").order_by("pledged_on", "id")
    )
    return [Outstanding(p, Money(int(grouped[p.pk]), p.currency)) for p in pledges]


@dataclass
class RequestAllocation:
    """A request's money from one fund in one currency; ``state`` is the requesting State's name in the
    active language (English in the API, the reader's on a page or in an export)."""

    request_id: int
    public_id: str
    state: str
    fund: str
    currency: str
    allocated: int = 0
    open: int = 0

    @property
    def disbursed(self) -> int:
        return self.allocated - self.open

    def money(self, name: str) -> Money:
        return Money(getattr(self, name), self.currency)

    def as_dict(self) -> dict[str, Any]:
        fields = ["state", "fund", "currency", "allocated", "disbursed", "open"]
        return {"request": self.public_id, **figures(self, fields)}


def allocations_per_request(*, fund: Fund | None = None) -> list[RequestAllocation]:
    """Allocated (net of reversals), disbursed and still open, per request and currency."""
    rows: dict[tuple[int, str], RequestAllocation] = {}
    grouped = (
        _lines(fund)
        .filter(account__kind__in=[K.ALLOCATIONS, K.COMMITMENTS])
        .values(
            "posting__allocation__request_id",
            "posting__allocation__request__public_id",
            "posting__allocation__request__requesting_state__name",
            "posting__allocation__request__requesting_state__names",
            "account__fund_id",
            "account__currency",
            "account__kind",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for g in grouped:
        key = (g["posting__allocation__request_id"], g["account__currency"])
        entry = rows.setdefault(
            key,
            RequestAllocation(
                request_id=key[0],
                public_id=g["posting__allocation__request__public_id"],
                state=localised_name(
                    g["posting__allocation__request__requesting_state__name"],
                    g["posting__allocation__request__requesting_state__names"],
                ),
                fund=g["account__fund_id"],
                currency=key[1],
            ),
        )
        if g["account__kind"] == K.ALLOCATIONS:
            entry.allocated += int(g["total"])
        else:
            entry.open -= int(g["total"])
    return sorted((r for r in rows.values() if r.allocated or r.open), key=lambda r: r.public_id)
