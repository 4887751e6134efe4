"""The audit actions that reports' services record: builds asked for, finished and published."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class ReportAction(AuditAction):
    BUILD_REQUESTED = "reports.build_requested", _("Report build requested")
    BUILT = "reports.built", _("Report built")
    BUILD_FAILED = "reports.build_failed", _("Report build failed")
    PUBLISHED = "reports.published", _("Report published")
    OPEN_DATA_REQUESTED = "reports.open_data_requested", _("Open data rebuild requested")
