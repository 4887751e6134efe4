"""The report on the implementation and enhancement of international cooperation (resolution para 32).

What the Council asked for, in order: the mandates of its resolution and where they stand; what the UPR
recommended and how States responded; the recommendations asking for technical assistance and what
came of them; cooperation by modality; the donor base of the funds (para 21). Annex: the contributions
received in answer to the call for inputs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrcoop.funds.metrics import donor_base
from hrcoop.mandates.models import Mandate, Resolution
from hrcoop.mandates.parsing.addressees import ACTOR_LABELS
from hrcoop.recommendations.models import Recommendation
from hrcoop.reports import charts
from hrcoop.reports.builders import registry
from hrcoop.reports.builders.assistance import assistance_uptake
from hrcoop.reports.builders.common import check_year, in_english
from hrcoop.reports.builders.elsewhere import contributions_annex, cooperation_section
from hrcoop.reports.document import Report, Section, Share, Table, Value
from hrcoop.reports.templatetags.reports_tags import cell

SUBJECT = "international cooperation in the field of human rights"
ISSUES_SHOWN = 15


def resolution_of(year: int) -> Resolution | None:
    """The latest resolution on the subject dated in ``year`` or before (the one the report answers)."""
    return (
        Resolution.objects.filter(title__icontains=SUBJECT, document_date__year__lte=year)
        .order_by("-document_date", "-id")
        .first()
    )


def mandates_section(year: int, *, as_of: dt.date) -> Section:
    section = Section(key="mandates", title=_("Mandates of the resolution and their status"))
    resolution = resolution_of(year)
    if resolution is None:
        section.no_data = _(
            "No data yet: no resolution on international cooperation in the field of human rights dated "
            "%(year)s or earlier has been imported into the mandates register."
        ) % {"year": year}
        return section
    section.paragraphs.append(
        _('Resolution %(number)s, "%(title)s", adopted at session %(session)s of the %(body)s.')
        % {
            "number": resolution.number or resolution.symbol,
            "title": in_english(resolution.title),
            "session": resolution.session,
            "body": in_english(resolution.body),
        }
    )
    rows: list[list[Value]] = []
    for mandate in (
        Mandate.objects.filter(resolution=resolution)
        .select_related("paragraph")
        .order_by("paragraph__sequence", "id")
    ):
        deadline = (
            _("%(body)s session %(session)s")
            % {"body": in_english(mandate.due_body), "session": mandate.due_session}
            if mandate.due_session
            else _("no deadline")
        )
        rows.append(
            [
                _("para. %(number)s") % {"number": mandate.paragraph.number or mandate.paragraph.anchor},
                str(Mandate.Kind(mandate.kind).label),
                _(ACTOR_LABELS.get(mandate.addressee, mandate.addressee)),
                deadline,
                str(Mandate.Status(mandate.status_on(as_of)).label),
                mandate.fulfilled_by or None,
            ]
        )
    section.tables.append(
        Table(
            key="mandates",
            caption=_("Mandates of resolution %(number)s")
            % {"number": resolution.number or resolution.symbol},
            columns=[
                _("Paragraph"),
                _("Kind"),
                _("Addressee"),
                _("Deadline"),
                _("Status"),
                _("Fulfilled by"),
            ],
            rows=rows,
            methods=_(
                "Mandates read from the operative paragraphs of the resolution by the mandates register. "
                "Status on %(date)s: fulfilled when a document is recorded as fulfilling it, overdue when "
                "the session it is due at has ended, open otherwise."
            )
            % {"date": as_of.isoformat()},
        )
    )
    return section


def recommendations_section(year: int) -> Section:
    section = Section(key="recommendations", title=_("Recommendations of the universal periodic review"))
    of_year = registry.in_year(year)
    section.paragraphs.append(
        _("%(count)s recommendations were made at the sessions of the UPR Working Group held in %(year)s.")
        % {"count": cell(of_year.count()), "year": year}
    )
    cycles = registry.by_cycle(
        Recommendation.objects.filter(session__year__lte=year), key="recommendations_by_cycle"
    )
    cycles.caption = _("Recommendations by UPR cycle and response, sessions up to %(year)s") % {"year": year}
    section.tables += [
        cycles,
        registry.by_regional_group(of_year, key="recommendations_by_group"),
        registry.by_issue(of_year, key="recommendations_by_issue", limit=ISSUES_SHOWN),
    ]
    if cycles.rows:
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


def assistance_section(year: int) -> Section:
    section = Section(key="technical_assistance", title=_("Recommendations asking for technical assistance"))
    section.tables.append(
        assistance_uptake(registry.asking_for_assistance(registry.in_year(year)), key="assistance_uptake")
    )
    return section


def donor_base_section(year: int, *, currency: str = "USD") -> Section:
    section = Section(key="donor_base", title=_("Broadening the donor base of the funds"))
    rows: list[list[Value]] = [
        [
            str(m.year),
            m.donors,
            m.new,
            m.returning,
            Share(m.non_traditional, m.donors),
            Share(m.non_traditional_amount, m.amount),
            round(m.hhi),
            Decimal(100 * m.top_five_share).quantize(Decimal("0.1")),
        ]
        for m in donor_base(currency=currency)
        if m.year <= year
    ]
    if not rows:
        section.no_data = _(
            "No data yet: no pledge to a fund keeping its books in %(currency)s up to %(year)s."
        ) % {
            "currency": currency,
            "year": year,
        }
        return section
    section.tables.append(
        Table(
            key="donor_base",
            caption=_("Donors to the funds by year (%(currency)s funds)") % {"currency": currency},
            columns=[
                _("Year"),
                _("Donors"),
                _("New"),
                _("Returning"),
                _("Non-traditional donors (%)"),
                _("Non-traditional amount (%)"),
                _("Concentration (HHI)"),
                _("Five largest (%)"),
            ],
            rows=rows,
            methods=_(
                "A donor gives in a year when it makes a pledge that year that has not been reversed, "
                "valued in the fund's currency on the pledge date. New: first pledge ever; non-traditional: "
                "not a member of the OECD Development Assistance Committee. HHI: sum of the squared shares "
                "of the year's amount, 0 to 10,000."
            ),
        )
    )
    return section


def build_cooperation_report(*, year: int, as_of: dt.date | None = None) -> Report:
    """The para-32 report for ``year``; mandate status as of ``as_of`` (today by default)."""
    check_year(year)
    as_of = as_of or timezone.localdate()
    resolution = resolution_of(year)
    introduction = Section(
        key="introduction",
        title=_("Introduction"),
        paragraphs=[
            _(
                "The Human Rights Council requested the High Commissioner to report on the work of the "
                "Office in the implementation and enhancement of international cooperation in the field of "
                "human rights. This report is generated from the registers the Office keeps: mandates, "
                "recommendations of the universal periodic review, requests for assistance and the ledger "
                "of the funds. Every figure is described in the methods annex."
            )
        ],
    )
    return Report(
        kind="cooperation",
        title=_("Implementation and enhancement of international cooperation in the field of human rights"),
        subtitle=_("Report of the United Nations High Commissioner for Human Rights, %(year)s")
        % {"year": year},
        year=year,
        language=get_language(),
        sections=[
            introduction,
            mandates_section(year, as_of=as_of),
            recommendations_section(year),
            assistance_section(year),
            cooperation_section(year=year),
            donor_base_section(year),
        ],
        annexes=[contributions_annex(year=year, resolution_id=resolution.pk if resolution else None)],
        parameters={"as_of": as_of.isoformat()},
    )
