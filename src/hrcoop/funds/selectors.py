"""Reads of the funds: balances, the books' self-checks, and what each actor may see of donors.

Fund figures are public (para 23: donors and the public see what came in and where it went). Two
things depend on who asks: the name of a donor who asked to stay anonymous (seen by the secretariat,
admins and that donor's own representatives), and the amount allocated to a request whose State keeps
its amount confidential (seen by those who see the request's confidential fields).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.selectors import sees_confidential
from hrcoop.core.errors import NotFound
from hrcoop.core.models import AuditEvent, Role
from hrcoop.core.money import Money
from hrcoop.core.roles import Actor, has_role
from hrcoop.funds.actions import LEDGER_ACTIONS
from hrcoop.funds.models import Account, Allocation, Donor, Line, Pledge, Posting
from hrcoop.reference.models import Fund

K = Account.Kind


@dataclass(frozen=True)
class Balance:
    """A fund's position in one currency. ``available`` = cash received less what is committed."""

    currency: str
    cash: int
    open_commitments: int
    pledges_outstanding: int

    @property
    def available(self) -> int:
        return self.cash - self.open_commitments

    def money(self, field: str) -> Money:
        return Money(getattr(self, field), self.currency)


def fund_balances(fund: Fund) -> list[Balance]:
    """One ``Balance`` per currency in which the fund has any account, the fund's own currency first."""
    by_currency: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, currency, balance in Account.objects.filter(fund=fund).values_list(
        "kind", "currency", "balance"
    ):
        by_currency[currency][kind] = balance
    by_currency.setdefault(fund.currency, {})
    return [
        Balance(
            currency=currency,
            cash=kinds.get(K.CASH, 0),
            open_commitments=-kinds.get(K.COMMITMENTS, 0),
            pledges_outstanding=kinds.get(K.PLEDGES_RECEIVABLE, 0),
        )
        for currency, kinds in sorted(
            by_currency.items(), key=lambda item: (item[0] != fund.currency, item[0])
        )
    ]


def available(fund: Fund, currency: str) -> Money:
    for balance in fund_balances(fund):
        if balance.currency == currency:
            return balance.money("available")
    return Money(0, currency)


def ledger_problems(*, fund: Fund | None = None) -> list[str]:
    """Everything wrong with the books (empty when they are right); a full scan, for tests and audits."""
    lines = Line.objects.all() if fund is None else Line.objects.filter(account__fund=fund)
    accounts = Account.objects.all() if fund is None else Account.objects.filter(fund=fund)
    problems: list[str] = []
    for row in (
        lines.values("posting_id", "account__currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by()
    ):
        problems.append(f"posting {row['posting_id']} does not sum to zero in {row['account__currency']}")
    sums = dict(lines.values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total"))
    for account in accounts:
        if account.balance != (sums.get(account.pk) or 0):
            problems.append(
                f"account {account} balance {account.balance} != sum of its lines {sums.get(account.pk)}"
            )
    positions: dict[tuple[str, str], int] = defaultdict(int)
    for account in accounts.filter(kind__in=[K.CASH, K.COMMITMENTS]):
        positions[account.fund_id, account.currency] += account.balance
    problems += [f"{f} is over-committed in {c} by {-v}" for (f, c), v in positions.items() if v < 0]
    per_pledge = lines.filter(account__kind=K.PLEDGES_RECEIVABLE).values("posting__pledge_id")
    problems += [
        f"pledge {row['posting__pledge_id']} is paid or written off beyond what was pledged"
        for row in per_pledge.annotate(total=Sum("amount")).filter(total__lt=0).order_by()
    ]
    per_receipt = lines.filter(account__kind=K.CASH, posting__receipt__isnull=False).values(
        "posting__receipt_id"
    )
    problems += [
        f"receipt {row['posting__receipt_id']} is refunded beyond what came in"
        for row in per_receipt.annotate(total=Sum("amount")).filter(total__lt=0).order_by()
    ]
    per_allocation = lines.filter(account__kind=K.COMMITMENTS).values("posting__allocation_id")
    problems += [
        f"allocation {row['posting__allocation_id']} is disbursed beyond what was allocated"
        for row in per_allocation.annotate(total=Sum("amount")).filter(total__gt=0).order_by()
    ]
    reversals = Posting.objects.filter(reverses__isnull=False).values("reverses_id").annotate(n=Count("id"))
    problems += [f"posting {row['reverses_id']} is reversed twice" for row in reversals.filter(n__gt=1)]
    return problems


def books_problems() -> list[str]:
    """The whole check of the books, ``hrcoop funds verify``'s and the daily task's: the rules of the
    ledger first, then postings that differ from their audit events."""
    return ledger_problems() + tampered_postings()


def tampered_postings() -> list[str]:
    """Postings that differ from what their audit events recorded (empty when none does): a line
    edited, added or removed, a posting without its event or an event without its posting.

    The audit log's hash chain (``core.audit.verify_audit_chain``) guards the record, so whoever edits
    a posting consistently, balances included, must also break the chain to go unnoticed. Postings
    recorded before the audit events carried their lines are checked for their event only.
    """
    recorded: dict[int, list[list[Any]] | None] = {}
    events = AuditEvent.objects.filter(action__in=LEDGER_ACTIONS).values_list("data", flat=True)
    for data in events.order_by("id"):
        recorded[int(data["posting"])] = data.get("lines")
    actual: dict[int, list[list[Any]]] = defaultdict(list)
    for posting_id, kind, currency, amount in Line.objects.values_list(
        "posting_id", "account__kind", "account__currency", "amount"
    ):
        actual[posting_id].append([kind, currency, amount])
    postings = list(Posting.objects.order_by("id").values_list("id", flat=True))
    problems: list[str] = []
    for pk in postings:
        if pk not in recorded:
            problems.append(f"posting {pk} has no audit event")
        elif recorded[pk] is not None and recorded[pk] != sorted(actual[pk]):
            problems.append(
                f"posting {pk} has other lines than its audit event recorded: {sorted(actual[pk])}"
            )
    problems += [
        f"posting {pk} is in the audit log but not in the ledger"
        for pk in sorted(recorded.keys() - set(postings))
    ]
    return problems


def live_pledges() -> QuerySet[Pledge]:
    """Pledges whose pledge posting has not been reversed."""
    reversed_pledge = Posting.objects.filter(
        pledge=OuterRef("pk"), kind=Posting.Kind.PLEDGE, reverses__isnull=False
    )
    return Pledge.objects.filter(~Exists(reversed_pledge))


def live_allocations(request: AssistanceRequest) -> QuerySet[Allocation]:
    """The request's allocations whose allocation posting has not been reversed."""
    reversed_allocation = Posting.objects.filter(
        allocation=OuterRef("pk"), kind=Posting.Kind.ALLOCATION, reverses__isnull=False
    )
    return Allocation.objects.filter(request=request).filter(~Exists(reversed_allocation))


def may_see_donor(actor: Actor, donor: Donor) -> bool:
    """The donor's name is public unless it asked for anonymity."""
    return (
        not donor.anonymous
        or has_role(actor, Role.SECRETARIAT)
        or has_role(actor, Role.DONOR, scope=str(donor.pk))
    )


def donor_label(actor: Actor, donor: Donor) -> str:
    return donor.name if may_see_donor(actor, donor) else _("Anonymous donor")


def donors_in_public_order(actor: Actor, donors: Iterable[Donor]) -> list[tuple[Donor, str, bool]]:
    """Each donor with the name ``actor`` may read and whether it may see who it is, ordered by that
    name (then by id): ordered by the real names, a list would place an anonymous donor among them."""
    rows = [(d, donor_label(actor, d), may_see_donor(actor, d)) for d in donors]
    return sorted(rows, key=lambda row: (row[1].casefold(), row[0].pk))


def donor_for(actor: Actor, donor_id: int) -> Donor:
    """A donor's page: anonymous donors have none for the public (404: not even that it exists)."""
    donor = Donor.objects.select_related("state__regional_group", "organisation").filter(pk=donor_id).first()
    if donor is None or not may_see_donor(actor, donor):
        raise NotFound(_("there is no donor %(id)s") % {"id": donor_id})
    return donor


def amounts_withheld(actor: Actor, request_ids: list[int]) -> set[int]:
    """Requests whose State keeps its amount confidential (DESIGN.md §1), unless ``actor`` may see it.

    The fund's totals still include these allocations; only the per-request figures are withheld.
    """
    requests = AssistanceRequest.objects.filter(pk__in=request_ids).select_related("requesting_state")
    return {r.pk for r in requests if r.is_confidential("amount") and not sees_confidential(r, actor)}
