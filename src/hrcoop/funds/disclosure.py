"""Which of a fund's totals the public may see without learning an amount a State keeps confidential.

A State may keep the amount of its request confidential; its allocation is still in the fund's books,
and every total that adds it up could give it away by arithmetic. When it is the only confidential
amount in a total, the total less the amounts that are public is that amount; when a total changes
between two visits by one allocation, the difference is that allocation; when a year is withheld but
the years around it and the balance are shown, the balance less those years is the withheld year. So
the rule is decided here, once, and every public output asks it: the fund pages and their CSV files,
the funds API, the IATI organisation files, the reports and the open-data bundle (docs/funds.md,
"Confidential amounts in public totals"):

1. A period is a calendar year. A posting counts in the year it is dated; the money of a request
   whose amount is confidential counts in the year it was recorded when that is later
   (``statements.year_of_lines``), so a backdated allocation never changes a year already shown.
2. The *confidential contributors* of a period, in a currency, are the requests whose amount is
   confidential with an allocation, a disbursement or a reversal of one in it. Requests whose amount
   is public do not count: their amounts can be subtracted from any total.
3. A year that has ended is shown alone when it has no confidential contributor or at least
   ``MIN_CONTRIBUTORS``; otherwise it is merged with the following years until the run has that many.
   A State that knows its own amount then learns only the sum of at least two others.
4. The current year is shown, and changes as money moves, only while its run has no confidential
   contributor; otherwise its allocation side waits until the run has ended with enough of them.
5. Cash and open commitments are shown as they stood at the end of the last run shown (the
   ``as_of`` date), or today when every year is shown; with no run shown they are withheld.

What the public still sees of a withheld year is what donors gave and paid (pledges, payments,
write-offs, refunds) and the fund's direct expenditure. The fund's secretariat and board, and
administrators, see every figure as the books hold it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db.models import Sum
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.core.models import Role
from hrcoop.core.money import Money
from hrcoop.core.roles import Actor, has_role
from hrcoop.funds.models import Account, Line
from hrcoop.funds.selectors import fund_balances
from hrcoop.funds.statements import IncomeExpenditure, income_and_expenditure, year_of_lines
from hrcoop.reference.models import Fund

MIN_CONTRIBUTORS = 3
K = Account.Kind


@dataclass(frozen=True)
class Run:
    """Consecutive years whose allocation side is shown together."""

    first: int
    last: int
    contributors: int  # confidential requests with money moved in the run


@dataclass(frozen=True)
class Disclosure:
    """What the public sees of one fund's money in one currency."""

    currency: str
    runs: list[Run]
    withheld_years: list[int]

    @property
    def live(self) -> bool:
        """Every year is shown, the current one included: figures as they are today."""
        return not self.withheld_years

    @property
    def as_of(self) -> dt.date | None:
        """The last day whose cumulative figures are shown; None when nothing is (or when ``live``)."""
        if self.live or not self.runs:
            return None
        return dt.date(self.runs[-1].last, 12, 31)

    def run_of(self, year: int) -> Run | None:
        return next((r for r in self.runs if r.first <= year <= r.last), None)


@dataclass(frozen=True)
class PublicBalance:
    """A fund's position in one currency as the reader may see it (None: withheld)."""

    currency: str
    cash: int | None
    open_commitments: int | None
    pledges_outstanding: int
    as_of: dt.date | None = None  # cash and commitments as they stood that day; None: today

    @property
    def available(self) -> int | None:
        if self.cash is None or self.open_commitments is None:
            return None
        return self.cash - self.open_commitments

    def shown(self, name: str) -> int | None:
        value: int | None = getattr(self, name)
        return value

    def money(self, name: str) -> Money | None:
        value = self.shown(name)
        return None if value is None else Money(value, self.currency)


def sees_every_amount(actor: Actor, fund: Fund) -> bool:
    """The fund's secretariat and board (and administrators) see the books as they are."""
    return has_role(actor, Role.SECRETARIAT, scope=fund.code) or has_role(actor, Role.BOARD, scope=fund.code)


def confidential_requests(fund: Fund) -> set[int]:
    """Ids of the fund's requests with money allocated whose State keeps the amount confidential."""
    requests = AssistanceRequest.objects.filter(fund=fund, allocations__isnull=False).distinct()
    return {r.pk for r in requests.only("confidential_fields") if r.is_confidential(ConfidentialField.AMOUNT)}


def disclosures(fund: Fund, *, today: dt.date | None = None) -> dict[str, Disclosure]:
    """The rule of this module applied to each currency of the fund."""
    this_year = (today or timezone.localdate()).year
    confidential = confidential_requests(fund)
    lines = Line.objects.filter(account__fund=fund).annotate(year=year_of_lines(confidential))
    first_year: dict[str, int] = {}
    for currency, year in lines.values_list("account__currency", "year").distinct().order_by():
        first_year[currency] = min(year, first_year.get(currency, year))
    contributors: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for currency, year, request_id in (
        lines.filter(posting__allocation__request_id__in=confidential)
        .values_list("account__currency", "year", "posting__allocation__request_id")
        .distinct()
        .order_by()
    ):
        contributors[currency][year].add(request_id)
    return {
        currency: _disclosure(currency, first, this_year, contributors[currency])
        for currency, first in first_year.items()
    }


def _disclosure(currency: str, first: int, this_year: int, contributors: dict[int, set[int]]) -> Disclosure:
    runs: list[Run] = []
    pending: list[int] = []
    pending_requests: set[int] = set()
    for year in range(first, this_year + 1):
        pending.append(year)
        pending_requests |= contributors.get(year, set())
        ended = year < this_year
        if not pending_requests or (ended and len(pending_requests) >= MIN_CONTRIBUTORS):
            runs.append(Run(pending[0], pending[-1], len(pending_requests)))
            pending, pending_requests = [], set()
    return Disclosure(currency=currency, runs=runs, withheld_years=pending)


def public_income_and_expenditure(fund: Fund, *, actor: Actor) -> list[IncomeExpenditure]:
    """The fund's statement as ``actor`` may see it: the books' own for its secretariat and board;
    for everyone else by run (several years on one row), the allocation side of withheld years blank."""
    if sees_every_amount(actor, fund):
        return income_and_expenditure(fund)
    rules = disclosures(fund)
    merged: dict[tuple[int, str], IncomeExpenditure] = {}
    for row in income_and_expenditure(fund, late=confidential_requests(fund)):
        rule = rules[row.currency]
        run = rule.run_of(row.year)
        if run is None:
            merged[row.year, row.currency] = replace(row, withheld=True)
            continue
        key = (run.first, row.currency)
        if key not in merged:
            last = run.last if run.last != run.first else None
            merged[key] = IncomeExpenditure(year=run.first, currency=row.currency, last_year=last)
        _add(merged[key], row)
    return sorted(merged.values(), key=lambda r: (r.year, r.currency != fund.currency, r.currency))


def _add(total: IncomeExpenditure, row: IncomeExpenditure) -> None:
    names = ("contributions", "write_offs", "refunds", "allocations", "expenditure", "received", "disbursed")
    for name in names:
        setattr(total, name, getattr(total, name) + getattr(row, name))


def public_balances(fund: Fund, *, actor: Actor) -> list[PublicBalance]:
    """The fund's balances per currency as ``actor`` may see them (rule 5 of this module)."""
    balances = fund_balances(fund)
    if sees_every_amount(actor, fund):
        return [
            PublicBalance(b.currency, b.cash, b.open_commitments, b.pledges_outstanding) for b in balances
        ]
    rules = disclosures(fund)
    shown = []
    for b in balances:
        rule = rules.get(b.currency)
        if rule is None or rule.live:
            shown.append(PublicBalance(b.currency, b.cash, b.open_commitments, b.pledges_outstanding))
        elif rule.as_of is None:
            shown.append(PublicBalance(b.currency, None, None, b.pledges_outstanding))
        else:
            cash, commitments = _balances_at_end_of(fund, b.currency, rule.as_of.year)
            shown.append(PublicBalance(b.currency, cash, commitments, b.pledges_outstanding, rule.as_of))
    return shown


def _balances_at_end_of(fund: Fund, currency: str, year: int) -> tuple[int, int]:
    """Cash and open commitments summed over the lines of the years up to ``year`` (public basis)."""
    totals = dict(
        Line.objects.filter(
            account__fund=fund, account__currency=currency, account__kind__in=[K.CASH, K.COMMITMENTS]
        )
        .annotate(year=year_of_lines(confidential_requests(fund)))
        .filter(year__lte=year)
        .values("account__kind")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("account__kind", "total")
    )
    return int(totals.get(K.CASH) or 0), -int(totals.get(K.COMMITMENTS) or 0)


def public_year(fund: Fund, year: int) -> list[IncomeExpenditure]:
    """The public's statement of one year alone (for the annual update): the allocation side is
    withheld unless the year is shown on a row of its own."""
    rules = disclosures(fund)
    rows = []
    for row in income_and_expenditure(fund, late=confidential_requests(fund)):
        if row.year == year:
            run = rules[row.currency].run_of(year)
            rows.append(replace(row, withheld=run is None or run.first != run.last))
    return rows


def public_expenditure(fund: Fund) -> list[IncomeExpenditure]:
    """The rows of the public's statement in the fund's currency whose allocation side is shown."""
    return [
        row
        for row in public_income_and_expenditure(fund, actor=None)
        if row.currency == fund.currency and not row.withheld
    ]
