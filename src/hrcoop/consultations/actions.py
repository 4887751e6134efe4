"""The audit actions that consultations' services record: calls for inputs, invitations, submissions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class ConsultationAction(AuditAction):
    CALL_OPENED = "consultations.call_opened", _("Call for inputs opened")
    CALL_CLOSED = "consultations.call_closed", _("Call for inputs closed")
    INVITED = "consultations.invited", _("Contributor invited")
    INVITATION_REVOKED = "consultations.invitation_revoked", _("Invitation revoked")
    SUBMISSION_STARTED = "consultations.submission_started", _("Submission started")
    ANSWER_SAVED = "consultations.answer_saved", _("Answer saved")
    DOCUMENT_ATTACHED = "consultations.document_attached", _("Document attached")
    SUBMITTED = "consultations.submitted", _("Submission sent")
