"""Admin: consultations are read-only here. Calls, answers and documents change through the services
(the pages, the API, the command line), so that every change is audited and the publication rules hold."""

from __future__ import annotations

from django.contrib import admin

from hrcoop.consultations.models import Answer, Call, Invitation, Question, Submission, SubmissionAttachment
from hrcoop.core.admin import ReadOnlyAdmin, ReadOnlyInline


class QuestionInline(ReadOnlyInline):
    model = Question


class InvitationInline(ReadOnlyInline):
    model = Invitation


class AnswerInline(ReadOnlyInline):
    model = Answer
    exclude = ["vector"]


class AttachmentInline(ReadOnlyInline):
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
