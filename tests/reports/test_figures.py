"""Every figure of the three reports against an independent raw SQL query over the same data.

The data is a year built through the services (``conftest.year_2021``); each query here is written
from the schema, not from the builders, and counts what the methods annex says the figure counts. A
few figures are also checked against what the scenario was built to contain, so that a query and a
builder wrong in the same way still fail.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from hrcoop.assistance.models import Stage, Status
from hrcoop.core.money import Money
from hrcoop.mandates.models import Mandate
from hrcoop.recommendations.models import Response
from hrcoop.reports.builders.common import group_name
from hrcoop.reports.building import build_report
from hrcoop.reports.document import Share, Table
from tests.reports.conftest import Year

pytestmark = pytest.mark.django_db

GENEVA = ZoneInfo("Europe/Zurich")
START = dt.datetime(2021, 1, 1, tzinfo=GENEVA)
END = dt.datetime(2022, 1, 1, tzinfo=GENEVA)
RESPONSE_COLUMNS = {str(Response(r).label): r for r in ("supported", "supported_in_part", "noted", "pending")}


def instant(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def rows_by_label(table: Table) -> dict[str, dict[str, Any]]:
    return {str(row[0]): dict(zip(table.columns[1:], row[1:], strict=True)) for row in table.rows}


def responses(table: Table) -> dict[str, Counter[str]]:
    """A response table back into counts per row and response code, with its totals checked."""
    out: dict[str, Counter[str]] = {}
    for label, row in rows_by_label(table).items():
        counts = Counter({code: row[column] for column, code in RESPONSE_COLUMNS.items() if row[column]})
        assert row["Total"] == sum(counts.values()) + row["Other"]
        assert row["Supported (%)"] == Share(counts["supported"], row["Total"])
        if row["Other"]:
            counts["other"] = row["Other"]
        out[label] = counts
    return out


def grouped(sql: Any, query: str, params: list[Any], label: Any = str) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for key, response, n in sql(query, params):
        out[label(key)][response if response in RESPONSE_COLUMNS.values() else "other"] += n
    return dict(out)


def test_fund_update_figures_match_the_ledger_and_the_register(year_2021: Year, sql: Any) -> None:
    report = build_report("fund-update", year=2021, language="en")

    # Contributions by donor: pledges made and payments received in 2021, per donor.
    ledger = sql(
        """
        SELECT d.name, d.anonymous, p.kind, SUM(l.amount)
        FROM funds_line l JOIN funds_posting p ON p.id = l.posting_id
        JOIN funds_account a ON a.id = l.account_id
        JOIN funds_pledge pl ON pl.id = p.pledge_id JOIN funds_donor d ON d.id = pl.donor_id
        WHERE a.fund_id = %s AND a.kind = 'pledges_receivable' AND p.occurred_on >= %s AND p.occurred_on < %s
        GROUP BY d.name, d.anonymous, p.kind
        """,
        ["VFTC", day(dt.date(2021, 1, 1)), day(dt.date(2022, 1, 1))],
    )
    expected: dict[str, dict[str, Money]] = defaultdict(dict)
    for name, anonymous, kind, total in ledger:
        shown = "Anonymous donor" if anonymous else name
        column = {"pledge": "Pledged", "receipt": "Paid"}[kind]
        expected[shown][column] = Money(abs(int(total)), "USD")
    donors = rows_by_label(report.table("contributions_by_donor"))
    assert {name: {c: donors[name][c] for c in cols} for name, cols in expected.items()} == expected
    assert set(donors) == {"Norway", "Qatar", "Anonymous donor"}  # the foundation asked for anonymity
    assert donors["Norway"]["Paid"] == Money(55_000_000, "USD")  # 2020's pledge paid in 2021 counts

    # Income and expenditure: sums per account kind over the year.
    sums = dict(
        sql(
            """
            SELECT a.kind, SUM(l.amount) FROM funds_line l
            JOIN funds_posting p ON p.id = l.posting_id JOIN funds_account a ON a.id = l.account_id
            WHERE a.fund_id = %s AND p.occurred_on >= %s AND p.occurred_on < %s GROUP BY a.kind
            """,
            ["VFTC", day(dt.date(2021, 1, 1)), day(dt.date(2022, 1, 1))],
        )
    )
    cash = dict(
        sql(
            """
            SELECT p.kind, SUM(l.amount) FROM funds_line l
            JOIN funds_posting p ON p.id = l.posting_id JOIN funds_account a ON a.id = l.account_id
            WHERE a.fund_id = %s AND a.kind = 'cash' AND p.occurred_on >= %s AND p.occurred_on < %s
            GROUP BY p.kind
            """,
            ["VFTC", day(dt.date(2021, 1, 1)), day(dt.date(2022, 1, 1))],
        )
    )
    income = report.table("income_and_expenditure").column("USD")
    kinds = ("contributions", "write_offs", "refunds", "allocations", "expenditure")
    usd = {kind: int(sums.get(kind) or 0) for kind in kinds}
    net = -usd["contributions"] - usd["write_offs"] - usd["refunds"]
    spent = usd["allocations"] + usd["expenditure"]
    expected_income = {
        "Contributions (pledges made)": -usd["contributions"],
        "Pledges written off": usd["write_offs"],
        "Refunds to donors": usd["refunds"],
        "Net income": net,
        "Allocations to requests": usd["allocations"],
        "Direct expenditure": usd["expenditure"],
        "Total expenditure": spent,
        "Surplus (deficit)": net - spent,
        "Cash received": int(cash.get("receipt") or 0),
        "Cash disbursed": -int(cash.get("disbursement") or 0),
    }
    # 40,000 to Fiji's public request and 9,000 to its confidential one: the year's 49,000 less the
    # public 40,000 would give the 9,000 away, so the public report withholds what sums it
    # (funds/disclosure.py).
    assert Money(int(sums["allocations"]), "USD") == Money(4_900_000, "USD")
    withheld = {"Allocations to requests", "Total expenditure", "Surplus (deficit)", "Cash disbursed"}
    shown = {label: None if label in withheld else Money(n, "USD") for label, n in expected_income.items()}
    assert income == shown
    assert any("confidential" in note for note in report.section("finances").footnotes)
    assert income["Cash received"] == Money(int(sums["cash"]), "USD")  # no disbursement this year
    received = Money(int(sums["cash"]), "USD").major()
    assert report.section("introduction").paragraphs[0].endswith(f"the fund received {received:,.2f} USD.")

    # Requests by step reached in the year (Geneva time), drafts never counted.
    reached = dict(
        sql(
            """
            SELECT t.target, COUNT(DISTINCT t.request_id) FROM assistance_transitionrecord t
            JOIN assistance_assistancerequest r ON r.id = t.request_id
            WHERE r.fund_id = %s AND t.at >= %s AND t.at < %s GROUP BY t.target
            """,
            ["VFTC", instant(START), instant(END)],
        )
    )
    steps = report.table("requests_by_step").column("Requests")
    for status in ("submitted", "approved", "declined", "funded", "withdrawn"):
        label = "Received (submitted)" if status == "submitted" else str(Status(status).label)
        assert steps[label] == reached.get(status, 0)
    assert (steps["Received (submitted)"], steps["Approved"], steps["Declined"], steps["Funded"]) == (
        3,
        2,
        1,
        2,
    )

    # Service levels: clocks completed in the year, on-time counts and medians.
    clocks: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for stage, taken, on_time in sql(
        """
        SELECT stage, working_days_taken, on_time FROM assistance_stageclock
        WHERE fund_id = %s AND completed = %s AND ended_at >= %s AND ended_at < %s
        """,
        ["VFTC", True, instant(START), instant(END)],
    ):
        clocks[stage].append((taken, bool(on_time)))
    levels = rows_by_label(report.table("service_levels"))
    for stage in Stage:
        row, members = levels[str(stage.label)], clocks.get(stage, [])
        assert row["Stages completed"] == len(members)
        assert row["On time"] == sum(on for _days, on in members)
        median = statistics.median(days for days, _on in members) if members else None
        assert row["Median working days"] == (Decimal(str(median)) if median is not None else None)
    assert levels["Acknowledgement"]["Stages completed"] == 4  # Ghana's request of December 2020 too
    assert levels["Acknowledgement"]["On time"] == 3  # Haiti's was acknowledged after ten working days

    # Projects funded in the year by regional group, LDCs and SIDS.
    projects = sql(
        """
        SELECT s.regional_group_id, COUNT(*), SUM(CASE WHEN s.ldc THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.sids THEN 1 ELSE 0 END)
        FROM assistance_assistancerequest r JOIN reference_state s ON s.id = r.requesting_state_id
        WHERE r.fund_id = %s AND r.id IN (
            SELECT request_id FROM assistance_transitionrecord
            WHERE target = 'funded' AND at >= %s AND at < %s)
        GROUP BY s.regional_group_id
        """,
        ["VFTC", instant(START), instant(END)],
    )
    table = rows_by_label(report.table("projects_by_region"))
    for code, n, ldc, sids in projects:
        assert table[group_name(code)] == {"Projects funded": n, "of which LDCs": ldc, "of which SIDS": sids}
    assert table["Total"]["Projects funded"] == sum(n for _c, n, _l, _s in projects) == 2

    [[reports_received, finals]] = sql(
        """
        SELECT COUNT(*), SUM(CASE WHEN p.final THEN 1 ELSE 0 END) FROM assistance_progressreport p
        JOIN assistance_assistancerequest r ON r.id = p.request_id
        WHERE r.fund_id = %s AND p.submitted_at >= %s AND p.submitted_at < %s
        """,
        ["VFTC", instant(START), instant(END)],
    )
    results = report.table("results_reported").column("Number")
    assert (results["Progress reports received"], results["of which final reports"]) == (
        reports_received,
        finals or 0,
    )


def test_cooperation_report_figures_match_the_registry(year_2021: Year, sql: Any) -> None:
    report = build_report("cooperation", year=2021, language="en", as_of=dt.date(2026, 12, 6))

    by_cycle = grouped(
        sql,
        """
        SELECT r.cycle_id, r.response, COUNT(*) FROM recommendations_recommendation r
        JOIN reference_uprsession s ON s.number = r.session_id
        WHERE s.year <= %s GROUP BY r.cycle_id, r.response
        """,
        [2021],
        label=lambda cycle: f"Cycle {cycle}",
    )
    assert responses(report.table("recommendations_by_cycle")) == by_cycle

    by_group = grouped(
        sql,
        """
        SELECT st.regional_group_id, r.response, COUNT(*) FROM recommendations_recommendation r
        JOIN reference_uprsession s ON s.number = r.session_id
        JOIN reference_state st ON st.id = r.state_under_review_id
        WHERE s.year = %s GROUP BY st.regional_group_id, r.response
        """,
        [2021],
        label=group_name,
    )
    assert responses(report.table("recommendations_by_group")) == by_group
    assert sum(sum(c.values()) for c in by_group.values()) == 9  # sessions 37 and 38 of the scenario
    [[of_year]] = sql(
        """
        SELECT COUNT(*) FROM recommendations_recommendation r
        JOIN reference_uprsession s ON s.number = r.session_id WHERE s.year = %s
        """,
        [2021],
    )
    assert report.section("recommendations").paragraphs[0].startswith(f"{of_year} recommendations were made")

    by_issue = grouped(
        sql,
        """
        SELECT l.name, r.response, COUNT(*) FROM recommendations_classification c
        JOIN recommendations_label l ON l.id = c.label_id
        JOIN recommendations_recommendation r ON r.id = c.recommendation_id
        JOIN reference_uprsession s ON s.number = r.session_id
        WHERE c.kind = 'issue' AND c.status = 'accepted' AND s.year = %s GROUP BY l.name, r.response
        """,
        [2021],
    )
    assert responses(report.table("recommendations_by_issue")) == by_issue

    asking = """
        SELECT r.id FROM recommendations_recommendation r
        JOIN reference_uprsession s ON s.number = r.session_id
        WHERE s.year = 2021
          AND r.id IN (SELECT c.recommendation_id FROM recommendations_classification c
                       JOIN recommendations_label l ON l.id = c.label_id
                       WHERE c.status = 'accepted' AND l.kind = 'action_category' AND l.code = '1')
          AND r.id IN (SELECT c.recommendation_id FROM recommendations_classification c
                       JOIN recommendations_label l ON l.id = c.label_id WHERE c.status = 'accepted'
                       AND l.kind = 'issue' AND l.code = 'technical-assistance-and-cooperation')
    """
    links = sql(
        f"""
        SELECT DISTINCT x.recommendation_id, a.status, a.confidential_fields
        FROM assistance_assistancerequest_recommendations x
        JOIN assistance_assistancerequest a ON a.id = x.assistancerequest_id
        WHERE a.status <> 'draft' AND x.recommendation_id IN ({asking})
        """
    )
    public = [(rec, status) for rec, status, hidden in links if "recommendations" not in str(hidden)]
    funded = {
        rec for rec, status in public if status in ("funded", "in_implementation", "completed", "closed")
    }
    uptake = report.table("assistance_uptake").column("Recommendations")
    assert uptake["Asking for technical assistance"] == len(sql(asking)) == 3
    assert uptake["Cited by a request for assistance"] == len({rec for rec, _s in public}) == 2
    assert uptake["Cited by a funded request"] == len(funded) == 1  # the police request keeps its links

    # Donor base: live pledges per year, the first year of each donor.
    pledges = sql(
        """
        SELECT p.donor_id, p.pledged_on, p.fund_amount, d.traditional FROM funds_pledge p
        JOIN funds_donor d ON d.id = p.donor_id
        WHERE NOT EXISTS (SELECT 1 FROM funds_posting x WHERE x.pledge_id = p.id AND x.kind = 'pledge'
                          AND x.reverses_id IS NOT NULL)
        """
    )
    years: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    traditional: dict[int, bool] = {}
    for donor, pledged_on, amount, is_traditional in pledges:
        years[dt.date.fromisoformat(str(pledged_on)).year][donor] += amount
        traditional[donor] = bool(is_traditional)
    base = rows_by_label(report.table("donor_base"))
    seen: set[int] = set()
    for year in sorted(years):
        row, amounts = base[str(year)], years[year]
        total = sum(amounts.values())
        others = [donor for donor in amounts if not traditional[donor]]
        largest = sorted(amounts.values(), reverse=True)[:5]
        assert (row["Donors"], row["New"], row["Returning"]) == (
            len(amounts),
            len(amounts.keys() - seen),
            len(amounts.keys() & seen),
        )
        assert row["Non-traditional donors (%)"] == Share(len(others), len(amounts))
        assert row["Non-traditional amount (%)"] == Share(sum(amounts[d] for d in others), total)
        assert row["Concentration (HHI)"] == round(sum((a / total) ** 2 for a in amounts.values()) * 10_000)
        assert row["Five largest (%)"] == round(Decimal(100 * sum(largest)) / total, 1)
        seen |= amounts.keys()
    assert base["2021"]["Concentration (HHI)"] == 5_677  # Norway 500,000, Qatar 200,000, 15,000 anonymous

    if not year_2021.resolution_imported:
        pytest.skip("the seed resolution is not present in ../shared/seed: its mandates cannot be checked")
    mandates = sql(
        """
        SELECT p.number, m.kind, m.fulfilled_by, m.due_end FROM mandates_mandate m
        JOIN mandates_paragraph p ON p.id = m.paragraph_id
        JOIN mandates_resolution r ON r.id = m.resolution_id
        WHERE r.title LIKE %s ORDER BY p.sequence
        """,
        ["%international cooperation in the field of human rights%"],
    )
    table = report.table("mandates")
    assert [row[0] for row in table.rows] == [f"para. {number}" for number, *_rest in mandates]
    for row, (_number, kind, fulfilled_by, due_end) in zip(table.rows, mandates, strict=True):
        due = dt.date.fromisoformat(str(due_end)) if due_end else None
        status = "fulfilled" if fulfilled_by else "overdue" if due and due < dt.date(2026, 12, 6) else "open"
        assert (row[1], row[4]) == (str(Mandate.Kind(kind).label), str(Mandate.Status(status).label))
    assert "para. 32" in table.column("Status")  # the mandate of this very report


def test_country_profile_figures_match_the_registry_and_ledger(year_2021: Year, sql: Any) -> None:
    report = build_report("country", year=2021, language="en", state="FJI")

    by_cycle = grouped(
        sql,
        """
        SELECT r.cycle_id, r.response, COUNT(*) FROM recommendations_recommendation r
        JOIN reference_uprsession s ON s.number = r.session_id
        JOIN reference_state st ON st.id = r.state_under_review_id
        WHERE st.iso3 = %s AND s.year <= %s GROUP BY r.cycle_id, r.response
        """,
        ["FJI", 2021],
        label=lambda cycle: f"Cycle {cycle}",
    )
    assert responses(report.table("recommendations_by_cycle")) == by_cycle
    by_issue = grouped(
        sql,
        """
        SELECT l.name, r.response, COUNT(*) FROM recommendations_classification c
        JOIN recommendations_label l ON l.id = c.label_id
        JOIN recommendations_recommendation r ON r.id = c.recommendation_id
        JOIN reference_uprsession s ON s.number = r.session_id
        JOIN reference_state st ON st.id = r.state_under_review_id
        WHERE c.kind = 'issue' AND c.status = 'accepted' AND st.iso3 = %s AND s.year <= %s
        GROUP BY l.name, r.response
        """,
        ["FJI", 2021],
    )
    assert responses(report.table("recommendations_by_issue")) == by_issue

    allocated = dict(
        sql(
            """
            SELECT r.public_id, SUM(l.amount) FROM funds_line l
            JOIN funds_posting p ON p.id = l.posting_id JOIN funds_account a ON a.id = l.account_id
            JOIN funds_allocation al ON al.id = p.allocation_id
            JOIN assistance_assistancerequest r ON r.id = al.request_id
            WHERE a.kind = 'allocations' GROUP BY r.public_id
            """
        )
    )
    requests = rows_by_label(report.table("requests"))
    fiji, police = year_2021.requests["fiji"].public_id, year_2021.requests["police"].public_id
    assert set(requests) == {fiji, police}  # the State's drafts and other States' requests are not listed
    assert requests[fiji]["Allocated"] == Money(int(allocated[fiji]), "USD")
    assert police in allocated and requests[police]["Allocated"] is None  # the State keeps it confidential
    assert report.table("requests").footnotes
    assert report.section("implementation_progress").no_data.startswith("No data yet")
