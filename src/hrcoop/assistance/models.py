"""Requests for assistance from the funds, and the one workflow they follow (issue 4, para 22).

The workflow is declared once, on ``AssistanceRequest``, with django-fsm-2 ``@transition``s: sources,
target, who may act (``permission``), what must hold (``conditions``), and in ``custom`` what the
process page publishes (who acts, what the State must provide, whether a reason is required). The
services run these declarations and the process page draws them, so the published process is always
the one the code runs. Transition methods have no body: every effect lives in ``services.py``.

Clocks: ``StageClock`` holds one row per service-level stage a request passes through (acknowledgement,
assessment, decision), with its due date in Geneva working days and the working days it was paused
while information was awaited from the State. ``AssistanceRequest.due_date`` copies the due date of
the running clock so that queues can sort on a column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from hrcoop.core.models import Role, User
from hrcoop.core.roles import has_role
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import Fund, State

StrOrPromise = str | Promise


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    RECOMMENDED = "recommended", _("Recommended to the board")
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CHANGES = "approved_with_changes", _("Approved with changes")
    DECLINED = "declined", _("Declined")
    FUNDED = "funded", _("Funded")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ON_HOLD = "on_hold", _("On hold")


class Stage(models.TextChoices):
    """The stages that carry a service level, and the statuses during which each clock runs."""

    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    ASSESSMENT = "assessment", _("Assessment")
    DECISION = "decision", _("Decision")


DEFAULT_SERVICE_LEVELS: dict[str, int] = {
    Stage.ACKNOWLEDGEMENT: 5,
    Stage.ASSESSMENT: 30,
    Stage.DECISION: 60,
}

STAGE_OF_STATUS: dict[str, str] = {
    Status.SUBMITTED: Stage.ACKNOWLEDGEMENT,
    Status.ACKNOWLEDGED: Stage.ASSESSMENT,
    Status.UNDER_ASSESSMENT: Stage.ASSESSMENT,
    Status.INFORMATION_REQUESTED: Stage.ASSESSMENT,
    Status.RECOMMENDED: Stage.DECISION,
}

# Statuses during which the clock stops because the ball is in the State's court.
PAUSED_STATUSES = frozenset({Status.INFORMATION_REQUESTED})

BEFORE_FUNDING = [
    Status.SUBMITTED,
    Status.ACKNOWLEDGED,
    Status.UNDER_ASSESSMENT,
    Status.INFORMATION_REQUESTED,
    Status.RECOMMENDED,
    Status.APPROVED,
    Status.APPROVED_WITH_CHANGES,
    Status.ON_HOLD,
]
# Decided by the board and awaiting money: the secretariat allocates from the request's page.
AWAITING_ALLOCATION = frozenset({Status.APPROVED, Status.APPROVED_WITH_CHANGES})
HOLDABLE = [
    Status.SUBMITTED,
    Status.ACKNOWLEDGED,
    Status.UNDER_ASSESSMENT,
    Status.RECOMMENDED,
    Status.APPROVED,
    Status.APPROVED_WITH_CHANGES,
]


class ConfidentialField(models.TextChoices):
    """Fields a State may keep out of the public register. The title, State, fund and status are public."""

    NEED = "need", _("Need")
    OBJECTIVES = "objectives", _("Objectives")
    EXPECTED_RESULTS = "expected_results", _("Expected results and indicators")
    PRIORITIES = "priorities", _("Priorities")
    AMOUNT = "amount", _("Amount and budget")
    DURATION = "duration_months", _("Duration")
    PARTNERS = "implementing_partners", _("Implementing partners")
    RECOMMENDATIONS = "recommendations", _("Linked recommendations")
    CONSENT = "consent", _("Consent record")
    ATTACHMENTS = "attachments", _("Attached documents")
    PROGRESS = "progress_reports", _("Progress reports")


# --- who may act: the permission callables of the transitions (DESIGN.md §1) ---------------------------


# django-fsm-2 types permissions and conditions on any model and user, hence the ``Any`` arguments.


def is_focal_point_for(request: Any, user: Any) -> bool:
    return has_role(user, Role.STATE_FOCAL_POINT, scope=request.requesting_state.iso3)


def is_secretariat_for(request: Any, user: Any) -> bool:
    return has_role(user, Role.SECRETARIAT, scope=request.fund_id)


def is_board_for(request: Any, user: Any) -> bool:
    return has_role(user, Role.BOARD, scope=request.fund_id)


ACTOR_PERMISSIONS = {"state": is_focal_point_for, "secretariat": is_secretariat_for, "board": is_board_for}
ACTOR_LABELS = {
    "state": _("The State's focal point"),
    "secretariat": _("The secretariat"),
    "board": _("The fund's Board of Trustees"),
}


# --- what must hold: the conditions, each with the message shown when it does not -----------------------


def has_consent(request: Any) -> bool:
    return bool(request.consent_given_at and request.consent_given_by and request.consent_reference)


def has_progress_report(request: Any) -> bool:
    return request.progress_reports.exists()


CONDITION_MESSAGES: dict[Callable[[Any], bool], StrOrPromise] = {
    has_consent: _(
        "the State's consent is not on record: its focal point must record who consented, when, "
        "and the reference of the note verbale or letter"
    ),
    has_progress_report: _(
        "no progress report has been submitted yet: the State must report before completion"
    ),
}


def _step(
    actor: str,
    label: StrOrPromise,
    *,
    explains: StrOrPromise,
    provide: StrOrPromise = "",
    reason: bool = False,
    public_reason: bool = False,
    via: str = "",
) -> dict[str, object]:
    """The ``custom`` metadata of a transition, as published on the process page: its label and what it
    ``explains`` are translated there, so they are declared here rather than in the method's docstring.

    ``via`` names the service that takes the step when it is not taken directly on the request's page
    or through its API (funding happens when the funds ledger allocates money).
    """
    return {
        "actor": actor,
        "label": label,
        "explains": explains,
        "provide": provide,
        "reason_required": reason,
        "public_reason": public_reason,
        "via": via,
    }


class AssistanceRequest(models.Model):
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    requesting_state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="assistance_requests")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="assistance_requests")
    title = models.CharField(max_length=300)
    need = models.TextField(blank=True, help_text=_("The need the assistance answers"))
    objectives = models.TextField(blank=True)
    expected_results = models.TextField(blank=True, help_text=_("Expected results with their indicators"))
    priorities = models.JSONField(default=list, blank=True, help_text=_("The State's priorities, ranked"))
    amount_requested = models.BigIntegerField(default=0, help_text=_("In minor units of the currency"))
    currency = models.CharField(max_length=3, default="USD")
    budget_lines = models.JSONField(
        default=list, blank=True, help_text=_('[{"item": "...", "amount": minor units}, ...]')
    )
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    implementing_partners = models.TextField(blank=True)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="assistance_requests")
    consent_given_by = models.CharField(
        max_length=200, blank=True, help_text=_("Who consented for the State")
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_reference = models.CharField(max_length=200, blank=True, help_text=_("Note verbale or letter"))
    confidential_fields = models.JSONField(default=list, blank=True)
    status = FSMField(max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True)
    held_from = models.CharField(max_length=32, blank=True, help_text=_("Status to resume after a hold"))
    allocation_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=0, help_text=_("Incremented by every change"))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_requested__gte=0), name="assistance_request_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} {self.title}"

    def is_confidential(self, field: str) -> bool:
        return field in self.confidential_fields

    # --- the workflow ------------------------------------------------------------------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=is_focal_point_for,
        custom=_step(
            "state",
            _("Submit"),
            provide=_(
                "The request: need, objectives, expected results with indicators, ranked priorities, "
                "linked recommendations, amount with a budget by line, duration, implementing partners."
            ),
            explains=_("Send the request to the secretariat."),
        ),
    )
    def submit(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACKNOWLEDGED,
        permission=is_secretariat_for,
        custom=_step("secretariat", _("Acknowledge"), explains=_("Confirm receipt to the State.")),
    )
    def acknowledge(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.ACKNOWLEDGED,
        target=Status.UNDER_ASSESSMENT,
        permission=is_secretariat_for,
        custom=_step("secretariat", _("Start assessment"), explains=_("Begin assessing the request.")),
    )
    def start_assessment(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.UNDER_ASSESSMENT,
        target=Status.INFORMATION_REQUESTED,
        permission=is_secretariat_for,
        custom=_step(
            "secretariat",
            _("Request information"),
            reason=True,
            explains=_("Ask the State a question; the clock stops until it answers."),
        ),
    )
    def request_information(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.INFORMATION_REQUESTED,
        target=Status.UNDER_ASSESSMENT,
        permission=is_focal_point_for,
        custom=_step(
            "state",
            _("Provide information"),
            provide=_("The answer to the question asked."),
            reason=True,
            explains=_("Answer the secretariat; the clock starts again."),
        ),
    )
    def provide_information(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.UNDER_ASSESSMENT,
        target=Status.RECOMMENDED,
        permission=is_secretariat_for,
        conditions=[has_consent],
        custom=_step(
            "secretariat",
            _("Recommend to the board"),
            provide=_("The State's consent (who, when, reference of the note verbale or letter)."),
            reason=True,
            explains=_("Conclude the assessment with a recommendation to the board."),
        ),
    )
    def recommend(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.APPROVED,
        permission=is_board_for,
        custom=_step(
            "board", _("Approve"), reason=True, public_reason=True, explains=_("Approve as requested.")
        ),
    )
    def approve(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.APPROVED_WITH_CHANGES,
        permission=is_board_for,
        custom=_step(
            "board",
            _("Approve with changes"),
            reason=True,
            public_reason=True,
            explains=_("Approve with the changes stated in the reasons."),
        ),
    )
    def approve_with_changes(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.RECOMMENDED,
        target=Status.DECLINED,
        permission=is_board_for,
        custom=_step(
            "board",
            _("Decline"),
            reason=True,
            public_reason=True,
            explains=_("Decline, with reasons that the register publishes."),
        ),
    )
    def decline(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.APPROVED, Status.APPROVED_WITH_CHANGES],
        target=Status.FUNDED,
        permission=is_secretariat_for,
        conditions=[has_consent],
        custom=_step(
            "secretariat",
            _("Fund"),
            provide=_("The State's consent, if not already recorded."),
            via="funds",
            explains=_("Money is allocated from the fund (the funds ledger calls this)."),
        ),
    )
    def fund_request(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.FUNDED,
        target=RETURN_VALUE(Status.APPROVED, Status.APPROVED_WITH_CHANGES),
        permission=is_secretariat_for,
        custom=_step(
            "secretariat",
            _("Withdraw funding"),
            via="funds",
            explains=_(
                "The allocation that funded the request was reversed: it is approved again, awaiting funds "
                "(the funds ledger calls this)."
            ),
        ),
    )
    def withdraw_funding(self) -> str:
        """Back to the approval the request was funded from."""
        funded = self.timeline.filter(target=Status.FUNDED).order_by("-at", "-id").first()
        return funded.source if funded else Status.APPROVED

    @transition(
        field=status,
        source=Status.FUNDED,
        target=Status.IN_IMPLEMENTATION,
        permission=is_focal_point_for,
        custom=_step(
            "state",
            _("Start implementation"),
            explains=_("The State starts implementing; it reports progress from here on."),
        ),
    )
    def start_implementation(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.IN_IMPLEMENTATION,
        target=Status.COMPLETED,
        permission=is_secretariat_for,
        conditions=[has_progress_report],
        custom=_step(
            "secretariat",
            _("Record completion"),
            provide=_("Progress reports, including a final one."),
            explains=_("The activities are over."),
        ),
    )
    def complete(self) -> None:
        pass

    @transition(
        field=status,
        source=[Status.COMPLETED, Status.DECLINED, Status.WITHDRAWN],
        target=Status.CLOSED,
        permission=is_secretariat_for,
        custom=_step("secretariat", _("Close"), explains=_("File the request.")),
    )
    def close(self) -> None:
        pass

    @transition(
        field=status,
        source=BEFORE_FUNDING,
        target=Status.WITHDRAWN,
        permission=is_focal_point_for,
        custom=_step(
            "state",
            _("Withdraw"),
            reason=True,
            public_reason=True,
            explains=_("The State withdraws its request (any time before funding)."),
        ),
    )
    def withdraw(self) -> None:
        pass

    @transition(
        field=status,
        source=HOLDABLE,
        target=Status.ON_HOLD,
        permission=is_secretariat_for,
        custom=_step(
            "secretariat",
            _("Put on hold"),
            reason=True,
            public_reason=True,
            explains=_("Suspend the request; the running clock keeps counting."),
        ),
    )
    def put_on_hold(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.ON_HOLD,
        target=RETURN_VALUE(*HOLDABLE),
        permission=is_secretariat_for,
        custom=_step(
            "secretariat", _("Resume"), explains=_("Return to the status the request was in before the hold.")
        ),
    )
    def resume(self) -> str:
        return self.held_from


class TransitionRecord(models.Model):
    """One step of a request's timeline; append-only, written in the transition's transaction."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="timeline")
    name = models.CharField(max_length=40)
    source = models.CharField(max_length=32)
    target = models.CharField(max_length=32)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    public_reason = models.BooleanField(default=False, help_text=_("Whether the register shows the reason"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.source} -> {self.target}"


class StageClock(models.Model):
    """The service-level clock of one stage of one request."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="clocks")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    service_level = models.PositiveSmallIntegerField(help_text=_("Working days allowed"))
    due_date = models.DateField()
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    completed = models.BooleanField(default=False, help_text=_("Ended by reaching the next stage"))
    working_days_taken = models.PositiveIntegerField(null=True, blank=True)
    on_time = models.BooleanField(null=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["fund", "stage", "completed"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.stage} due {self.due_date}"


class ServiceLevel(models.Model):
    """A fund's own service level for a stage; stages without a row use ``DEFAULT_SERVICE_LEVELS``."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="service_levels")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "stage"], name="assistance_service_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.stage}: {self.working_days} working days"


class BoardSession(models.Model):
    """A session of a fund's Board of Trustees: decisions are due by the next one (or the service level)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="board_sessions")
    starts_on = models.DateField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="assistance/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="progress_reports")
    text = models.TextField()
    final = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} progress report {self.submitted_at:%Y-%m-%d}"
