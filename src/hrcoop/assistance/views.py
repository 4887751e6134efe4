"""Pages of requests for assistance: the process, the public register and its exports, a request with
its timeline and the steps its reader may take, and one page per role (State, secretariat, board).

Views are thin: they read through selectors and write through services; a ``DomainError`` becomes a
message on the page with its HTTP status (400, 403, 404 or 409).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrcoop.assistance import selectors, services
from hrcoop.assistance.clocks import service_level
from hrcoop.assistance.diagram import workflow_svg
from hrcoop.assistance.forms import BoardSessionForm, NewRequestForm, RequestForm
from hrcoop.assistance.models import (
    ACTOR_LABELS,
    AWAITING_ALLOCATION,
    CONDITION_MESSAGES,
    DEFAULT_SERVICE_LEVELS,
    PAUSED_STATUSES,
    STAGE_OF_STATUS,
    AssistanceRequest,
    Attachment,
    ConfidentialField,
    Stage,
    Status,
    is_secretariat_for,
)
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.calendar import GENEVA, add_working_days
from hrcoop.core.errors import DomainError, InvalidInput, NotFound
from hrcoop.core.models import AuditEvent, Role
from hrcoop.core.roles import has_role, scopes_of
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.reference.models import Fund, State


def _fail(request: HttpRequest, error: DomainError) -> int:
    messages.error(request, error.message if not error.where else f"{error.where}: {error.message}")
    return error.status


def _request_for(request: HttpRequest, public_id: str) -> AssistanceRequest:
    try:
        return selectors.request_for(request.user, public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# --- the process, published from the workflow --------------------------------------------------------


def process(request: HttpRequest) -> HttpResponse:
    """How to request assistance, for the people who ask: the steps, what to prepare and how long it
    takes, with the diagram and the tables read from the workflow and the funds' service levels."""
    steps = [
        {
            "step": step,
            "sources": [Status(s).label for s in step.sources],
            "targets": [Status(t).label for t in step.targets],
            "conditions": [CONDITION_MESSAGES[c] for c in step.conditions],
        }
        for step in TRANSITIONS.values()
    ]
    funds = list(Fund.objects.order_by("code"))
    levels = [
        {
            "stage": Stage(stage).label,
            "statuses": [Status(s).label for s, of in STAGE_OF_STATUS.items() if of == stage],
            "default": days,
            "funds": [service_level(fund, stage) for fund in funds],
        }
        for stage, days in DEFAULT_SERVICE_LEVELS.items()
    ]
    return render(
        request,
        "assistance/process.html",
        {
            "svg": workflow_svg(),
            "steps": steps,
            "funds": funds,
            "levels": levels,
            "stage_days": {stage: _span(service_level(f, stage) for f in funds) for stage in Stage.values},
            "typical": _typical_times(funds),
            "paused": [Status(s).label for s in PAUSED_STATUSES],
            "actors": ACTOR_LABELS,
            "confidential": ConfidentialField.choices,
            "contact": settings.ASSISTANCE_CONTACT,
        },
    )


def _span(days: Iterable[int]) -> str:
    """One figure when every fund allows the same number of working days, else their range."""
    values = sorted(set(days))
    if not values:
        return ""
    return str(values[0]) if len(values) == 1 else f"{values[0]}\u2013{values[-1]}"


def _typical_times(funds: list[Fund]) -> list[dict[str, Any]]:
    """Per fund, the working days from submission to the board's decision (the sum of its service levels,
    not counting the time the State takes to answer questions), and the last day a decision on a request
    submitted today would be due, on the Geneva calendar."""
    today = timezone.now().astimezone(GENEVA).date()
    rows = []
    for fund in funds:
        days = [service_level(fund, stage) for stage in Stage.values]
        total = sum(days)
        rows.append(
            {
                "fund": fund,
                "days": days,
                "total": total,
                "weeks": math.ceil(total / 5),
                "decided_by": add_working_days(today, total),
            }
        )
    return rows


def process_svg(request: HttpRequest) -> HttpResponse:
    return HttpResponse(workflow_svg(), content_type="image/svg+xml")


# --- the public register -----------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    rows = selectors.filter_register(selectors.public_requests(), request.GET).order_by("-submitted_at")[:500]
    return render(
        request,
        "assistance/register.html",
        {
            "rows": [selectors.request_record(r, full=False) for r in rows],
            "states": State.objects.filter(assistance_requests__isnull=False).distinct(),
            "funds": Fund.objects.order_by("code"),
            "statuses": [(s, label) for s, label in Status.choices if s != Status.DRAFT],
            "filters": request.GET,
            "query": request.GET.urlencode(),
        },
    )


CSV_COLUMNS = [
    "public_id", "state_iso3", "state", "fund", "title", "status", "submitted_at", "status_changed_at",
    "due_date", "overdue", "amount_minor_units", "currency", "duration_months", "need", "objectives",
    "expected_results", "implementing_partners", "recommendations",
]  # fmt: skip


def register_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(csv_lines(_register_rows(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="assistance-requests.csv"'
    return response


def _register_rows(request: HttpRequest) -> Iterator[list[Any]]:
    yield [*CSV_COLUMNS, "recommendation_texts", "confidential_fields"]
    queryset = selectors.filter_register(selectors.public_requests(), request.GET).order_by("submitted_at")
    for row in queryset.iterator(chunk_size=500):
        record = selectors.request_record(row, full=False)
        values = [record[c] for c in CSV_COLUMNS]
        values = [" ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in values]
        texts = "\n".join(f"{r['public_id']}: {r['text']}" for r in record["linked_recommendations"] or [])
        yield [*values, texts, " ".join(record["confidential_fields"])]


# --- one request -------------------------------------------------------------------------------------


# Steps that cannot be undone by the person who takes them: the page asks before taking them.
CONFIRMED_STEPS = ("submit", "withdraw")


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    target = _request_for(request, public_id)
    status = 200
    if request.method == "POST":
        step = request.POST.get("action", "")
        if step in CONFIRMED_STEPS and request.POST.get("confirmed") != "1":
            return redirect("assistance:confirm", public_id=public_id, step=step)
        try:
            _act(request, target)
            return redirect("assistance:detail", public_id=public_id)
        except DomainError as error:
            status = _fail(request, error)
        target.refresh_from_db()
    full = selectors.sees_confidential(target, request.user)
    record = selectors.request_record(target, full=full)
    steps = services.allowed_steps(target, request.user)
    return render(
        request,
        "assistance/detail.html",
        {
            "req": target,
            "record": record,
            "hidden": selectors.hidden_keys(target, full=full),
            "full": full,
            "timeline": selectors.timeline(target, full=full),
            "history": _readable_history(selectors.history(target, request.user)),
            "kept_out": [ConfidentialField(code).label for code in target.confidential_fields],
            "question": selectors.open_question(target) if full else None,
            "may_answer": any(step.name == "provide_information" for step in steps),
            # The answer has its box under the question; submitting and withdrawing stand apart.
            "steps": [step for step in steps if step.name not in (*CONFIRMED_STEPS, "provide_information")],
            "submit_step": next((step for step in steps if step.name == "submit"), None),
            "withdraw_step": next((step for step in steps if step.name == "withdraw"), None),
            "is_state": has_role(request.user, Role.STATE_FOCAL_POINT, scope=target.requesting_state.iso3),
            "editable": target.status in services.EDITABLE_STATUSES,
            "consent_open": target.status in services.CONSENT_STATUSES,
            "amount_confidential": target.is_confidential(ConfidentialField.AMOUNT),
            # A refused step keeps what was typed, so that the reasons can be corrected, not rewritten.
            "refused": {"step": request.POST.get("action", ""), "reason": request.POST.get("reason", "")}
            if status != 200
            else {},
            "may_allocate": target.status in AWAITING_ALLOCATION and is_secretariat_for(target, request.user),
        },
        status=status,
    )


def _readable_history(events: Iterable[AuditEvent] | None) -> list[tuple[AuditEvent, str]] | None:
    """Each audit event with its data as a person reads it ("fields: title, amount"), not as Python."""
    if events is None:
        return None

    def readable(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(readable(item) for item in value)
        if isinstance(value, dict):
            return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
        return str(value)

    return [(event, readable(event.data)) for event in events]


def _posted_version(request: HttpRequest) -> int | None:
    """The version of the request the page was showing when the form was sent, None when the form sent
    none. Anything but a whole number is refused: read with ``int()`` it was a 500 on the edit form, and
    the action form silently skipped the check that a stale page gets 409."""
    version = request.POST.get("version")
    if version is None or version == "":
        return None
    if not (version.isascii() and version.isdigit()):
        raise InvalidInput(
            _("the page sent no valid version of the request; reload it and try again"), where="version"
        )
    return int(version)


def _act(request: HttpRequest, target: AssistanceRequest) -> None:
    action = request.POST.get("action", "")
    expected = _posted_version(request)
    if action == "consent":
        try:
            day = parse_date(request.POST.get("given_on", ""))
        except ValueError:  # well formed but not a day of the calendar, e.g. 2026-02-30
            day = None
        if day is None:
            raise InvalidInput(_("give the date of consent as YYYY-MM-DD"), where="given_on")
        # The day as the pages show it: midnight in the zone every page displays times in.
        given_at = dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())
        services.record_consent(
            target,
            actor=request.user,
            given_by=request.POST.get("given_by", ""),
            given_at=given_at,
            reference=request.POST.get("reference", ""),
        )
        messages.success(request, _("Consent recorded."))
    elif action == "attach":
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(_("choose a file to attach"), where="file")
        services.add_attachment(target, actor=request.user, upload=upload)
        messages.success(request, _("Document attached."))
    elif action == "progress":
        services.add_progress_report(
            target,
            actor=request.user,
            text=request.POST.get("text", ""),
            final=bool(request.POST.get("final")),
        )
        messages.success(request, _("Progress report recorded."))
    else:
        moved = services.apply_transition(
            target,
            action,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            expected_version=expected,
        )
        messages.success(
            request, _("The request is now: %(status)s.") % {"status": moved.get_status_display()}
        )


def confirm(request: HttpRequest, public_id: str, step: str) -> HttpResponse:
    """Ask before submitting or withdrawing: neither can be undone by the State. The page posts back to
    the request with ``confirmed``; it works without JavaScript and from the keyboard."""
    target = _request_for(request, public_id)
    allowed = {s.name: s for s in services.allowed_steps(target, request.user)}
    if step not in CONFIRMED_STEPS or step not in allowed:
        raise Http404(
            _("No step %(step)s that you may take on request %(id)s now.") % {"step": step, "id": public_id}
        )
    return render(
        request,
        "assistance/confirm.html",
        {"req": target, "step": allowed[step], "recommendations": target.recommendations.count()},
    )


def attachment(request: HttpRequest, public_id: str, pk: int) -> FileResponse:
    target = _request_for(request, public_id)
    if target.is_confidential(ConfidentialField.ATTACHMENTS) and not selectors.sees_confidential(
        target, request.user
    ):
        raise Http404(_("This document is confidential."))
    document = Attachment.objects.filter(request=target, pk=pk).first()
    if document is None:
        raise Http404(_("No such document."))
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


def _form_context(form: RequestForm, *, state: State, data: Any, **extra: Any) -> dict[str, Any]:
    """The form and its recommendation picker: what is ticked in ``data`` and what its words find."""
    words = str(data.get("find_words", ""))
    chosen, found = selectors.recommendations_to_link(
        state, words=words, chosen=data.getlist("recommendations") if data else []
    )
    return {"form": form, "state": state, "words": words, "chosen": chosen, "found": found, **extra}


def _finding(request: HttpRequest) -> bool:
    """Whether the form was sent by its "Find" button (the picker without JavaScript, or Enter pressed
    in a field, which browsers send as the form's first button): nothing is saved, the page comes back
    with what was typed and ticked, the recommendations found, and a word that it is not saved yet."""
    finding = request.method == "POST" and "find" in request.POST
    if finding:
        messages.info(
            request, _("Not saved yet: press Save at the end of the form when the request is ready.")
        )
    return finding


def _as_typed(form_class: type[RequestForm], data: Any) -> dict[str, Any]:
    """What was posted, as the initial values of a fresh form (a bound one would show errors for the
    fields not yet filled in)."""
    multiple = {"confidential_fields", "recommendations"}
    return {
        name: data.getlist(name) if name in multiple else data.get(name)
        for name in form_class.base_fields
        if name in data
    }


@login_required
def recommendation_picker(request: HttpRequest) -> HttpResponse:
    """The picker's lists for the words typed so far (htmx replaces them as the focal point types)."""
    iso3 = str(request.GET.get("state", "")).upper()
    if not has_role(request.user, Role.STATE_FOCAL_POINT, scope=iso3):
        raise Http404(_("No State %(state)s that you act for.") % {"state": iso3 or "-"})
    state = State.objects.get(iso3=iso3)
    return render(
        request, "assistance/_picker_lists.html", _form_context(RequestForm(), state=state, data=request.GET)
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    states = State.objects.filter(iso3__in=scopes_of(request.user, Role.STATE_FOCAL_POINT))
    if not states:
        raise PermissionDenied(_("Only a State's focal point drafts requests for assistance."))
    finding = _finding(request)
    if finding:
        form = NewRequestForm(initial=_as_typed(NewRequestForm, request.POST))
    else:
        form = NewRequestForm(request.POST or None)
    cast(forms.ChoiceField, form.fields["state"]).choices = [(s.iso3, s.name) for s in states]
    cast(forms.ChoiceField, form.fields["fund"]).choices = [
        (f.code, f.name) for f in Fund.objects.order_by("code")
    ]
    state = states.filter(iso3=request.POST.get("state", "")).first() or states.order_by("name").first()
    assert state is not None
    status = 200
    if request.method == "POST" and not finding and form.is_valid():
        try:
            outcome = services.create_request(
                actor=request.user,
                state=states.get(iso3=form.cleaned_data["state"]),
                fund=Fund.objects.get(code=form.cleaned_data["fund"]),
                data=form.service_data(),
            )
            for warning in outcome.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Draft saved. Submit it when it is complete."))
            return redirect("assistance:detail", public_id=outcome.request.public_id)
        except DomainError as error:
            status = _fail(request, error)
    elif request.method == "POST" and not finding:
        status = 400
    context = _form_context(form, state=state, data=request.POST, creating=True)
    return render(request, "assistance/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_request(request: HttpRequest, public_id: str) -> HttpResponse:
    target = _request_for(request, public_id)
    if not has_role(request.user, Role.STATE_FOCAL_POINT, scope=target.requesting_state.iso3):
        raise Http404(_("No request %(id)s that you may edit.") % {"id": public_id})
    record = selectors.request_record(target, full=True)
    initial = {
        **{
            k: record[k] for k in ("title", "need", "objectives", "expected_results", "implementing_partners")
        },
        "priorities": "\n".join(target.priorities),
        "amount": f"{record['amount'].rsplit(' ', 1)[0]}" if record["amount"] else "",
        "currency": target.currency,
        "budget": "\n".join(
            f"{line['item']}; {line['amount'].rsplit(' ', 1)[0]}" for line in record["budget_lines"]
        ),
        "duration_months": target.duration_months,
        "confidential_fields": target.confidential_fields,
    }
    finding = _finding(request)
    if finding:
        form = RequestForm(initial=_as_typed(RequestForm, request.POST))
    else:
        form = RequestForm(request.POST or None, initial=initial)
    # The picker starts from the linked recommendations; once the form is sent, from what it ticked.
    ticked = request.POST if request.method == "POST" else QueryDict(mutable=True)
    if request.method == "GET":
        ticked.setlist("recommendations", record["recommendations"])
    status = 200
    if request.method == "POST" and not finding and form.is_valid():
        try:
            version = _posted_version(request)
            outcome = services.update_request(
                target,
                actor=request.user,
                data=form.service_data(),
                expected_version=target.version if version is None else version,
            )
            for warning in outcome.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Changes saved."))
            return redirect("assistance:detail", public_id=public_id)
        except DomainError as error:
            status = _fail(request, error)
    elif request.method == "POST" and not finding:
        status = 400
    context = _form_context(form, state=target.requesting_state, data=ticked, req=target)
    return render(request, "assistance/form.html", context, status=status)


# --- one page per role -------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "assistance/mine.html", {"blocks": selectors.state_dashboard(request.user)})


def _listing(request: HttpRequest, queryset: Any, template: str, **extra: Any) -> HttpResponse:
    today = timezone.now().astimezone(GENEVA).date()
    rows = [selectors.request_record(r, full=True) for r in queryset[:500]]
    return render(request, template, {"rows": rows, "today": today, **extra})


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.SECRETARIAT):
        raise PermissionDenied(_("The queue is the secretariat's."))
    return _listing(request, selectors.secretariat_queue(request.user), "assistance/queue.html")


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.BOARD):
        raise PermissionDenied(_("The agenda is the board's."))
    sessions = selectors.upcoming_sessions(request.user)
    return _listing(
        request, selectors.board_agenda(request.user), "assistance/agenda.html", sessions=sessions
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_sessions(request: HttpRequest) -> HttpResponse:
    """The secretariat schedules its boards' sessions here; the coming ones are listed below the form."""
    if not has_role(request.user, Role.SECRETARIAT):
        raise PermissionDenied(_("Only the secretariat schedules board sessions."))
    funds = selectors.funds_of_secretariat(request.user)
    form = BoardSessionForm(request.POST or None)
    cast(forms.ChoiceField, form.fields["fund"]).choices = [(f.code, f"{f.code} · {f.name}") for f in funds]
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            session = services.schedule_board_session(
                actor=request.user,
                fund=funds.get(code=form.cleaned_data["fund"]),
                starts_on=form.cleaned_data["starts_on"],
                title=form.cleaned_data["title"],
            )
            messages.success(
                request,
                _("%(title)s of %(fund)s is scheduled.") % {"title": session.title, "fund": session.fund_id},
            )
            return redirect("assistance:board-sessions")
        except DomainError as error:
            status = error.status
            form.add_error(error.where if error.where in form.fields else None, error.message)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "assistance/board_sessions.html",
        {"form": form, "sessions": selectors.sessions_scheduled_by(request.user)},
        status=status,
    )


def timeliness(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assistance/timeliness.html",
        {
            "rows": selectors.timeliness(fund=request.GET.get("fund") or None),
            "funds": Fund.objects.order_by("code"),
        },
    )
