"""Pages of consultations: the calls, a call's public page, answering it, and the secretariat's desk.

Views are thin: they read through ``selectors`` and write through ``services``; a ``DomainError``
becomes a message on the page with its HTTP status, and a refused form changes nothing (each POST is
one transaction).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hrcoop.consultations import exports, selectors, services
from hrcoop.consultations.forms import CallForm, InvitationForm
from hrcoop.consultations.models import UN_LANGUAGES, Call, Invitation, Submission
from hrcoop.core import accounts
from hrcoop.core.errors import DomainError
from hrcoop.core.models import Role
from hrcoop.core.roles import scopes_of
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.reference.models import State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fail(request: HttpRequest, error: DomainError) -> int:
    messages.error(request, error.message)
    return error.status


def _call(pk: int) -> Call:
    return get_object_or_404(selectors.calls_visible_to(None), pk=pk)


def _page_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.calls_visible_to(request.user)
    return render(
        request,
        "consultations/list.html",
        {"calls": calls, "desk": selectors.is_desk(request.user)},
    )


def public_page(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    submissions = list(selectors.public_submissions(call))
    answers = list(selectors.public_answers(call).order_by("question__position"))
    attachments = {s.pk: list(s.attachments.filter(keep_unpublished=False)) for s in submissions}
    blocks = [
        {
            "submission": s,
            "answers": [a for a in answers if a.submission_id == s.pk],
            "attachments": attachments[s.pk],
        }
        for s in submissions
    ]
    return render(
        request,
        "consultations/public.html",
        {
            "call": call,
            "questions": call.questions.all(),
            "blocks": blocks,
            "figures": selectors.respondents(call) if call.publish_answers else None,
            "languages": [UN_LANGUAGES[c] for c in call.languages],
            "desk": selectors.is_desk(request.user),
        },
    )


def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    call = _call(pk)
    submission = get_object_or_404(Submission, call=call, attachments__pk=document_pk)
    attachment = selectors.attachments_visible_to(request.user, submission).filter(pk=document_pk).first()
    if attachment is None:
        raise Http404(_("No such document."))
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _states_of(request: HttpRequest, call: Call) -> list[State]:
    if not call.open_to_states:
        return []
    return list(State.objects.filter(iso3__in=scopes_of(request.user, Role.STATE_FOCAL_POINT)))


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    states = _states_of(request, call)
    state = next((s for s in states if s.iso3 == request.GET.get("state")), states[0] if states else None)
    status = 200
    if request.method == "POST":
        try:
            with transaction.atomic():
                submission = services.start_submission(
                    call, actor=request.user, state=state, language=_page_language()
                )
                for question in call.questions.all():
                    value = request.POST.get(f"answer-{question.pk}", "")
                    if not value.strip():
                        continue
                    services.save_answer(
                        submission,
                        actor=request.user,
                        question=question,
                        value=value,
                        language=request.POST.get(f"language-{question.pk}", ""),
                        keep_unpublished=bool(request.POST.get(f"unpublished-{question.pk}")),
                    )
                for upload in request.FILES.getlist("document"):
                    services.attach_document(
                        submission,
                        actor=request.user,
                        upload=upload,
                        keep_unpublished=bool(request.POST.get("document_unpublished")),
                    )
                if request.POST.get("action") == "submit":
                    submission = services.submit(submission, actor=request.user)
        except DomainError as error:
            status = _fail(request, error)
        else:
            if submission.status == Submission.Status.SUBMITTED:
                messages.success(
                    request,
                    _("Your submission was received; it is marked late.")
                    if submission.late
                    else _("Your submission was received."),
                )
            else:
                messages.success(request, _("Your draft is saved."))
            return redirect(request.get_full_path())
    existing = (
        call.submissions.filter(state=state).first()
        if state is not None
        else call.submissions.filter(state__isnull=True, author_id=request.user.pk).first()
    )
    saved = {a.question_id: a for a in existing.answers.all()} if existing else {}
    return render(
        request,
        "consultations/answer.html",
        {
            "call": call,
            "state": state,
            "states": states,
            "submission": existing,
            "rows": [(q, saved.get(q.pk)) for q in call.questions.all()],
            "attachments": existing.attachments.all() if existing else [],
            "languages": [(c, UN_LANGUAGES[c]) for c in call.languages],
            "posted": request.POST,
        },
        status=status,
    )


def _require_desk(request: HttpRequest) -> None:
    if not selectors.is_desk(request.user):
        raise PermissionDenied(_("Only the secretariat manages calls for inputs."))


@login_required
@require_http_methods(["GET", "POST"])
def new_call(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    form = CallForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            call = services.open_call(
                actor=request.user,
                mandate=form.cleaned_data["mandate"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                deadline=form.cleaned_data["deadline"],
                questions=form.questions(),
                languages=form.cleaned_data["languages"],
                open_to_states=form.cleaned_data["open_to_states"],
                open_to_organisations=form.cleaned_data["open_to_organisations"],
                publish_answers=form.cleaned_data["publish_answers"],
            )
        except DomainError as error:
            status = _fail(request, error)
        else:
            messages.success(request, _("The call is open."))
            return redirect("consultations:desk", call.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "consultations/new.html", {"form": form}, status=status)


@login_required
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    call = _call(pk)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "consultations/desk.html",
        {
            "call": call,
            "figures": selectors.respondents(call),
            "invited": call.invitations.count(),
            "summaries": selectors.desk_summaries(call, actor=request.user),
            "query": query,
            "hits": selectors.search_answers(call, query, actor=request.user) if query else [],
            "languages": UN_LANGUAGES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's invitations: invite by e-mail, see who was invited, when and whether they answered."""
    _require_desk(request)
    call = _call(pk)
    form = InvitationForm(request.POST or None, initial={"language": _page_language()})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_by_email(
                call,
                actor=request.user,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                organisation=form.cleaned_data["organisation"],
                link_for=accounts.invitation_link,
            )
        except DomainError as error:
            form.add_error(error.where if error.where in form.fields else None, error.message)
            status = error.status
        else:
            messages.success(request, _("%(email)s is invited.") % {"email": invitation.user.email})
            return redirect("consultations:invitations", call.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "consultations/invitations.html",
        {"call": call, "form": form, "rows": selectors.invitation_rows(call)},
        status=status,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    _require_desk(request)
    call = _call(pk)
    invitation = get_object_or_404(Invitation.objects.select_related("user"), call=call, pk=invitation_pk)
    try:
        services.revoke_invitation(invitation, actor=request.user)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(
            request, _("The invitation of %(email)s is revoked.") % {"email": invitation.user.email}
        )
    return redirect("consultations:invitations", call.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    try:
        services.close_call(call, actor=request.user)
    except DomainError as error:
        return HttpResponse(error.message, status=_fail(request, error))
    messages.success(request, _("The call is closed."))
    return redirect("consultations:desk", call.pk)


def export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    call = _call(pk)
    filename = f"call-{call.pk}-answers.{extension}"
    if extension == "csv":
        response = HttpResponse(csv_lines(exports.answer_rows(call)), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(exports.xlsx_bytes(call), content_type=XLSX)
    elif extension == "json":
        body = {"call": call.pk, "title": call.title, "answers": list(exports.answer_records(call))}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
    else:
        raise Http404(_("Export as .csv, .xlsx or .json."))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
