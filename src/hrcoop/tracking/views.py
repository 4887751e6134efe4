"""Pages of implementation trackers: the plans a reader may see, one plan with the steps its reader may
take, the suggested clusters, the public progress page of a State, the exchange files and evidence.

Views are thin: they read through selectors and write through services; a ``DomainError`` becomes a
message on the page with its HTTP status (400, 403, 404 or 409).
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrcoop.core.errors import DomainError, InvalidInput, NotFound
from hrcoop.reference.models import State
from hrcoop.tracking import clustering, selectors, services
from hrcoop.tracking.models import (
    Action,
    Cluster,
    Evidence,
    ImplementationStatus,
    Institution,
    Plan,
    TrackedRecommendation,
)


def _fail(request: HttpRequest, error: DomainError) -> int:
    messages.error(request, error.message if not error.where else f"{error.where}: {error.message}")
    return error.status


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    try:
        return selectors.plan_for(request.user, plan_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def index(request: HttpRequest) -> HttpResponse:
    """The plans the reader may see: their own State's and institutions', and every published one."""
    return render(
        request,
        "tracking/index.html",
        {"plans": selectors.plans_worked_on(request.user), "published": selectors.published_plans()},
    )


@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    target = _plan(request, plan_id)
    status = 200
    if request.method == "POST":
        try:
            _act(request, target)
            return redirect("tracking:plan", plan_id=target.pk)
        except DomainError as error:
            status = _fail(request, error)
    record = selectors.plan_record(target, request.user)
    coordinator = record["coordinator"]
    own = selectors.member_institutions(request.user)
    return render(
        request,
        "tracking/plan.html",
        {
            "plan": target,
            "record": record,
            "coordinator": coordinator,
            "own_institutions": {i.pk for i in own},
            "institutions": Institution.objects.filter(state=target.state) if coordinator else [],
            "statuses": ImplementationStatus.choices,
            "action_statuses": Action.Status.choices,
        },
        status=status,
    )


def _int(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise InvalidInput(_("choose a value for %(name)s") % {"name": name}, where=name)
    return int(value)


def _date(request: HttpRequest, name: str) -> Any:
    try:
        day = parse_date(request.POST.get(name, ""))
    except ValueError:  # well formed but not a day of the calendar, e.g. 2026-02-30
        day = None
    if day is None:
        raise InvalidInput(_("give the date as YYYY-MM-DD"), where=name)
    return day


def _act(request: HttpRequest, plan: Plan) -> None:
    """One step taken on the plan's page; services check who may take it."""
    step = request.POST.get("step", "")
    actor = request.user
    if step == "assign":
        cluster = get_object_or_404(Cluster, plan=plan, pk=_int(request, "cluster"))
        lead = get_object_or_404(Institution, state=plan.state, pk=_int(request, "lead"))
        supporting = Institution.objects.filter(state=plan.state, pk__in=request.POST.getlist("supporting"))
        services.assign_institutions(cluster, actor=actor, lead=lead, supporting=list(supporting))
        messages.success(request, _("Institutions assigned."))
    elif step == "status":
        tracked = get_object_or_404(
            TrackedRecommendation, plan=plan, recommendation__public_id=request.POST.get("recommendation", "")
        )
        services.set_status(
            tracked, actor=actor, status=request.POST.get("status", ""), note=request.POST.get("note", "")
        )
        messages.success(request, _("Status recorded."))
    elif step == "action":
        cluster = get_object_or_404(Cluster, plan=plan, pk=_int(request, "cluster"))
        institution = get_object_or_404(Institution, state=plan.state, pk=_int(request, "institution"))
        services.add_action(
            cluster,
            actor=actor,
            description=request.POST.get("description", ""),
            institution=institution,
            starts_on=_date(request, "starts_on") if request.POST.get("starts_on") else None,
            due_on=_date(request, "due_on") if request.POST.get("due_on") else None,
        )
        messages.success(request, _("Action added."))
    elif step == "action_status":
        action = selectors.action_for(actor, _int(request, "action"))
        services.set_action_status(action, actor=actor, status=request.POST.get("status", ""))
        messages.success(request, _("Status recorded."))
    elif step == "indicator":
        services.add_indicator(
            selectors.action_for(actor, _int(request, "action")),
            actor=actor,
            name=request.POST.get("name", ""),
            baseline=request.POST.get("baseline", ""),
            target=request.POST.get("target", ""),
            source=request.POST.get("source", ""),
            sdg_indicator=request.POST.get("sdg_indicator", ""),
        )
        messages.success(request, _("Indicator added."))
    elif step == "progress":
        action = selectors.action_for(actor, _int(request, "action"))
        services.post_progress(
            action,
            actor=actor,
            reported_on=_date(request, "reported_on"),
            text=request.POST.get("text", ""),
            links=request.POST.get("links", "").split(),
            documents=request.FILES.getlist("documents"),
        )
        messages.success(request, _("Progress posted; the focal point will review it."))
    elif step == "review":
        update = selectors.update_for(actor, _int(request, "update"))
        validate = request.POST.get("decision") == "validate"
        services.review_progress(
            update, actor=actor, validate=validate, public=bool(request.POST.get("public"))
        )
        messages.success(request, _("Update validated.") if validate else _("Update returned."))
    elif step == "needs_support":
        action = selectors.action_for(actor, _int(request, "action"))
        services.request_support(action, actor=actor)
        messages.success(request, _("A draft request for assistance was created from the action."))
    elif step in ("publish", "unpublish"):
        services.publish_plan(plan, actor=actor, published=step == "publish")
        messages.success(request, _("Plan published.") if step == "publish" else _("Plan no longer public."))
    else:
        raise InvalidInput(_("unknown step %(step)r") % {"step": step}, where="step")


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Suggested clusters of the plan's unclustered recommendations; the focal point accepts them as they
    are or edits their titles and members, then accepts."""
    target = _plan(request, plan_id)
    status = 200
    try:
        services.require_coordinator(request.user, target)
    except DomainError as error:
        raise Http404(error.message) from error
    if request.method == "POST":
        chosen = request.POST.getlist("accept")
        try:
            services.accept_suggestions(
                target,
                actor=request.user,
                suggestions=[
                    services.SuggestedCluster(
                        request.POST.get(f"title-{n}", ""),
                        tuple(request.POST.get(f"members-{n}", "").split()),
                    )
                    for n in chosen
                ],
            )
            messages.success(request, _("%(n)d clusters accepted.") % {"n": len(chosen)})
            return redirect("tracking:plan", plan_id=target.pk)
        except DomainError as error:
            status = _fail(request, error)
    suggested = clustering.suggest(selectors.unclustered_recommendations(target))
    return render(
        request, "tracking/suggestions.html", {"plan": target, "suggestions": suggested}, status=status
    )


def evidence(request: HttpRequest, pk: int) -> FileResponse:
    document = Evidence.objects.filter(pk=pk).select_related("update").first()
    if (
        document is None
        or not selectors.updates_visible_to(request.user).filter(pk=document.update_id).exists()
    ):
        raise Http404(_("No such document."))
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


# --- the public progress page ------------------------------------------------------------------------


def state_progress(request: HttpRequest, iso3: str) -> HttpResponse:
    """A State's published progress: status by cluster and by issue, with a chart."""
    if not (iso3.isascii() and iso3.isalpha()):
        raise Http404("not an ISO 3166 alpha-3 code")
    state = get_object_or_404(State, iso3=iso3.upper())
    plans = list(selectors.published_plans(state.iso3))
    if not plans:
        raise Http404(_("%(state)s has published no implementation plan.") % {"state": state})
    records = [selectors.plan_record(p, request.user) for p in plans]
    counts = Counter(
        t["status"]
        for record in records
        for c in [*record["clusters"], {"recommendations": record["unclustered"]}]
        for t in c["recommendations"]
    )
    return render(
        request,
        "tracking/state.html",
        {
            "state": state,
            "plans": plans,
            "records": records,
            "by_issue": selectors.status_by_issue(plans),
            "chart": mark_safe(status_chart(counts)),
            "statuses": ImplementationStatus.choices,
        },
    )


def status_chart(counts: Counter[str]) -> str:
    """Recommendations by implementation status, as inline SVG."""
    # Imported here: matplotlib costs about 1.5 s, and every process would pay it to route URLs.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.6))
    axes = figure.add_subplot()
    labels = [str(label) for _, label in ImplementationStatus.choices]
    values = [counts.get(value, 0) for value, _ in ImplementationStatus.choices]
    axes.barh(labels, values, color=["#d9d9d9", "#b2abd2", "#7fbf7b", "#1b7837"])
    axes.invert_yaxis()
    axes.set_xlabel(_("Recommendations"))
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
