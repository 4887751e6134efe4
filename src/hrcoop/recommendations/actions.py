"""The audit actions that the registry's services record: imports, responses, labels, corrections.

``RESPONSE_RECORDED`` and ``CORRECTED`` are about one record and make its public history
(``selectors.record_history``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class RecommendationAction(AuditAction):
    FILE_IMPORTED = "recommendations.import_file", _("File imported")
    # An import brought or changed a record's response.
    RESPONSE_RECORDED = "recommendations.response_recorded", _("Response recorded")
    # A later export dropped (or brought back) labels.
    LABELS_FOLLOWED = "recommendations.labels_followed", _("Labels followed a later export")
    # The secretariat corrected fields of the record.
    CORRECTED = "recommendations.update", _("Record corrected")
