"""Donor-base metrics (para 21: broaden the donor base), and their chart.

Basis, stated once: a donor *gives* in a year when it makes a pledge that year that has not been
reversed; the amount is the pledge's value in the fund's currency of account on the pledge date (so
that pledges in several currencies add up). Metrics are computed per currency of account, over all
funds that keep their books in it, or over one fund.

* donors: how many gave that year; new: gave for the first time (over the whole history); returning:
  gave in an earlier year too.
* non-traditional share by count and by amount (``classification.py`` says who is traditional).
* concentration: Herfindahl-Hirschman index of the donors' shares of the year's amount, on the usual
  0-10,000 scale (10,000: one donor gives everything), and the share of the five largest donors.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from hrcoop.funds.selectors import live_pledges
from hrcoop.funds.statements import figures
from hrcoop.reference.models import Fund

# A year's figures in the order the API gives them; the shares (0 to 1) and the index (0 to 10,000) are
# rounded to the digits given.
_FIGURES = (
    "year", "currency", "donors", "new", "returning", "non_traditional", "non_traditional_share_count",
    "amount", "non_traditional_amount", "non_traditional_share_amount", "hhi", "top_five_share",
)  # fmt: skip
_ROUNDED = {
    "hhi": 1,
    "top_five_share": 4,
    "non_traditional_share_count": 4,
    "non_traditional_share_amount": 4,
}


@dataclass(frozen=True)
class YearMetrics:
    year: int
    currency: str
    donors: int
    new: int
    returning: int
    non_traditional: int
    amount: int
    non_traditional_amount: int
    hhi: float
    top_five_share: float

    @property
    def non_traditional_share_count(self) -> float:
        return self.non_traditional / self.donors if self.donors else 0.0

    @property
    def non_traditional_share_amount(self) -> float:
        return self.non_traditional_amount / self.amount if self.amount else 0.0

    def as_dict(self) -> dict[str, Any]:
        shown = figures(self, _FIGURES)
        return {name: round(v, _ROUNDED[name]) if name in _ROUNDED else v for name, v in shown.items()}


def donor_base(*, currency: str = "USD", fund: Fund | None = None) -> list[YearMetrics]:
    """One row per year with pledges, oldest first."""
    pledges = live_pledges().filter(fund__currency=currency)
    if fund is not None:
        pledges = pledges.filter(fund=fund)
    by_year: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    traditional: dict[int, bool] = {}
    for donor_id, is_traditional, pledged_on, amount in pledges.values_list(
        "donor_id", "donor__traditional", "pledged_on", "fund_amount"
    ):
        by_year[pledged_on.year][donor_id] += amount
        traditional[donor_id] = is_traditional
    seen: set[int] = set()
    out = []
    for year in sorted(by_year):
        amounts = by_year[year]
        total = sum(amounts.values())
        shares = [Fraction(a, total) for a in amounts.values()] if total else []
        out.append(
            YearMetrics(
                year=year,
                currency=currency,
                donors=len(amounts),
                new=len(amounts.keys() - seen),
                returning=len(amounts.keys() & seen),
                non_traditional=sum(1 for d in amounts if not traditional[d]),
                amount=total,
                non_traditional_amount=sum(a for d, a in amounts.items() if not traditional[d]),
                hhi=float(sum(s * s for s in shares) * 10_000),
                top_five_share=float(sum(sorted(shares, reverse=True)[:5])),
            )
        )
        seen |= amounts.keys()
    return out


def donor_base_chart(rows: list[YearMetrics]) -> str:
    """An SVG: donors per year (new and returning) and the non-traditional shares, for the public page."""
    # Imported here: matplotlib costs about 1.5 s, and every process would pay it to route URLs.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), layout="constrained")
    axes = figure.add_subplot()
    years = [r.year for r in rows]
    returning = [r.returning for r in rows]
    axes.bar(years, returning, color="#0b5394", label=_("Returning donors"))
    axes.bar(years, [r.new for r in rows], bottom=returning, color="#93c47d", label=_("New donors"))
    axes.set_ylabel(_("Donors"))
    axes.set_xticks(years)
    shares = axes.twinx()
    for share, style, color, label in (
        ("non_traditional_share_count", "o-", "#cc4125", _("Non-traditional share of donors (%)")),
        ("non_traditional_share_amount", "s--", "#e69138", _("Non-traditional share of amount (%)")),
    ):
        shares.plot(years, [100 * getattr(r, share) for r in rows], style, color=color, label=label)
    shares.set_ylim(0, 100)
    shares.set_ylabel("%")
    handles = axes.get_legend_handles_labels()[0] + shares.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", fontsize="small")
    axes.set_title(_("Donor base by year"))
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
