"""REST API of implementation trackers: the same reads and writes as the pages, through the same
selectors and services, so the same access rules (docs/tracking.md), described in the OpenAPI schema.

A plan reads as ``selectors.plan_record``: what its reader may see of it and nothing more. Budgets are
written in major units as text ("12,500.50") with an ISO 4217 currency.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrcoop.core.api import validated
from hrcoop.core.errors import InvalidInput, NotFound
from hrcoop.reference.models import State
from hrcoop.tracking import clustering, selectors, services
from hrcoop.tracking.models import Action, ImplementationStatus, Institution, ProgressUpdate

# A path id that is not a number names no object: the router answers 404 before ``int(pk)`` runs.
ID_PATTERN = r"[0-9]+"

# --- what the API answers ----------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()


class UpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.IntegerField()
    reported_on = serializers.DateField()
    text = serializers.CharField()
    indicator = serializers.IntegerField(allow_null=True)
    indicator_value = serializers.CharField()
    links = serializers.ListField(child=serializers.CharField())
    documents = DocumentSerializer(many=True)
    review = serializers.ChoiceField(choices=ProgressUpdate.Review.choices)
    review_label = serializers.CharField()
    public = serializers.BooleanField()
    author = serializers.CharField(allow_null=True, help_text="Null for readers outside the State")


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    baseline = serializers.CharField()
    target = serializers.CharField()
    data_source = serializers.CharField(source="source", help_text="Where the figure comes from")
    sdg_indicator = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    institution = serializers.CharField()
    institution_id = serializers.IntegerField()
    starts_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    budget = serializers.CharField(allow_null=True)
    budget_minor_units = serializers.IntegerField(allow_null=True)
    budget_currency = serializers.CharField()
    status = serializers.ChoiceField(choices=Action.Status.choices)
    status_label = serializers.CharField()
    needs_support = serializers.BooleanField()
    assistance_request = serializers.CharField(allow_null=True)
    indicators = IndicatorSerializer(many=True)
    updates = UpdateSerializer(many=True)


class TrackedSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    source_id = serializers.CharField()
    text = serializers.CharField()
    response = serializers.CharField()
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    status_label = serializers.CharField()
    status_set_at = serializers.DateTimeField(allow_null=True)
    status_set_by = serializers.CharField(allow_null=True)


class ClusterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead_institution = serializers.CharField(allow_null=True)
    lead_institution_id = serializers.IntegerField(allow_null=True)
    supporting_institutions = serializers.ListField(child=serializers.CharField())
    recommendations = TrackedSerializer(many=True)
    actions = ActionSerializer(many=True)


class PlanSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField(source="state.name")
    state_iso3 = serializers.CharField(source="state.iso3")
    published_at = serializers.DateTimeField(allow_null=True)


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    state_iso3 = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    coordinator = serializers.BooleanField(help_text="True when the reader coordinates this plan")
    clusters = ClusterSerializer(many=True)
    unclustered = TrackedSerializer(many=True)


class SuggestionSerializer(serializers.Serializer):
    title = serializers.CharField()
    recommendations = serializers.ListField(child=serializers.CharField())


class InstitutionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(source="state.iso3")

    class Meta:
        model = Institution
        fields = ["id", "state", "name", "kind", "contact_name", "contact_email", "contact_phone", "language"]


# --- what the API accepts ----------------------------------------------------------------------------


class PlanInputSerializer(serializers.Serializer):
    state = serializers.CharField(max_length=3, help_text="ISO 3166 alpha-3 of the State")
    title = serializers.CharField(max_length=300)
    recommendations = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ClustersInputSerializer(serializers.Serializer):
    clusters = SuggestionSerializer(many=True)


class PublishInputSerializer(serializers.Serializer):
    published = serializers.BooleanField(default=True)


class InstitutionInputSerializer(serializers.Serializer):
    state = serializers.CharField(max_length=3)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Institution.Kind.choices)
    contact_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, default="en")


class ProgressUpdateInputSerializer(serializers.Serializer):
    action = serializers.IntegerField()
    reported_on = serializers.DateField()
    text = serializers.CharField()
    links = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    documents = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReviewInputSerializer(serializers.Serializer):
    validated = serializers.BooleanField(help_text="True validates the update, false returns it")
    public = serializers.BooleanField(default=False)


def _state(code: str) -> State:
    state = State.objects.filter(iso3=code.upper()).first()
    if state is None:
        raise InvalidInput(f"no State has the code {code!r}", where="state")
    return state


class PlanViewSet(viewsets.GenericViewSet):
    """Implementation plans: published ones for everyone, the rest for the State and its institutions."""

    lookup_value_regex = ID_PATTERN

    serializer_class = PlanSummarySerializer

    def get_queryset(self) -> Any:
        return selectors.plans_visible_to(self.request.user)

    def _record(self, plan_id: int) -> dict[str, Any]:
        return PlanSerializer(
            selectors.plan_record(selectors.plan_for(self.request.user, plan_id), self.request.user)
        ).data

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PlanSummarySerializer(page, many=True).data)

    @extend_schema(responses=PlanSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self._record(int(pk)))

    @extend_schema(request=PlanInputSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        data = validated(PlanInputSerializer, request.data)
        plan = services.create_plan(actor=request.user, state=_state(data["state"]), title=data["title"])
        if data["recommendations"]:
            services.add_recommendations(plan, actor=request.user, public_ids=data["recommendations"])
        return Response(self._record(plan.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses=SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def suggestions(self, request: Request, pk: str) -> Response:
        """Suggested clusters of the plan's unclustered recommendations (its State's focal point only)."""
        plan = selectors.plan_for(request.user, int(pk))
        services.require_coordinator(request.user, plan)
        suggested = clustering.suggest(selectors.unclustered_recommendations(plan))
        return Response(
            [
                {"title": s.title, "recommendations": [r.public_id for r in s.recommendations]}
                for s in suggested
            ]
        )

    @extend_schema(request=ClustersInputSerializer, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    def clusters(self, request: Request, pk: str) -> Response:
        """Accept clusters (as suggested, or edited): each recommendation sits in one of them."""
        plan = selectors.plan_for(request.user, int(pk))
        data = validated(ClustersInputSerializer, request.data)
        services.accept_suggestions(
            plan,
            actor=request.user,
            suggestions=[
                services.SuggestedCluster(c["title"], tuple(c["recommendations"])) for c in data["clusters"]
            ],
        )
        return Response(self._record(plan.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PublishInputSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        plan = selectors.plan_for(request.user, int(pk))
        data = validated(PublishInputSerializer, request.data)
        services.publish_plan(plan, actor=request.user, published=data["published"])
        return Response(self._record(plan.pk))


class ProgressUpdateViewSet(viewsets.GenericViewSet):
    """Progress on actions: the institution posts, the focal point validates and chooses what is public."""

    lookup_value_regex = ID_PATTERN

    serializer_class = UpdateSerializer
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self) -> Any:
        return selectors.updates_visible_to(self.request.user).order_by("pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            UpdateSerializer([selectors.update_record(u, request.user) for u in page or []], many=True).data
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        update = selectors.update_for(request.user, int(pk))
        return Response(UpdateSerializer(selectors.update_record(update, request.user)).data)

    @extend_schema(request=ProgressUpdateInputSerializer, responses={201: UpdateSerializer})
    def create(self, request: Request) -> Response:
        data = validated(ProgressUpdateInputSerializer, request.data)
        if "documents" in request.FILES:
            data["documents"] = request.FILES.getlist("documents")
        update = services.post_progress(
            selectors.action_for(request.user, data["action"]),
            actor=request.user,
            reported_on=data["reported_on"],
            text=data["text"],
            links=data["links"],
            documents=data["documents"],
        )
        return Response(
            UpdateSerializer(selectors.update_record(update, request.user)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReviewInputSerializer, responses=UpdateSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        data = validated(ReviewInputSerializer, request.data)
        update = services.review_progress(
            selectors.update_for(request.user, int(pk)),
            actor=request.user,
            validate=data["validated"],
            public=data["public"],
        )
        return Response(UpdateSerializer(selectors.update_record(update, request.user)).data)


class InstitutionViewSet(viewsets.GenericViewSet):
    """A State's institutions with their contacts: for its focal point, and for each member its own."""

    lookup_value_regex = ID_PATTERN

    serializer_class = InstitutionSerializer

    def get_queryset(self) -> Any:
        return selectors.institutions_visible_to(self.request.user).order_by("pk")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InstitutionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        institution = self.get_queryset().filter(pk=int(pk)).first()
        if institution is None:
            raise NotFound(f"no institution {pk} that you may see")
        return Response(InstitutionSerializer(institution).data)

    @extend_schema(request=InstitutionInputSerializer, responses={201: InstitutionSerializer})
    def create(self, request: Request) -> Response:
        data = validated(InstitutionInputSerializer, request.data)
        institution = services.create_institution(actor=request.user, state=_state(data.pop("state")), **data)
        return Response(InstitutionSerializer(institution).data, status=status.HTTP_201_CREATED)
