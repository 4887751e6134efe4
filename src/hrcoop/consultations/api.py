"""REST API of calls for inputs: the calls, and the answers the public may read.

Read-only and open to everyone, because it shows only what the public pages show: answers come from
``selectors.answers_visible_to`` (for the public: published answers of submitted submissions, never one
kept unpublished), so a signed-in respondent also reads their own drafts and the desk reads all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from hrcoop.consultations import selectors
from hrcoop.consultations.models import Answer, Call, Question, Submission
from hrcoop.core.errors import InvalidInput


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "kind", "text", "choices"]


class CallSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    mandate_resolution = serializers.CharField(source="mandate.resolution.number", read_only=True)
    mandate_paragraph = serializers.CharField(source="mandate.paragraph.number", read_only=True)
    submissions_published = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id", "title", "description", "mandate", "mandate_resolution", "mandate_paragraph", "deadline",
            "languages", "open_to_states", "open_to_organisations", "publish_answers", "status", "opened_at",
            "closed_at", "questions", "submissions_published",
        ]  # fmt: skip

    def get_submissions_published(self, call: Call) -> int:
        return selectors.public_submissions(call).count()


class AnswerSerializer(serializers.ModelSerializer):
    call = serializers.IntegerField(source="submission.call_id", read_only=True)
    respondent = serializers.CharField(source="submission.respondent", read_only=True)
    kind = serializers.ChoiceField(source="submission.kind", choices=Submission.Kind.choices, read_only=True)
    state = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", read_only=True)
    late = serializers.BooleanField(source="submission.late", read_only=True)
    question_position = serializers.IntegerField(source="question.position", read_only=True)
    value = serializers.CharField(read_only=True)

    class Meta:
        model = Answer
        fields = [
            "id", "call", "submission", "respondent", "kind", "state", "submitted_at", "late", "question",
            "question_position", "value", "language",
        ]  # fmt: skip

    def get_state(self, answer: Answer) -> str | None:
        state = answer.submission.state
        return state.iso3 if state is not None else None


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer

    def get_queryset(self) -> QuerySet[Call]:
        return selectors.calls_visible_to(self.request.user).prefetch_related("questions")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("call", int, description="Only the answers to this call")]
    )
)
class AnswerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AnswerSerializer

    def get_queryset(self) -> QuerySet[Answer]:
        queryset = selectors.answers_visible_to(self.request.user).select_related("submission__state")
        call: Any = self.request.query_params.get("call")
        if call:
            if not str(call).isdigit():
                raise InvalidInput(f"call must be a call's id, not {call!r}", where="call")
            queryset = queryset.filter(submission__call_id=int(call))
        return queryset
