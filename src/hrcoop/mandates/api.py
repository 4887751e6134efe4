"""Read-only API: resolutions with their paragraphs and citations, and the mandates resource (the tracker)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hrcoop.core.api import CursorPagination
from hrcoop.core.errors import InvalidInput
from hrcoop.mandates.models import Citation, Mandate, Paragraph, Resolution
from hrcoop.mandates.selectors import mandates_tracker, recalled_by, recalls
from hrcoop.mandates.services import fulfil_mandate


class ParagraphSerializer(serializers.ModelSerializer[Paragraph]):
    class Meta:
        model = Paragraph
        fields = [
            "anchor",
            "sequence",
            "kind",
            "position",
            "number",
            "phrase",
            "text",
            "subparagraphs",
            "addressees",
        ]


class CitationSerializer(serializers.ModelSerializer[Citation]):
    paragraph = serializers.CharField(source="paragraph.anchor")
    target = serializers.IntegerField(source="target_id", allow_null=True, read_only=True)
    resolution = serializers.IntegerField(source="resolution_id", read_only=True)

    class Meta:
        model = Citation
        fields = [
            "resolution",
            "paragraph",
            "location",
            "key",
            "kind",
            "body",
            "number",
            "text",
            "cited_date",
            "target",
        ]


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    class Meta:
        model = Resolution
        fields = [
            "id", "key", "cite_key", "symbol", "number", "kind", "body", "session", "title", "agenda_item",
            "document_date", "adopted_on", "adoption", "sponsors", "footnotes",
        ]  # fmt: skip


class ResolutionDetailSerializer(ResolutionSerializer):
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta(ResolutionSerializer.Meta):
        fields = [*ResolutionSerializer.Meta.fields, "paragraphs", "warnings"]


class MandateSerializer(serializers.ModelSerializer[Mandate]):
    resolution = serializers.CharField(source="resolution.number")
    resolution_id = serializers.IntegerField()
    paragraph = serializers.CharField(source="paragraph.number")
    paragraph_text = serializers.CharField(source="paragraph.text")
    status = serializers.CharField()

    class Meta:
        model = Mandate
        fields = [
            "id", "resolution", "resolution_id", "paragraph", "paragraph_text", "kind", "addressee",
            "addressees",
            "due_body", "due_session", "due_start", "due_end", "recurrence", "renewal_years", "status",
            "fulfilled_by", "fulfilled_on",
        ]  # fmt: skip


class FulfilSerializer(serializers.Serializer[dict[str, Any]]):
    document_symbol = serializers.CharField(max_length=80, help_text="e.g. A/HRC/50/19")
    fulfilled_on = serializers.DateField(required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("session", OpenApiTypes.INT, description="Session number, e.g. 47"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["resolution", "draft", "decision"]),
        ]
    )
)
class ResolutionViewSet(viewsets.ReadOnlyModelViewSet[Resolution]):
    queryset = Resolution.objects.all()
    pagination_class = CursorPagination

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return ResolutionDetailSerializer if self.action == "retrieve" else ResolutionSerializer

    def get_queryset(self) -> QuerySet[Resolution]:
        if self.action == "retrieve":
            return Resolution.objects.prefetch_related("paragraphs")
        if self.action != "list":
            return Resolution.objects.all()
        params = self.request.query_params
        queryset = Resolution.objects.all()
        session = params.get("session", "")
        if session:
            if not session.isdigit():
                raise InvalidInput(f"session must be a session number, not {session!r}", where="session")
            queryset = queryset.filter(session=int(session))
        kind = params.get("kind", "")
        if kind:
            if kind not in Resolution.Kind.values:
                choices = ", ".join(Resolution.Kind.values)
                raise InvalidInput(f"unknown kind {kind!r}: use one of {choices}", where="kind")
            queryset = queryset.filter(kind=kind)
        return queryset

    @extend_schema(
        responses=inline_serializer(
            "ResolutionCitations",
            {"recalls": CitationSerializer(many=True), "recalled_by": CitationSerializer(many=True)},
        )
    )
    @action(detail=True)
    def citations(self, request: Request, pk: str | None = None) -> Response:
        """The texts this one cites (``recalls``) and the stored texts that cite it (``recalled_by``)."""
        resolution = self.get_object()
        return Response(
            {
                "recalls": CitationSerializer(recalls(resolution), many=True).data,
                "recalled_by": CitationSerializer(recalled_by(resolution), many=True).data,
            }
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "addressee", OpenApiTypes.STR, description="Addressee code, e.g. OHCHR, HC, STATES"
            ),
            OpenApiParameter(
                "due_session", OpenApiTypes.INT, description="Session number the mandate is due at"
            ),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "fulfilled", "overdue"]),
        ]
    )
)
class MandateViewSet(viewsets.ReadOnlyModelViewSet[Mandate]):
    """Every mandate with its paragraph text, addressee and due session."""

    serializer_class = MandateSerializer
    pagination_class = CursorPagination

    def get_queryset(self) -> QuerySet[Mandate]:
        if self.action != "list":
            return Mandate.objects.select_related("resolution", "paragraph")
        params = self.request.query_params
        session = params.get("due_session", "")
        if session and not session.isdigit():
            raise InvalidInput(f"due_session must be a session number, not {session!r}", where="due_session")
        return mandates_tracker(
            addressee=params.get("addressee", ""),
            due_session=int(session) if session else None,
            status=params.get("status", ""),
        )

    @extend_schema(request=FulfilSerializer, responses=MandateSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: str | None = None) -> Response:
        """Record the document that fulfils the mandate (secretariat only)."""
        body = FulfilSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mandate = fulfil_mandate(
            self.get_object(),
            document_symbol=body.validated_data["document_symbol"],
            fulfilled_on=body.validated_data.get("fulfilled_on"),
            actor=request.user,
        )
        return Response(
            MandateSerializer(
                Mandate.objects.select_related("resolution", "paragraph").get(pk=mandate.pk)
            ).data
        )

    def paginate_queryset(self, queryset: Any) -> Any:
        assert self.paginator is not None
        self.paginator.ordering = "id"  # type: ignore[attr-defined]
        return super().paginate_queryset(queryset)
