"""The annual update on the activities of a fund (resolution para 20): its money and its requests.

Money comes from the ledger alone (``funds.statements``), so the update always agrees with the books;
requests and their clocks from the public timeline of the register. Donors that asked for anonymity are
named "Anonymous donor", as on the public pages.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrcoop.core.money import Money
from hrcoop.funds.disclosure import public_year
from hrcoop.funds.selectors import donor_label
from hrcoop.funds.statements import contributions_by_donor
from hrcoop.reference.models import Fund
from hrcoop.reference.selectors import fund_for
from hrcoop.reports import charts
from hrcoop.reports.builders import assistance
from hrcoop.reports.builders.common import check_year, in_english
from hrcoop.reports.document import Report, Section, Table, Value
from hrcoop.reports.templatetags.reports_tags import cell

DEFAULT_FUND = "VFTC"  # para 20 takes note of the update of the Voluntary Fund for Technical Cooperation


def money_section(fund: Fund, year: int) -> Section:
    section = Section(key="finances", title=_("Contributions, income and expenditure"))
    donors = contributions_by_donor(fund=fund, year=year)
    section.tables.append(
        Table(
            key="contributions_by_donor",
            caption=_("Contributions by donor, %(year)s") % {"year": year},
            columns=[_("Donor"), _("Pledged"), _("Paid"), _("Written off"), _("Refunded")],
            rows=[
                [
                    donor_label(None, d.donor),
                    d.money("pledged"),
                    d.money("paid"),
                    d.money("written_off"),
                    d.money("refunded"),
                ]
                for d in donors
            ],
            methods=_(
                "Ledger lines of the fund posted during the year, by the donor of the pledge they concern "
                "and by currency: pledges made, payments received against any pledge, pledges written off "
                "and refunds, net of reversals posted in the year."
            ),
        )
    )
    labels = [
        ("contributions", _("Contributions (pledges made)")),
        ("write_offs", _("Pledges written off")),
        ("refunds", _("Refunds to donors")),
        ("net_income", _("Net income")),
        ("allocations", _("Allocations to requests")),
        ("expenditure", _("Direct expenditure")),
        ("total_expenditure", _("Total expenditure")),
        ("surplus", _("Surplus (deficit)")),
        ("received", _("Cash received")),
        ("disbursed", _("Cash disbursed")),
    ]
    # The public's statement (funds/disclosure.py): a year shown only with others, or not yet, has its
    # money committed to requests withheld, so that the report reveals no confidential amount.
    years = public_year(fund, year)
    columns = [_("Item")] + [row.currency for row in years]
    rows: list[list[Value]] = [[label, *(row.money(name) for row in years)] for name, label in labels]
    section.tables.append(
        Table(
            key="income_and_expenditure",
            caption=_("Income and expenditure, %(year)s") % {"year": year},
            columns=columns,
            rows=rows if years else [],
            methods=_(
                "Sums of the fund's ledger lines posted during the year, per account and currency. Income "
                "is recognised when a pledge is made (IPSAS 23); an allocation to a request counts as "
                "expenditure when it is made; cash received and disbursed are the movements of the cash "
                "account."
            ),
        )
    )
    if any(row.withheld for row in years):
        section.footnotes.append(
            _(
                "Some States keep the amount of their request confidential: the money committed to "
                "requests in %(year)s is shown only with that of other years, or later, so that no total "
                "reveals one of them (—)."
            )
            % {"year": year}
        )
    if not years:
        section.footnotes.append(_("Nothing was posted to the fund's ledger in %(year)s.") % {"year": year})
    return section


def requests_section(fund: Fund, year: int) -> Section:
    section = Section(key="requests", title=_("Requests for assistance"))
    steps = assistance.steps_table(year, fund=fund, key="requests_by_step")
    section.tables += [steps, assistance.clocks_table(year, fund=fund, key="service_levels")]
    section.charts.append(
        charts.bars(
            steps,
            column=_("Requests"),
            key="chart_requests_by_step",
            caption=steps.caption,
            methods=_("The counts of the table of requests by step reached."),
        )
    )
    return section


def projects_section(fund: Fund, year: int) -> Section:
    section = Section(key="projects", title=_("Projects and results"))
    projects = assistance.projects_table(year, fund=fund, key="projects_by_region")
    if not projects.rows:
        projects.footnotes.append(_("No request to the fund was funded in %(year)s.") % {"year": year})
    section.tables += [projects, assistance.results_table(year, fund=fund, key="results_reported")]
    return section


def build_fund_update(*, year: int, fund_code: str = DEFAULT_FUND) -> Report:
    check_year(year)
    fund = fund_for(fund_code)
    total_received = sum(
        (Money(r.received, r.currency) for r in public_year(fund, year) if r.currency == fund.currency),
        Money(0, fund.currency),
    )
    introduction = Section(
        key="introduction",
        title=_("Introduction"),
        paragraphs=[
            _(
                "This update on the activities of the %(fund)s in %(year)s is generated from the fund's "
                "ledger and from the public register of requests for assistance. In %(year)s the fund "
                "received %(received)s."
            )
            % {"fund": in_english(fund.name), "year": year, "received": cell(total_received)}
        ],
        footnotes=[_("The fund's name is given as registered, in English.")],
    )
    return Report(
        kind="fund-update",
        title=_("Annual update on the activities of the fund"),
        subtitle=f"{fund.name}, {year}",
        year=year,
        language=get_language(),
        sections=[
            introduction,
            money_section(fund, year),
            requests_section(fund, year),
            projects_section(fund, year),
        ],
        parameters={"fund": fund.code},
    )
