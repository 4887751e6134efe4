"""Figures on requests for assistance: the steps they reached in a year, the service-level clocks,
where the funded projects are, the results reported.

A request "reached" a status in a year when its timeline (``TransitionRecord``) has a step into that
status in the year, in the Office's time zone. Only requests that left draft count: drafts are not
public, and a report is public. Counts only: amounts a State keeps confidential never appear per request.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from hrcoop.assistance.clocks import service_level
from hrcoop.assistance.models import (
    AssistanceRequest,
    ConfidentialField,
    ProgressReport,
    Stage,
    StageClock,
    Status,
    TransitionRecord,
)
from hrcoop.reference.models import Fund, State
from hrcoop.reports.builders.common import group_name, year_bounds
from hrcoop.reports.document import Share, Table, Value
from hrcoop.reports.templatetags.reports_tags import cell

# The steps an annual update counts, in the order of the process.
STEPS = [
    Status.SUBMITTED,
    Status.APPROVED,
    Status.APPROVED_WITH_CHANGES,
    Status.DECLINED,
    Status.FUNDED,
    Status.COMPLETED,
    Status.WITHDRAWN,
]
FUNDED_STATUSES = [Status.FUNDED, Status.IN_IMPLEMENTATION, Status.COMPLETED, Status.CLOSED]


def steps_in_year(year: int, *, fund: Fund | None = None, state: State | None = None) -> QuerySet:
    start, end = year_bounds(year)
    steps = TransitionRecord.objects.filter(at__gte=start, at__lt=end)
    if fund is not None:
        steps = steps.filter(request__fund=fund)
    if state is not None:
        steps = steps.filter(request__requesting_state=state)
    return steps


def steps_table(year: int, *, fund: Fund | None = None, state: State | None = None, key: str) -> Table:
    reached = dict(
        steps_in_year(year, fund=fund, state=state)
        .filter(target__in=STEPS)
        .values("target")
        .annotate(n=Count("request_id", distinct=True))
        .order_by()
        .values_list("target", "n")
    )
    labels = {Status.SUBMITTED: _("Received (submitted)")}
    return Table(
        key=key,
        caption=_("Requests for assistance by step reached in %(year)s") % {"year": year},
        columns=[_("Step"), _("Requests")],
        rows=[[str(labels.get(s, Status(s).label)), reached.get(s, 0)] for s in STEPS],
        methods=_(
            "Distinct requests whose public timeline has a step into each status during the year (in "
            "the Office's time zone). A request that was approved and funded in the year counts in both "
            "rows; one resubmitted counts once."
        ),
    )


def clocks_table(year: int, *, fund: Fund, key: str) -> Table:
    start, end = year_bounds(year)
    clocks = StageClock.objects.filter(fund=fund, completed=True, ended_at__gte=start, ended_at__lt=end)
    taken: dict[str, list[int]] = defaultdict(list)
    on_time: Counter[str] = Counter()
    for stage, working_days, in_time in clocks.values_list("stage", "working_days_taken", "on_time"):
        taken[stage].append(working_days or 0)
        on_time[stage] += bool(in_time)
    rows: list[list[Value]] = []
    for stage in Stage:
        days = taken.get(stage, [])
        median = statistics.median(days) if days else None
        rows.append(
            [
                str(stage.label),
                service_level(fund, stage),
                len(days),
                on_time[stage],
                Share(on_time[stage], len(days)),
                Decimal(str(median)) if median is not None else None,
            ]
        )
    return Table(
        key=key,
        caption=_("Time taken at each stage against the service levels, %(year)s") % {"year": year},
        columns=[
            _("Stage"),
            _("Service level (working days)"),
            _("Stages completed"),
            _("On time"),
            _("On time (%)"),
            _("Median working days"),
        ],
        rows=rows,
        methods=_(
            "Stage clocks of the fund completed during the year (the request reached the next stage). "
            "Working days on the Geneva calendar; the clock pauses while information is awaited from "
            "the State. On time: completed within the service level."
        ),
    )


def funded_in_year(year: int, *, fund: Fund) -> QuerySet[AssistanceRequest]:
    funded = steps_in_year(year, fund=fund).filter(target=Status.FUNDED).values("request_id")
    return AssistanceRequest.objects.filter(pk__in=funded)


def projects_table(year: int, *, fund: Fund, key: str) -> Table:
    rows = (
        funded_in_year(year, fund=fund)
        .values("requesting_state__regional_group_id")
        .annotate(
            n=Count("id"),
            ldc=Count("id", filter=Q(requesting_state__ldc=True)),
            sids=Count("id", filter=Q(requesting_state__sids=True)),
        )
        .order_by("requesting_state__regional_group_id")
    )
    counted = [(r["requesting_state__regional_group_id"], r["n"], r["ldc"], r["sids"]) for r in rows]
    body: list[list[Value]] = [[group_name(code), n, ldc, sids] for code, n, ldc, sids in counted]
    if body:
        body.append([_("Total"), *(sum(row[i] for row in counted) for i in (1, 2, 3))])
    return Table(
        key=key,
        caption=_(
            "Projects funded in %(year)s by region, least developed countries and small island "
            "developing States"
        )
        % {"year": year},
        columns=[_("Regional group"), _("Projects funded"), _("of which LDCs"), _("of which SIDS")],
        rows=body,
        methods=_(
            "Requests to the fund whose timeline has a step into Funded during the year, counted by the "
            "regional group of the requesting State; LDC and SIDS status as in the reference list of "
            "States (UN-OHRLLS)."
        ),
    )


def results_table(year: int, *, fund: Fund, key: str) -> Table:
    start, end = year_bounds(year)
    reports = ProgressReport.objects.filter(
        request__fund=fund, submitted_at__gte=start, submitted_at__lt=end
    ).exclude(request__status=Status.DRAFT)
    counts = reports.aggregate(
        n=Count("id"), final=Count("id", filter=Q(final=True)), requests=Count("request_id", distinct=True)
    )
    return Table(
        key=key,
        caption=_("Results reported in %(year)s") % {"year": year},
        columns=[_("Figure"), _("Number")],
        rows=[
            [_("Progress reports received"), counts["n"]],
            [_("of which final reports"), counts["final"]],
            [_("Projects reporting"), counts["requests"]],
        ],
        methods=_("Progress reports that States submitted on their funded requests during the year."),
    )


def assistance_uptake(asking: set[int], *, key: str) -> Table:
    """How many recommendations asking for assistance are cited by a public request, and a funded one.

    A request whose State keeps its linked recommendations confidential is left out: counting its links
    would disclose them.
    """
    links = AssistanceRequest.recommendations.through.objects.filter(recommendation__in=asking).exclude(
        assistancerequest__status=Status.DRAFT
    )
    cited: set[int] = set()
    funded: set[int] = set()
    withheld = 0
    for rec_id, status, confidential in links.values_list(
        "recommendation_id", "assistancerequest__status", "assistancerequest__confidential_fields"
    ):
        if ConfidentialField.RECOMMENDATIONS in (confidential or []):
            withheld += 1
            continue
        cited.add(rec_id)
        if status in FUNDED_STATUSES:
            funded.add(rec_id)
    total = len(asking)
    table = Table(
        key=key,
        caption=_("Recommendations asking for technical assistance, and the requests they led to"),
        columns=[_("Figure"), _("Recommendations"), _("Share (%)")],
        rows=[
            [_("Asking for technical assistance"), total, None],
            [_("Cited by a request for assistance"), len(cited), Share(len(cited), total)],
            [_("Cited by a funded request"), len(funded), Share(len(funded), total)],
        ],
        methods=_(
            "Recommendations of the year with action category 1 (addressed to others or asking for "
            "assistance) and the issue 'Technical assistance and cooperation', both accepted labels. "
            "Cited: linked by a request that left draft; funded: by a request now funded, in "
            "implementation, completed or closed, whatever the year of the request."
        ),
    )
    if withheld:
        table.footnotes.append(
            _("%(n)s links of requests whose State keeps its recommendations confidential are not counted.")
            % {"n": cell(withheld)}
        )
    return table
