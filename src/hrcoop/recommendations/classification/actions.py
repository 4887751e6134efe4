"""The audit actions that classification's services record: models, suggestions and their review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class ClassificationAction(AuditAction):
    MODEL_TRAINED = "classification.model_trained", _("Model trained")
    SUGGESTIONS_STORED = "classification.suggestions_stored", _("Suggestions stored")
    ACCEPTED = "classification.accepted", _("Suggestion accepted")
    REJECTED = "classification.rejected", _("Suggestion rejected")
    EVALUATED = "classification.evaluated", _("Model evaluated")
