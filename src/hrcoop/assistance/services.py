"""Every write to a request for assistance (DESIGN.md §4.1).

Each function is one transaction that locks the request row (``select_for_update(nowait=True)``: a
second person acting on the same request at the same moment gets ``Conflict`` rather than waiting and
then acting on a stale page), checks who acts and what holds, writes the change and one audit event,
and sends its mail after commit.

Workflow steps all go through ``apply_transition(request, name, *, actor, reason)``, which runs the
declarations on ``AssistanceRequest``. The funds ledger moves an approved request to ``funded`` with
``mark_funded(request, *, actor, allocation_reference)`` once it has allocated the money.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.assistance import selectors
from hrcoop.assistance.actions import STEP_ACTIONS, AssistanceAction
from hrcoop.assistance.clocks import move_clocks
from hrcoop.assistance.models import (
    BEFORE_FUNDING,
    CONDITION_MESSAGES,
    AssistanceRequest,
    Attachment,
    BoardSession,
    ConfidentialField,
    ProgressReport,
    ServiceLevel,
    Stage,
    Status,
    TransitionRecord,
    is_focal_point_for,
)
from hrcoop.assistance.reasons import amounts_in
from hrcoop.assistance.tasks import send_information_request
from hrcoop.assistance.workflow import TRANSITIONS, WorkflowStep
from hrcoop.core.audit import record_event
from hrcoop.core.calendar import local_date
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.models import Role, User
from hrcoop.core.money import EARLIEST_DAY, Money
from hrcoop.core.roles import Actor, has_role
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.models import Response as RecommendationResponse
from hrcoop.reference.models import Fund, State

BOARD_SESSION_TITLE_MAX = 200  # BoardSession.title's length
BOARD_SESSION_YEARS_AHEAD = 5

# Far above any single grant these funds make (each disburses a few million a year), far below an
# amount that could only be a typing error.
MAX_REQUEST_MAJOR_UNITS = 50_000_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Leading bytes of programs (Windows PE, ELF, Mach-O, scripts), refused whatever the file is called.
EXECUTABLE_SIGNATURES = (
    b"MZ",
    b"\x7fELF",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
EDITABLE_STATUSES = {Status.DRAFT, Status.INFORMATION_REQUESTED}
CONSENT_STATUSES = {Status.DRAFT, *BEFORE_FUNDING}
EDITABLE_FIELDS = (
    "title",
    "need",
    "objectives",
    "expected_results",
    "priorities",
    "amount",
    "budget_lines",
    "duration_months",
    "implementing_partners",
    "recommendations",
    "confidential_fields",
)


@dataclass
class Outcome:
    """A request after a write, with warnings the person should see (e.g. a noted recommendation)."""

    request: AssistanceRequest
    warnings: list[str] = field(default_factory=list)


# --- locking -----------------------------------------------------------------------------------------


def _lock(request: AssistanceRequest, *, expected_version: int | None = None) -> AssistanceRequest:
    """The request's row, locked for this transaction; ``Conflict`` if someone else holds it or changed it."""
    try:
        locked = (
            AssistanceRequest.objects.select_for_update(nowait=True, of=("self",))
            .select_related("requesting_state", "fund")
            .get(pk=request.pk)
        )
    except AssistanceRequest.DoesNotExist as exc:
        raise NotFound(_("request %(id)s does not exist") % {"id": request.public_id}) from exc
    except OperationalError as exc:
        raise Conflict(
            _("someone else is acting on request %(id)s right now: reload it and try again")
            % {"id": request.public_id}
        ) from exc
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _("request %(id)s changed since you opened it: reload it and try again")
            % {"id": request.public_id}
        )
    return locked


# --- validation of the State's fields ----------------------------------------------------------------


def _clean_amount(amount: Money) -> Money:
    if amount.amount <= 0:
        raise InvalidInput(_("the amount requested must be greater than zero"), where="amount")
    if amount.major() > MAX_REQUEST_MAJOR_UNITS:
        raise InvalidInput(
            _("%(amount)s is beyond what these funds can grant (at most %(limit)s %(currency)s)")
            % {"amount": amount, "limit": f"{MAX_REQUEST_MAJOR_UNITS:,}", "currency": amount.currency},
            where="amount",
        )
    return amount


def _clean_budget(lines: list[dict[str, Any]], amount: Money | None) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        item = str(line.get("item", "")).strip()
        value = line.get("amount")
        if not item:
            raise InvalidInput(
                _("budget line %(number)d has no description") % {"number": number}, where="budget_lines"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise InvalidInput(
                _("budget line %(number)d needs a positive amount in minor units, not %(value)r")
                % {"number": number, "value": value},
                where="budget_lines",
            )
        cleaned.append({"item": item[:200], "amount": value})
    if cleaned and amount is not None and sum(line["amount"] for line in cleaned) != amount.amount:
        total = Money(sum(line["amount"] for line in cleaned), amount.currency)
        raise InvalidInput(
            _("the budget lines add up to %(total)s, not the %(amount)s requested")
            % {"total": total, "amount": amount},
            where="budget_lines",
        )
    return cleaned


def _clean_priorities(priorities: list[str]) -> list[str]:
    cleaned = [str(p).strip() for p in priorities if str(p).strip()]
    if len(cleaned) > 20:
        raise InvalidInput(_("rank at most 20 priorities"), where="priorities")
    return [p[:300] for p in cleaned]


def _clean_confidential(fields: list[str]) -> list[str]:
    unknown = sorted(set(fields) - set(ConfidentialField.values))
    if unknown:
        allowed = ", ".join(ConfidentialField.values)
        raise InvalidInput(
            _("cannot mark %(fields)s confidential; choose among %(allowed)s")
            % {"fields": ", ".join(unknown), "allowed": allowed},
            where="confidential",
        )
    return sorted(set(fields))


def _clean_recommendations(state: State, public_ids: list[str]) -> tuple[list[Recommendation], list[str]]:
    wanted = sorted({p.strip() for p in public_ids if p.strip()})
    found = {
        r.public_id: r
        for r in Recommendation.objects.filter(public_id__in=wanted).select_related("state_under_review")
    }
    missing = [p for p in wanted if p not in found]
    if missing:
        raise InvalidInput(
            _("no recommendation has the id %(ids)s") % {"ids": ", ".join(missing)}, where="recommendations"
        )
    warnings: list[str] = []
    for public_id, rec in found.items():
        if rec.state_under_review_id != state.pk:
            raise InvalidInput(
                _(
                    "recommendation %(id)s was addressed to %(addressee)s, not to %(state)s: "
                    "link only recommendations your State received"
                )
                % {"id": public_id, "addressee": rec.state_under_review, "state": state},
                where="recommendations",
            )
        if rec.response == RecommendationResponse.NOTED:
            warnings.append(
                _(
                    "recommendation %(id)s was noted, not supported, by %(state)s: "
                    "say in the request why you now seek assistance to implement it"
                )
                % {"id": public_id, "state": state}
            )
    return list(found.values()), warnings


def _apply_fields(
    request: AssistanceRequest, data: dict[str, Any]
) -> tuple[list[str], list[Recommendation] | None, list[str]]:
    """Validate ``data`` and set it on ``request``: changed fields, recommendations to link, warnings."""
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            _("unknown field(s) %(fields)s") % {"fields": ", ".join(unknown)}, where=unknown[0]
        )
    changed: list[str] = []
    warnings: list[str] = []
    if "title" in data:
        title = str(data["title"] or "").strip()
        if not title:
            raise InvalidInput(_("a request needs a title"), where="title")
        if len(title) > 300:
            raise InvalidInput(_("the title is longer than 300 characters"), where="title")
        data["title"] = title
    amount = data.get("amount")
    if amount is not None:
        if not isinstance(amount, Money):
            raise InvalidInput(_("the amount must be given with its currency"), where="amount")
        _clean_amount(amount)
    current = Money(request.amount_requested, request.currency) if request.amount_requested else None
    if "budget_lines" in data:
        data["budget_lines"] = _clean_budget(list(data["budget_lines"] or []), amount or current)
    elif amount is not None and request.budget_lines:
        _clean_budget(request.budget_lines, amount)
    if "priorities" in data:
        data["priorities"] = _clean_priorities(list(data["priorities"] or []))
    if "confidential_fields" in data:
        data["confidential_fields"] = _clean_confidential(list(data["confidential_fields"] or []))
    if "duration_months" in data and data["duration_months"] is not None:
        months = data["duration_months"]
        if not isinstance(months, int) or not 1 <= months <= 120:
            raise InvalidInput(_("the duration must be between 1 and 120 months"), where="duration_months")
    recommendations = None
    if "recommendations" in data:
        recommendations, warnings = _clean_recommendations(
            request.requesting_state, list(data["recommendations"] or [])
        )
    for name, value in data.items():
        if name == "recommendations":
            continue
        if name == "amount":
            if value is not None and (value.amount, value.currency) != (
                request.amount_requested,
                request.currency,
            ):
                request.amount_requested, request.currency = value.amount, value.currency
                changed.append("amount")
            continue
        if getattr(request, name) != value:
            setattr(request, name, value)
            changed.append(name)
    linked = set(request.recommendations.values_list("pk", flat=True)) if request.pk is not None else set()
    if recommendations is not None and {r.pk for r in recommendations} != linked:
        changed.append("recommendations")
    return changed, recommendations, warnings


# --- the request -------------------------------------------------------------------------------------


@transaction.atomic
def create_request(*, actor: Actor, state: State, fund: Fund, data: dict[str, Any]) -> Outcome:
    """A focal point drafts a request of its State to a fund."""
    if not has_role(actor, Role.STATE_FOCAL_POINT, scope=state.iso3):
        raise Forbidden(_("only a focal point of %(state)s may draft its requests") % {"state": state})
    if "title" not in data:
        raise InvalidInput(_("a request needs a title"), where="title")
    request = AssistanceRequest(
        public_id=f"AR-{secrets.token_hex(4).upper()}",
        requesting_state=state,
        fund=fund,
        currency=fund.currency,
        created_by=actor if isinstance(actor, User) else None,
        status_changed_at=timezone.now(),
    )
    changed, recommendations, warnings = _apply_fields(request, dict(data))
    request.save()
    if recommendations:
        request.recommendations.set(recommendations)
    record_event(
        actor=_user(actor),
        action=AssistanceAction.CREATED,
        target=request,
        data={"fund": fund.code, "state": state.iso3, "fields": sorted(changed)},
    )
    return Outcome(request, warnings)


@transaction.atomic
def update_request(
    request: AssistanceRequest, *, actor: Actor, data: dict[str, Any], expected_version: int | None = None
) -> Outcome:
    """The State edits its request while it is a draft or while information is awaited from it."""
    request = _lock(request, expected_version=expected_version)
    _require_focal_point(request, actor)
    data = dict(data)
    only_confidentiality = set(data) <= {"confidential_fields"}
    if request.status not in EDITABLE_STATUSES and not (
        only_confidentiality and request.status != Status.CLOSED
    ):
        raise Conflict(
            _(
                "request %(id)s is %(status)s: "
                "it can be edited only as a draft or while information is requested"
            )
            % {"id": request.public_id, "status": request.get_status_display().lower()}
        )
    changed, recommendations, warnings = _apply_fields(request, data)
    if not changed:
        return Outcome(request, warnings)
    request.version += 1
    request.save()
    if recommendations is not None:
        request.recommendations.set(recommendations)
    record_event(
        actor=_user(actor), action=AssistanceAction.EDITED, target=request, data={"fields": sorted(changed)}
    )
    return Outcome(request, warnings)


@transaction.atomic
def record_consent(
    request: AssistanceRequest, *, actor: Actor, given_by: str, given_at: dt.datetime, reference: str
) -> AssistanceRequest:
    """The State records its consent: who consented, when, and the note verbale or letter."""
    request = _lock(request)
    _require_focal_point(request, actor)
    if request.status not in CONSENT_STATUSES:
        raise Conflict(
            _("request %(id)s is %(status)s: consent is closed")
            % {"id": request.public_id, "status": request.get_status_display().lower()}
        )
    given_by, reference = given_by.strip(), reference.strip()
    if not given_by or not reference:
        raise InvalidInput(
            _("say who consented for the State and the reference of the note verbale or letter")
        )
    if timezone.is_naive(given_at):
        raise InvalidInput(_("the date of consent needs a time zone"), where="given_at")
    if given_at > timezone.now():
        raise InvalidInput(_("consent cannot be dated in the future"), where="given_at")
    if given_at.date() < EARLIEST_DAY:  # year 1, 1900: a typing error in the year
        raise InvalidInput(
            _("consent dated %(day)s is before %(earliest)s: check the year")
            % {"day": given_at.date(), "earliest": EARLIEST_DAY},
            where="given_at",
        )
    request.consent_given_by, request.consent_given_at, request.consent_reference = (
        given_by,
        given_at,
        reference,
    )
    request.version += 1
    request.save()
    record_event(
        actor=_user(actor),
        action=AssistanceAction.CONSENT_RECORDED,
        target=request,
        data={"fields": ["consent"]},
    )
    return request


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(file name, content type) of an upload that is a document of an accepted type and size; also
    used by the tracker for the evidence institutions attach to their progress."""
    name = (upload.name or "").rsplit("/", 1)[-1]
    longest = Attachment._meta.get_field("name").max_length or 0
    if len(name) > longest:
        raise InvalidInput(
            _("the file name is %(length)d characters long; the limit is %(limit)d: rename the file")
            % {"length": len(name), "limit": longest},
            where="file",
        )
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_ATTACHMENT_TYPES:
        allowed = ", ".join(sorted(ALLOWED_ATTACHMENT_TYPES))
        raise InvalidInput(
            _("%(name)r: this type of file is not accepted; attach one of %(allowed)s")
            % {"name": name, "allowed": allowed},
            where="file",
        )
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            _("%(name)r is %(size).1f MB; the limit is %(limit)d MB")
            % {
                "name": name,
                "size": (upload.size or 0) / 1024 / 1024,
                "limit": MAX_ATTACHMENT_BYTES // 1024 // 1024,
            },
            where="file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise InvalidInput(
            _("%(name)r is a program, not a document: attach documents only") % {"name": name}, where="file"
        )
    if extension == ".pdf" and not head.startswith(b"%PDF"):
        raise InvalidInput(_("%(name)r is not a PDF document") % {"name": name}, where="file")
    return name, ALLOWED_ATTACHMENT_TYPES[extension]


@transaction.atomic
def add_attachment(request: AssistanceRequest, *, actor: Actor, upload: UploadedFile) -> Attachment:
    """The State attaches a document (type and size limited) while it may edit its request."""
    request = _lock(request)
    _require_focal_point(request, actor)
    if request.status not in EDITABLE_STATUSES:
        raise Conflict(_("documents can be attached only to a draft or while information is requested"))
    name, content_type = check_upload(upload)
    attachment = Attachment(
        request=request, name=name, size=upload.size or 0, content_type=content_type, uploaded_by=_user(actor)
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    request.version += 1
    request.save(update_fields=["version"])
    record_event(
        actor=_user(actor),
        action=AssistanceAction.ATTACHED,
        target=request,
        data={"fields": ["attachments"], "size": attachment.size},
    )
    return attachment


@transaction.atomic
def add_progress_report(
    request: AssistanceRequest, *, actor: Actor, text: str, final: bool = False
) -> ProgressReport:
    """The State reports on implementation."""
    request = _lock(request)
    _require_focal_point(request, actor)
    if request.status != Status.IN_IMPLEMENTATION:
        raise Conflict(_("progress is reported while the request is in implementation"))
    if not text.strip():
        raise InvalidInput(_("a progress report needs text"), where="text")
    report = ProgressReport.objects.create(
        request=request, text=text.strip(), final=final, submitted_by=_user(actor)
    )
    request.version += 1
    request.save(update_fields=["version"])
    record_event(
        actor=_user(actor),
        action=AssistanceAction.PROGRESS_REPORTED,
        target=request,
        data={"fields": ["progress_reports"], "final": final},
    )
    return report


# --- the fund's settings: service levels and board sessions ------------------------------------------


@transaction.atomic
def set_service_level(*, actor: Actor, fund: Fund, stage: str, working_days: int) -> ServiceLevel:
    """The secretariat sets a fund's service level for a stage (running clocks keep theirs)."""
    if not has_role(actor, Role.SECRETARIAT, scope=fund.code):
        raise Forbidden(f"only the secretariat of {fund.code} sets its service levels")
    if stage not in Stage.values:
        raise InvalidInput(f"{stage!r} is not a stage; stages are {', '.join(Stage.values)}", where="stage")
    if not 1 <= working_days <= 250:
        raise InvalidInput("a service level is between 1 and 250 working days", where="working_days")
    level, _created = ServiceLevel.objects.update_or_create(
        fund=fund, stage=stage, defaults={"working_days": working_days}
    )
    record_event(
        actor=_user(actor),
        action=AssistanceAction.SERVICE_LEVEL_SET,
        target=level,
        data={"working_days": working_days},
    )
    return level


@transaction.atomic
@transaction.atomic
def schedule_board_session(*, actor: Actor, fund: Fund, starts_on: dt.date, title: str) -> BoardSession:
    """The secretariat schedules a session of a fund's board; decisions become due by it.

    A day already past, or years ahead, is a typing error rather than a plan, and a second session of
    one board on one day a duplicate: all are refused with the field to correct.
    """
    if not has_role(actor, Role.SECRETARIAT, scope=fund.code):
        raise Forbidden(
            _("only the secretariat of %(fund)s schedules its board sessions") % {"fund": fund.code}
        )
    title = " ".join(title.split())
    if not title:
        raise InvalidInput(_("name the session, e.g. “Board of Trustees, 42nd session”"), where="title")
    if len(title) > BOARD_SESSION_TITLE_MAX:
        raise InvalidInput(
            _("the session's name has %(length)d characters; it may have %(max)d")
            % {"length": len(title), "max": BOARD_SESSION_TITLE_MAX},
            where="title",
        )
    today = local_date(timezone.now())
    if starts_on < today:
        raise InvalidInput(
            _("%(day)s is past: a session is scheduled from today on") % {"day": starts_on.isoformat()},
            where="starts_on",
        )
    if starts_on.year > today.year + BOARD_SESSION_YEARS_AHEAD:
        raise InvalidInput(
            _("%(day)s is more than %(years)d years ahead: check the year")
            % {"day": starts_on.isoformat(), "years": BOARD_SESSION_YEARS_AHEAD},
            where="starts_on",
        )
    if BoardSession.objects.filter(fund=fund, starts_on=starts_on).exists():
        raise Conflict(
            _("the board of %(fund)s already meets on %(day)s")
            % {"fund": fund.code, "day": starts_on.isoformat()},
            where="starts_on",
        )
    session = BoardSession.objects.create(fund=fund, starts_on=starts_on, title=title)
    record_event(
        actor=_user(actor),
        action=AssistanceAction.BOARD_SESSION_SCHEDULED,
        target=session,
        data={"starts_on": starts_on},
    )
    return session


# --- the workflow ------------------------------------------------------------------------------------


def apply_transition(
    request: AssistanceRequest,
    name: str,
    *,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
) -> AssistanceRequest:
    """Take the workflow step ``name``: ``Forbidden`` for the wrong person, ``Conflict`` out of order."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise InvalidInput(
            _("%(name)r is not a step of the workflow; steps are %(steps)s")
            % {"name": name, "steps": ", ".join(TRANSITIONS)}
        )
    if step.via:
        raise Conflict(
            _("%(step)s: this step is taken through the %(app)s app, not on the request itself")
            % {"step": step.label, "app": step.via}
        )
    return _apply(request, step, actor=actor, reason=reason, expected_version=expected_version)


@transaction.atomic
def _apply(
    request: AssistanceRequest,
    step: WorkflowStep,
    *,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
    extra: dict[str, Any] | None = None,
) -> AssistanceRequest:
    name = step.name
    request = _lock(request, expected_version=expected_version)
    _check_step(request, step, actor=actor)
    reason = reason.strip()
    if step.reason_required and not reason:
        raise InvalidInput(_("%(step)s: give the reasons") % {"step": step.label}, where="reason")
    if step.public_reason and (money := amounts_in(reason, request)):
        raise InvalidInput(
            _(
                "%(step)s: the register publishes these reasons and the State keeps the amount of its "
                "request confidential; take out %(found)s"
            )
            % {"step": step.label, "found": ", ".join(f"\u201c{m}\u201d" for m in money)},
            where="reason",
        )
    source = request.status
    if name == "put_on_hold":
        request.held_from = source
    getattr(request, name)()
    if name == "resume":
        request.held_from = ""
    now = timezone.now()
    if source == Status.DRAFT:
        request.submitted_at = now
    request.status_changed_at = now
    request.version += 1
    for key, value in (extra or {}).items():
        setattr(request, key, value)
    move_clocks(request, now=now)
    request.save()
    record = TransitionRecord.objects.create(
        request=request,
        name=name,
        source=source,
        target=request.status,
        at=now,
        actor=_user(actor),
        reason=reason,
        public_reason=step.public_reason,
    )
    record_event(
        actor=_user(actor),
        action=STEP_ACTIONS[name],
        target=request,
        data={"from": source, "to": request.status, "reason": reason, **(extra or {})},
    )
    if name == "request_information":  # the question itself, to each focal point in their language
        transaction.on_commit(lambda: send_information_request.enqueue(record.pk))
    else:
        transaction.on_commit(lambda: _notify(record))
    return request


def mark_funded(request: AssistanceRequest, *, actor: Actor, allocation_reference: str) -> AssistanceRequest:
    """Called by the funds ledger once money is allocated to an approved request: it is now funded."""
    reference = allocation_reference.strip()
    if not reference:
        raise InvalidInput(_("name the allocation that funds the request"), where="allocation_reference")
    return _apply(
        request,
        TRANSITIONS["fund_request"],
        actor=actor,
        reason=f"allocation {reference}",
        extra={"allocation_reference": reference},
    )


def withdraw_funding(request: AssistanceRequest, *, actor: Actor, reason: str) -> AssistanceRequest:
    """Called by the funds ledger when the last allocation of a funded request is reversed: the request
    is approved again, awaiting funds, and names no allocation."""
    return _apply(
        request,
        TRANSITIONS["withdraw_funding"],
        actor=actor,
        reason=reason,
        extra={"allocation_reference": ""},
    )


def _check_step(request: AssistanceRequest, step: WorkflowStep, *, actor: Actor) -> None:
    if not step.transition.has_perm(request, actor):  # type: ignore[arg-type]
        raise Forbidden(
            _("%(step)s: only %(actor)s of this request may do this")
            % {"step": step.label, "actor": _lower_first(step.actor_label)}
        )
    if request.status not in step.sources:
        raise Conflict(
            _("%(step)s: not possible while the request is %(status)s")
            % {"step": step.label, "status": request.get_status_display().lower()}
        )
    for condition in step.conditions:
        if not condition(request):
            raise Conflict(
                _("%(step)s: %(condition)s")
                % {"step": step.label, "condition": CONDITION_MESSAGES[condition]}
            )


def allowed_steps(request: AssistanceRequest, actor: Actor) -> list[WorkflowStep]:
    """The steps ``actor`` may take now on the request itself (pages and the API offer these)."""
    steps = []
    for step in TRANSITIONS.values():
        if not step.via and request.status in step.sources and step.transition.has_perm(request, actor):  # type: ignore[arg-type]
            steps.append(step)
    return steps


# --- helpers -----------------------------------------------------------------------------------------


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _require_focal_point(request: AssistanceRequest, actor: Actor) -> None:
    if not is_focal_point_for(request, actor):
        raise Forbidden(
            _("only a focal point of %(state)s may change this request") % {"state": request.requesting_state}
        )


def _lower_first(text: str) -> str:
    """``text`` to go inside a sentence: "The State's focal point" -> "the State's focal point"."""
    return text[:1].lower() + text[1:]


def _notify(record: TransitionRecord) -> None:
    """Tell whoever acts next (or the State, when someone else moved its request)."""
    request = record.request
    kinds = {step.actor for step in TRANSITIONS.values() if request.status in step.sources}
    if TRANSITIONS[record.name].actor != "state":
        kinds.add("state")
    to = sorted({address for kind in kinds for address in selectors.recipients(request, kind)})
    if not to:
        return
    send_mail(
        subject=f"[hrcoop] {request.public_id}: {request.get_status_display()}",
        message=(
            f"Request {request.public_id} ({request.title}) of {request.requesting_state} to {request.fund}\n"
            f"moved from {Status(record.source).label} to {Status(record.target).label} "
            f"on {record.at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=to,
    )
