"""REST API of requests for assistance: the same reads and the same steps as the pages, through the
same selectors and services (so the same rules), described in the OpenAPI schema.

Responses carry ``request_record`` (confidential values are ``null`` for those who may not see them).
Amounts are written in major units as text ("12,500.50") with an ISO 4217 currency.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrcoop.assistance import selectors, services
from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.api import validated
from hrcoop.core.errors import InvalidInput, NotFound
from hrcoop.core.money import Money
from hrcoop.reference.models import Fund, State


class BudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    amount = serializers.CharField(help_text="Major units, e.g. 1,200.50")


class RequestInputSerializer(serializers.Serializer):
    state = serializers.CharField(max_length=3, help_text="ISO 3166 alpha-3 of the requesting State")
    fund = serializers.CharField(max_length=20, help_text="Fund code: UPR-FTA, UPR-PART or VFTC")
    title = serializers.CharField(max_length=300)
    need = serializers.CharField(required=False, allow_blank=True)
    objectives = serializers.CharField(required=False, allow_blank=True)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    priorities = serializers.ListField(child=serializers.CharField(), required=False)
    amount = serializers.CharField(required=False, help_text="Major units, e.g. 12,500.50")
    currency = serializers.CharField(required=False, max_length=3)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    duration_months = serializers.IntegerField(required=False, allow_null=True)
    implementing_partners = serializers.CharField(required=False, allow_blank=True)
    recommendations = serializers.ListField(child=serializers.CharField(), required=False)
    confidential_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=ConfidentialField.choices), required=False
    )
    version = serializers.IntegerField(required=False, help_text="The version you read (edits only)")


class TransitionInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(TRANSITIONS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="The version you read; 409 if it changed")


class ConsentInputSerializer(serializers.Serializer):
    given_by = serializers.CharField(max_length=200)
    given_at = serializers.DateTimeField()
    reference = serializers.CharField(max_length=200)


class ProgressInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    final = serializers.BooleanField(default=False)


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    step = serializers.CharField()
    step_label = serializers.CharField(source="label")
    to = serializers.CharField()
    to_label = serializers.CharField()
    by = serializers.CharField()
    reason = serializers.CharField()


class LinkedRecommendationSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    cycle = serializers.IntegerField(allow_null=True)
    session = serializers.IntegerField(allow_null=True)
    response = serializers.CharField()
    response_label = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    """A request as its reader may see it: confidential values are null."""

    public_id = serializers.CharField()
    state = serializers.CharField()
    state_iso3 = serializers.CharField()
    fund = serializers.CharField()
    fund_name = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    status_changed_at = serializers.DateTimeField(allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    working_days_in_status = serializers.IntegerField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    clock_paused = serializers.BooleanField()
    need = serializers.CharField(allow_null=True)
    objectives = serializers.CharField(allow_null=True)
    expected_results = serializers.CharField(allow_null=True)
    priorities = serializers.ListField(child=serializers.CharField(), allow_null=True)
    amount = serializers.CharField(allow_null=True)
    amount_minor_units = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    budget_lines = serializers.ListField(child=serializers.DictField(), allow_null=True)
    duration_months = serializers.IntegerField(allow_null=True)
    implementing_partners = serializers.CharField(allow_null=True)
    recommendations = serializers.ListField(child=serializers.CharField(), allow_null=True)
    linked_recommendations = serializers.ListField(
        child=LinkedRecommendationSerializer(), allow_null=True, help_text="The linked recommendations' texts"
    )
    consent_given_by = serializers.CharField(allow_null=True)
    consent_given_at = serializers.DateTimeField(allow_null=True)
    consent_reference = serializers.CharField(allow_null=True)
    attachments = serializers.ListField(child=serializers.DictField(), allow_null=True)
    progress_reports = serializers.ListField(child=serializers.DictField(), allow_null=True)
    allocation_reference = serializers.CharField()
    confidential_fields = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class DetailSerializer(RecordSerializer):
    timeline = TimelineEntrySerializer(many=True)
    allowed_steps = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField(), required=False)


def _money(data: dict[str, Any], currency: str) -> Money | None:
    if "amount" not in data:
        return None
    return Money.parse(data["amount"], data.get("currency") or currency)


def _fields(data: dict[str, Any], currency: str) -> dict[str, Any]:
    """API input -> the keyword data of ``create_request``/``update_request``."""
    fields = {
        k: v
        for k, v in data.items()
        if k not in {"state", "fund", "amount", "currency", "budget_lines", "version"}
    }
    amount = _money(data, currency)
    if amount is not None:
        fields["amount"] = amount
    elif "currency" in data:
        raise InvalidInput("give the amount together with its currency", where="amount")
    if "budget_lines" in data:
        code = amount.currency if amount else currency
        fields["budget_lines"] = [
            {"item": line["item"], "amount": Money.parse(line["amount"], code).amount}
            for line in data["budget_lines"]
        ]
    return fields


class AssistanceRequestViewSet(viewsets.GenericViewSet):
    """Requests for assistance: the public register for everyone, the workflow for those who act."""

    lookup_field = "public_id"
    serializer_class = RecordSerializer
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> QuerySet[AssistanceRequest]:
        queryset = selectors.requests_visible_to(self.request.user)
        return selectors.filter_register(queryset, self.request.query_params)

    def _get(self, public_id: str) -> AssistanceRequest:
        return selectors.request_for(self.request.user, public_id)

    def _detail(self, request: AssistanceRequest, warnings: list[str] | None = None) -> dict[str, Any]:
        request.refresh_from_db()
        full = selectors.sees_confidential(request, self.request.user)
        body = selectors.request_record(request, full=full)
        body["timeline"] = selectors.timeline(request, full=full)
        body["allowed_steps"] = [s.name for s in services.allowed_steps(request, self.request.user)]
        body["warnings"] = warnings or []
        return DetailSerializer(body).data

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        sees = selectors.confidential_access(request.user)
        rows = [selectors.request_record(r, full=sees(r)) for r in page or []]
        return self.get_paginated_response(RecordSerializer(rows, many=True).data)

    @extend_schema(responses=DetailSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(self._detail(self._get(public_id)))

    @extend_schema(request=RequestInputSerializer, responses={201: DetailSerializer})
    def create(self, request: Request) -> Response:
        data = validated(RequestInputSerializer, request.data)
        state = State.objects.filter(iso3=str(data["state"]).upper()).first()
        fund = Fund.objects.filter(code=data["fund"]).first()
        if state is None:
            raise InvalidInput(f"no State has the code {data['state']!r}", where="state")
        if fund is None:
            raise InvalidInput(f"no fund has the code {data['fund']!r}", where="fund")
        outcome = services.create_request(
            actor=request.user, state=state, fund=fund, data=_fields(data, fund.currency)
        )
        return Response(self._detail(outcome.request, outcome.warnings), status=status.HTTP_201_CREATED)

    @extend_schema(request=RequestInputSerializer, responses=DetailSerializer)
    def partial_update(self, request: Request, public_id: str) -> Response:
        target = self._get(public_id)
        serializer = RequestInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for key in ("state", "fund"):
            if key in data:
                raise InvalidInput(f"the {key} of a request cannot change: draft a new request", where=key)
        outcome = services.update_request(
            target,
            actor=request.user,
            data=_fields(data, target.currency),
            expected_version=data.get("version"),
        )
        return Response(self._detail(outcome.request, outcome.warnings))

    @extend_schema(request=TransitionInputSerializer, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, public_id: str) -> Response:
        data = validated(TransitionInputSerializer, request.data)
        moved = services.apply_transition(
            self._get(public_id),
            data["step"],
            actor=request.user,
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(self._detail(moved))

    @extend_schema(request=ConsentInputSerializer, responses=DetailSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: Request, public_id: str) -> Response:
        data = validated(ConsentInputSerializer, request.data)
        moved = services.record_consent(
            self._get(public_id),
            actor=request.user,
            given_by=data["given_by"],
            given_at=data["given_at"],
            reference=data["reference"],
        )
        return Response(self._detail(moved))

    @extend_schema(request=AttachmentInputSerializer, responses={201: DetailSerializer})
    @action(detail=True, methods=["post"])
    def attachments(self, request: Request, public_id: str) -> Response:
        data = validated(AttachmentInputSerializer, request.data)
        target = self._get(public_id)
        services.add_attachment(target, actor=request.user, upload=data["file"])
        return Response(self._detail(target), status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgressInputSerializer, responses={201: DetailSerializer})
    @action(detail=True, methods=["post"], url_path="progress-reports")
    def progress_reports(self, request: Request, public_id: str) -> Response:
        data = validated(ProgressInputSerializer, request.data)
        target = self._get(public_id)
        services.add_progress_report(target, actor=request.user, text=data["text"], final=data["final"])
        return Response(self._detail(target), status=status.HTTP_201_CREATED)


class TimelinessSerializer(serializers.Serializer):
    fund = serializers.CharField()
    year = serializers.IntegerField()
    stage = serializers.CharField()
    count = serializers.IntegerField()
    on_time_rate = serializers.FloatField()
    median_working_days = serializers.FloatField(allow_null=True)


class TimelinessViewSet(viewsets.ViewSet):
    """On-time rate and median working days per stage, fund and year."""

    @extend_schema(responses=TimelinessSerializer(many=True))
    def list(self, request: Request) -> Response:
        fund = request.query_params.get("fund")
        if fund and not Fund.objects.filter(code=fund).exists():
            raise NotFound(f"no fund has the code {fund!r}")
        return Response(TimelinessSerializer(selectors.timeliness(fund=fund), many=True).data)
