"""The audit actions that assistance's services record: a request's life, and a fund's clocks and board.

Each workflow step records ``assistance.<step name>``; ``STEP_ACTIONS`` names the action of every step
declared on ``AssistanceRequest``, so a new step without its action fails the audit tests, not a request.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class AssistanceAction(AuditAction):
    CREATED = "assistance.create", _("Request drafted")
    EDITED = "assistance.edit", _("Request edited")
    CONSENT_RECORDED = "assistance.consent", _("Consent recorded")
    ATTACHED = "assistance.attach", _("Document attached")
    PROGRESS_REPORTED = "assistance.progress_report", _("Progress reported")
    SERVICE_LEVEL_SET = "assistance.service_level", _("Service level set")
    BOARD_SESSION_SCHEDULED = "assistance.board_session", _("Board session scheduled")
    # The workflow's steps, by the step's name (``assistance.workflow.TRANSITIONS``).
    SUBMITTED = "assistance.submit", _("Request submitted")
    ACKNOWLEDGED = "assistance.acknowledge", _("Request acknowledged")
    ASSESSMENT_STARTED = "assistance.start_assessment", _("Assessment started")
    INFORMATION_REQUESTED = "assistance.request_information", _("Information requested")
    INFORMATION_PROVIDED = "assistance.provide_information", _("Information provided")
    RECOMMENDED = "assistance.recommend", _("Recommended to the board")
    APPROVED = "assistance.approve", _("Request approved")
    APPROVED_WITH_CHANGES = "assistance.approve_with_changes", _("Request approved with changes")
    DECLINED = "assistance.decline", _("Request declined")
    FUNDED = "assistance.fund_request", _("Request funded")
    FUNDING_WITHDRAWN = "assistance.withdraw_funding", _("Funding withdrawn")
    IMPLEMENTATION_STARTED = "assistance.start_implementation", _("Implementation started")
    COMPLETED = "assistance.complete", _("Completion recorded")
    CLOSED = "assistance.close", _("Request closed")
    WITHDRAWN = "assistance.withdraw", _("Request withdrawn")
    PUT_ON_HOLD = "assistance.put_on_hold", _("Request put on hold")
    RESUMED = "assistance.resume", _("Request resumed")


# The action each workflow step records, by the step's name.
STEP_ACTIONS: dict[str, AssistanceAction] = {
    "submit": AssistanceAction.SUBMITTED,
    "acknowledge": AssistanceAction.ACKNOWLEDGED,
    "start_assessment": AssistanceAction.ASSESSMENT_STARTED,
    "request_information": AssistanceAction.INFORMATION_REQUESTED,
    "provide_information": AssistanceAction.INFORMATION_PROVIDED,
    "recommend": AssistanceAction.RECOMMENDED,
    "approve": AssistanceAction.APPROVED,
    "approve_with_changes": AssistanceAction.APPROVED_WITH_CHANGES,
    "decline": AssistanceAction.DECLINED,
    "fund_request": AssistanceAction.FUNDED,
    "withdraw_funding": AssistanceAction.FUNDING_WITHDRAWN,
    "start_implementation": AssistanceAction.IMPLEMENTATION_STARTED,
    "complete": AssistanceAction.COMPLETED,
    "close": AssistanceAction.CLOSED,
    "withdraw": AssistanceAction.WITHDRAWN,
    "put_on_hold": AssistanceAction.PUT_ON_HOLD,
    "resume": AssistanceAction.RESUMED,
}
