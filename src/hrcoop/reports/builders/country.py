"""The profile of one State: what it was recommended and how it responded, its published progress, its
requests for assistance, the funding they received, and its cooperation.

Public like every report: its requests are those of the public register, and an allocation whose
amount the State keeps confidential is counted but not shown.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrcoop.assistance.models import Status
from hrcoop.assistance.selectors import public_requests
from hrcoop.core.errors import NotFound
from hrcoop.funds.selectors import amounts_withheld
from hrcoop.funds.statements import allocations_per_request
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import State
from hrcoop.reports import charts
from hrcoop.reports.builders import registry
from hrcoop.reports.builders.common import check_year, group_name, in_english
from hrcoop.reports.builders.elsewhere import cooperation_section, progress_section
from hrcoop.reports.document import Report, Section, Table, Value
from hrcoop.reports.templatetags.reports_tags import cell

ISSUES_SHOWN = 10


def _state(iso3: str) -> State:
    state = State.objects.select_related("regional_group").filter(iso3=iso3.upper()).first()
    if state is None:
        raise NotFound(_("there is no State with the ISO 3166 code %(code)r") % {"code": iso3}, where="state")
    return state


def recommendations_section(state: State, year: int) -> Section:
    section = Section(key="recommendations", title=_("Recommendations received and responses"))
    received = Recommendation.objects.filter(state_under_review=state, session__year__lte=year)
    cycles = registry.by_cycle(received, key="recommendations_by_cycle")
    section.tables += [
        cycles,
        registry.by_issue(received, key="recommendations_by_issue", limit=ISSUES_SHOWN),
    ]
    if not cycles.rows:
        section.no_data = _(
            "No recommendation to %(state)s from a UPR session up to %(year)s is in the registry."
        ) % {
            "state": in_english(state.name),
            "year": year,
        }
        section.tables = []
        return section
    responses = registry.response_labels()
    section.charts.append(
        charts.stacked_bars(
            cycles,
            series=responses,
            key="chart_by_cycle",
            caption=_("Responses by UPR cycle"),
            methods=_("The counts of the table of recommendations by cycle, stacked by response."),
        )
    )
    return section


def requests_section(state: State, year: int) -> Section:
    section = Section(key="requests", title=_("Requests for assistance and funding received"))
    requests = list(
        public_requests()
        .filter(requesting_state=state, submitted_at__year__lte=year)
        .order_by("submitted_at", "public_id")
    )
    if not requests:
        section.no_data = _("%(state)s has made no request for assistance up to %(year)s.") % {
            "state": in_english(state.name),
            "year": year,
        }
        return section
    allocations = {
        a.request_id: a for a in allocations_per_request() if a.request_id in {r.pk for r in requests}
    }
    withheld = amounts_withheld(None, list(allocations))
    rows: list[list[Value]] = []
    for request in requests:
        allocation = allocations.get(request.pk)
        shown = allocation is not None and request.pk not in withheld
        rows.append(
            [
                request.public_id,
                request.title,
                request.fund_id,
                str(Status(request.status).label),
                allocation.money("allocated") if shown and allocation else None,
                allocation.money("disbursed") if shown and allocation else None,
            ]
        )
    table = Table(
        key="requests",
        caption=_("Requests for assistance of %(state)s") % {"state": in_english(state.name)},
        columns=[_("Request"), _("Title"), _("Fund"), _("Status"), _("Allocated"), _("Disbursed")],
        rows=rows,
        methods=_(
            "Requests of the public register (those that left draft) submitted up to the end of the year, "
            "with their status today; allocated and disbursed amounts from the ledger, net of reversals."
        ),
    )
    if withheld:
        table.footnotes.append(
            _("%(n)s allocations are not shown: the State keeps the amount of the request confidential.")
            % {"n": cell(len(withheld))}
        )
    section.tables.append(table)
    return section


def build_country_profile(*, iso3: str, year: int) -> Report:
    check_year(year)
    state = _state(iso3)
    facts = [group_name(state.regional_group_id)]
    if state.ldc:
        facts.append(_("least developed country"))
    if state.sids:
        facts.append(_("small island developing State"))
    introduction = Section(
        key="introduction",
        title=_("Introduction"),
        paragraphs=[
            _("Profile of %(state)s (%(facts)s) up to %(year)s, generated from the registers of the Office.")
            % {"state": in_english(state.name), "facts": "; ".join(str(f) for f in facts), "year": year}
        ],
        footnotes=[_("State names are given as the registry holds them, in English.")],
    )
    return Report(
        kind="country",
        title=_("Country profile: %(state)s") % {"state": in_english(state.name)},
        subtitle=_("International cooperation in the field of human rights, %(year)s") % {"year": year},
        year=year,
        language=get_language(),
        sections=[
            introduction,
            recommendations_section(state, year),
            progress_section(state_iso3=state.iso3, year=year),
            requests_section(state, year),
            cooperation_section(year=year, state_iso3=state.iso3),
        ],
        parameters={"state": state.iso3},
    )
