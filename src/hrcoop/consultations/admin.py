"""Admin: consultations are read-only here. Calls, answers and documents change through the services
(the pages, the API, the command line), so that every change is audited and the publication rules hold."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrcoop.consultations.models import Answer, Call, Invitation, Question, Submission, SubmissionAttachment
from hrcoop.core.admin import ReadOnlyAdmin


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class QuestionInline(_ReadOnlyInline):
    model = Question


class InvitationInline(_ReadOnlyInline):
    model = Invitation


class AnswerInline(_ReadOnlyInline):
    model = Answer
    exclude = ["vector"]


class AttachmentInline(_ReadOnlyInline):
    model = SubmissionAttachment


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ["title", "mandate", "deadline", "status", "publish_answers"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [QuestionInline, InvitationInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["respondent", "call", "kind", "status", "submitted_at", "late"]
    list_filter = ["kind", "status", "late"]
    search_fields = ["respondent"]
    inlines = [AnswerInline, AttachmentInline]
