"""Admin: requests are read-only here (their changes go through the workflow); a fund's service levels
and board sessions are saved through the services, so that each change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrcoop.assistance import services
from hrcoop.assistance.models import (
    AssistanceRequest,
    Attachment,
    BoardSession,
    ProgressReport,
    ServiceLevel,
    StageClock,
    TransitionRecord,
)
from hrcoop.core.admin import ReadOnlyAdmin, ReadOnlyInline


class TimelineInline(ReadOnlyInline):
    model = TransitionRecord


class ClockInline(ReadOnlyInline):
    model = StageClock


class AttachmentInline(ReadOnlyInline):
    model = Attachment


class ProgressReportInline(ReadOnlyInline):
    model = ProgressReport


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "requesting_state", "fund", "title", "status", "due_date"]
    list_filter = ["status", "fund"]
    search_fields = ["public_id", "title"]
    inlines = [TimelineInline, ClockInline, AttachmentInline, ProgressReportInline]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["fund", "stage", "working_days"]

    def save_model(self, request: HttpRequest, obj: ServiceLevel, form: Any, change: bool) -> None:
        saved = services.set_service_level(
            actor=request.user, fund=obj.fund, stage=obj.stage, working_days=obj.working_days
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BoardSession)
class BoardSessionAdmin(admin.ModelAdmin):
    """Sessions are scheduled through ``services.schedule_board_session`` (audited); they are neither
    changed nor deleted here, as requests on their agenda refer to them."""

    list_display = ["title", "fund", "starts_on"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: BoardSession, form: Any, change: bool) -> None:
        saved = services.schedule_board_session(
            actor=request.user, fund=obj.fund, starts_on=obj.starts_on, title=obj.title
        )
        obj.pk = saved.pk
