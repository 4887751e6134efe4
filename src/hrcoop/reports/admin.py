"""Report builds for operators, read-only: builds are asked for and published on the Reports page."""

from django.contrib import admin

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.reports.models import ReportBuild


@admin.register(ReportBuild)
class ReportBuildAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "kind",
        "year",
        "language",
        "state",
        "fund",
        "status",
        "data_version",
        "requested_at",
    ]
    list_filter = ["kind", "status", "language"]
