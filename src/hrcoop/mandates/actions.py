"""The audit actions that mandates' services record: resolutions imported and mandates fulfilled."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class MandateAction(AuditAction):
    RESOLUTION_IMPORTED = "mandates.resolution_imported", _("Resolution imported")
    RESOLUTION_UPDATED = "mandates.resolution_updated", _("Resolution updated")
    MANDATE_FULFILLED = "mandates.mandate_fulfilled", _("Mandate fulfilled")
