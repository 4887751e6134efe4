"""The public REST API of the registry: search with every facet as a filter, records, facet counts and
the label vocabularies (all read-only; the registry is open data). States and the other reference
lists are ``reference.api``'s.

Lists of recommendations are paged by an opaque, signed ``cursor`` that carries the sort key of the
row before (or after) the page, so that page N costs what page 1 costs (``SearchResult.seek``; in
relevance order the key is the row's score and id), capped at ``CursorPagination.max_page_size`` rows.
Responses carry ``ETag`` and ``Last-Modified`` derived from the registry's last change, and answer
``304`` to a matching conditional request (``core.api.ConditionalMixin``).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrcoop.core.api import (
    ConditionalMixin,
    CursorPagination,
    cursor_url,
    decode_cursor,
    encode_cursor,
    kind_field,
    names_field,
    page_size,
)
from hrcoop.core.errors import InvalidInput, NotFound
from hrcoop.recommendations.models import Classification, Label, LabelKind, Recommendation
from hrcoop.recommendations.registry_version import REFERENCE, REGISTRY_DATA
from hrcoop.recommendations.search.facets import FACETS
from hrcoop.recommendations.search.selectors import (
    MODES,
    SORTS,
    SearchParams,
    SearchResult,
    cursor_positions,
    search,
    seek_position,
    similar_to,
)
from hrcoop.recommendations.selectors import (
    HISTORY_KINDS,
    recommendation_detail,
    record_history,
    records_in_order,
)
from hrcoop.reference.api import StateRefSerializer

# --- serializers -----------------------------------------------------------------------------------


# The serializers of a record write their output by hand (``to_representation``) and keep their
# declared fields for the schema: DRF's field-by-field path took 3.4 ms for a page of 20 records, a
# quarter of a search request (tests/search/test_api_serializers.py holds the two to the same output).


class ClassificationSerializer(serializers.ModelSerializer[Classification]):
    kind = kind_field(LabelKind)
    code = serializers.CharField(source="label.code")
    name = serializers.CharField(source="label.name")
    names = names_field("label.names")
    source = serializers.CharField()  # type: ignore[assignment]  # the model property, not Field.source

    class Meta:
        model = Classification
        fields = ["kind", "code", "name", "names", "provenance", "source", "confidence"]

    def to_representation(self, instance: Classification) -> dict[str, Any]:
        return {
            "kind": instance.kind,
            "code": instance.label.code,
            "name": instance.label.name,
            "names": instance.label.names,
            "provenance": instance.provenance,
            "source": instance.source,
            "confidence": instance.confidence,
        }


_ID_PLACEHOLDER = "~id~"


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    url = serializers.SerializerMethodField(help_text="The public page of the record")
    mechanism = serializers.CharField(source="mechanism_id")
    cycle = serializers.IntegerField(source="cycle_id", allow_null=True)
    session = serializers.IntegerField(source="session_id", allow_null=True)
    state_under_review = StateRefSerializer()
    recommending_states = StateRefSerializer(many=True)
    classifications = serializers.SerializerMethodField(help_text="Accepted classifications with provenance")

    class Meta:
        model = Recommendation
        fields = [
            "public_id", "url", "source_id", "mechanism", "document_symbol", "paragraph", "cycle", "session",
            "date", "state_under_review", "recommending_states", "text", "language", "response",
            "response_source", "classifications", "updated_at",
        ]  # fmt: skip

    def to_representation(self, instance: Recommendation) -> dict[str, Any]:
        state = self._state_ref.to_representation
        return {
            "public_id": instance.public_id,
            "url": self.get_url(instance),
            "source_id": instance.source_id,
            "mechanism": instance.mechanism_id,
            "document_symbol": instance.document_symbol,
            "paragraph": instance.paragraph,
            "cycle": instance.cycle_id,
            "session": instance.session_id,
            "date": instance.date.isoformat() if instance.date else None,
            "state_under_review": state(instance.state_under_review),
            "recommending_states": [state(s) for s in instance.recommending_states.all()],
            "text": instance.text,
            "language": instance.language,
            "response": instance.response,
            "response_source": instance.response_source,
            "classifications": self.get_classifications(instance),
            "updated_at": self._datetime.to_representation(instance.updated_at),
        }

    @cached_property
    def _state_ref(self) -> StateRefSerializer:
        return StateRefSerializer()

    @cached_property
    def _datetime(self) -> serializers.DateTimeField:
        """DRF's own rendering of a time (ISO 8601, in the current time zone, "Z" for UTC)."""
        return serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Recommendation) -> str:
        before, after = self._url_around_id
        return before + obj.public_id + after

    @cached_property
    def _url_around_id(self) -> tuple[str, str]:
        """The address of a record page before and after its id: one ``reverse`` per page, not one per
        record (each cost 70 microseconds, most of a record's serialisation)."""
        path = reverse("recommendations:detail", args=[_ID_PLACEHOLDER])
        request = self.context.get("request")
        before, _, after = (request.build_absolute_uri(path) if request else path).rpartition(_ID_PLACEHOLDER)
        return before, after

    @extend_schema_field(ClassificationSerializer(many=True))
    def get_classifications(self, obj: Recommendation) -> list[dict[str, Any]]:
        return [self._classification.to_representation(c) for c in obj.accepted_classifications]

    @cached_property
    def _classification(self) -> ClassificationSerializer:
        """One serializer for every label of every record of a page: building one costs ~0.5 ms."""
        return ClassificationSerializer()


class HistoryEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=HISTORY_KINDS)
    file = serializers.CharField(help_text="The file imported, or the one that brought the response")
    corrected_fields = serializers.ListField(
        source="fields", child=serializers.CharField(), help_text="The fields the secretariat corrected"
    )
    response_from = serializers.CharField(
        allow_null=True, help_text="A response recorded or corrected: before"
    )
    response_to = serializers.CharField(allow_null=True, help_text="... and after")


class RecommendationDetailSerializer(RecommendationSerializer):
    """A record with its public history: when it was imported, answered and corrected."""

    history = serializers.SerializerMethodField()

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "history"]

    def to_representation(self, instance: Recommendation) -> dict[str, Any]:
        return {**super().to_representation(instance), "history": self.get_history(instance)}

    @extend_schema_field(HistoryEntrySerializer(many=True))
    def get_history(self, obj: Recommendation) -> list[dict[str, Any]]:
        return list(HistoryEntrySerializer(record_history(obj), many=True).data)


class SimilarSerializer(serializers.Serializer[Any]):
    similarity = serializers.FloatField()
    recommendation = RecommendationSerializer()


class LabelSerializer(serializers.ModelSerializer[Label]):
    kind = kind_field(LabelKind)
    names = names_field()

    class Meta:
        model = Label
        fields = ["kind", "code", "name", "names"]


FacetCountsSerializer = inline_serializer(
    "FacetCounts",
    {
        "count": serializers.IntegerField(),
        "facets": serializers.DictField(
            child=serializers.ListField(
                child=inline_serializer(
                    "FacetValue",
                    {
                        "value": serializers.CharField(),
                        "label": serializers.CharField(),
                        "count": serializers.IntegerField(),
                        "selected": serializers.BooleanField(),
                    },
                )
            )
        ),
    },
)

SearchPageSerializer = inline_serializer(
    "RecommendationPage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": RecommendationSerializer(many=True),
    },
)

# --- parameters ------------------------------------------------------------------------------------

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description='Query: words, "phrases", AND/OR/NOT, -word, prefix*, ( )'),
    OpenApiParameter("sort", str, enum=list(SORTS), description="relevance (default with a query) or date"),
    OpenApiParameter("mode", str, enum=list(MODES), description="text (default) or semantic (by meaning)"),
    *[
        OpenApiParameter(
            facet.key,
            str,
            description=f"{facet.label}: one or more values (repeat or comma-separate); values are OR-ed",
            many=True,
            explode=True,
        )
        for facet in FACETS
    ],
]
PAGE_PARAMETERS = [
    OpenApiParameter("cursor", str, description="The position given in next/previous"),
    OpenApiParameter(
        "page_size", int, description=f"Rows per page, at most {CursorPagination.max_page_size}"
    ),
]


# --- views -----------------------------------------------------------------------------------------


class RegistryView(ConditionalMixin, APIView):
    """A view of the registry: its answers are keyed by the records' and the reference rows' versions."""

    data_versions = REGISTRY_DATA


class RecommendationList(RegistryView):
    """Search recommendations: the query language plus every facet as a filter, paged by cursor."""

    @extend_schema(
        operation_id="recommendations_search",
        parameters=SEARCH_PARAMETERS + PAGE_PARAMETERS,
        responses=SearchPageSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchParams.from_query_dict(request.query_params)
        size, result = page_size(request), search(params)
        position = decode_cursor(request.query_params["cursor"]) if request.query_params.get("cursor") else {}
        if result.semantic:
            records, previous, following = _semantic_page(result, position, size)
        else:
            records, previous, following = _seek_page(result, position, size)
        return Response(
            {
                "count": result.count,
                "next": cursor_url(request, encode_cursor(following)) if following else None,
                "previous": cursor_url(request, encode_cursor(previous)) if previous else None,
                "results": RecommendationSerializer(records, many=True, context={"request": request}).data,
            }
        )


Position = dict[str, Any]


def _seek_page(
    result: SearchResult, position: Position, size: int
) -> tuple[list[Recommendation], Position | None, Position | None]:
    """The page after (or before) the key a cursor carries, and the positions of the pages around it."""
    after, backward = seek_position(result, position)
    page = result.seek(limit=size, after=after, backward=backward)
    if not page.ids:
        return [], None, None
    previous, following = cursor_positions(result, page)
    has_previous = page.more if backward else bool(position)
    has_next = True if backward else page.more
    records = records_in_order(page.ids, rows=result.reference)
    return records, previous if has_previous else None, following if has_next else None


def _semantic_page(
    result: SearchResult, position: Position, size: int
) -> tuple[list[Recommendation], Position | None, Position | None]:
    """A semantic search ranks at most ``SEMANTIC_LIMIT`` records: paged by position ("p") in them."""
    offset = position.get("p", 0) if position else 0
    if not isinstance(offset, int) or offset < 0 or (position and "p" not in position):
        raise InvalidInput(
            "The cursor belongs to another kind of search; follow next/previous links.", where="cursor"
        )
    records = result.page(limit=size, offset=offset)
    previous = {"p": max(offset - size, 0)} if offset > 0 else None
    following = {"p": offset + size} if offset + size < result.count else None
    return records, previous, following


def _record(public_id: str) -> Recommendation:
    """The record of a public id; anything that cannot be an id is simply not found."""
    if not public_id.isascii() or not public_id.replace("-", "").isalnum():
        raise NotFound(f"No recommendation has the id {public_id[:40]!r}.", where="public_id")
    return recommendation_detail(public_id)


class RecommendationDetail(RegistryView):
    """A recommendation with its public history: when it was imported, answered and corrected."""

    @extend_schema(operation_id="recommendations_detail", responses=RecommendationDetailSerializer)
    def get(self, request: Request, public_id: str) -> Response:
        record = _record(public_id)
        return Response(RecommendationDetailSerializer(record, context={"request": request}).data)


class SimilarRecommendations(RegistryView):
    """The recommendations closest in meaning, in any language (multilingual sentence embeddings)."""

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="How many, 1 to 50 (default 10)")],
        responses=SimilarSerializer(many=True),
    )
    def get(self, request: Request, public_id: str) -> Response:
        raw = request.query_params.get("limit", "10")
        if not raw.isdigit() or not 1 <= int(raw) <= 50:
            raise InvalidInput("limit must be a whole number from 1 to 50.", where="limit")
        record = _record(public_id)
        hits = similar_to(record, limit=int(raw))
        data = [{"similarity": round(score, 4), "recommendation": r} for r, score in hits]
        return Response(SimilarSerializer(data, many=True, context={"request": request}).data)


class FacetCounts(RegistryView):
    """How many results each facet value gives with the current query and filters: for a facet with a
    choice, over the results of the other facets' choices, so that its other values count what they
    would add."""

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=FacetCountsSerializer)
    def get(self, request: Request) -> Response:
        result = search(SearchParams.from_query_dict(request.query_params))
        facets = {
            key: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values
            ]
            for key, _, values in result.facets()
        }
        return Response({"count": result.count, "facets": facets})


class LabelList(ConditionalMixin, generics.ListAPIView[Label]):
    """Classification vocabularies: issues, themes, affected persons, SDG goals and targets, categories."""

    serializer_class = LabelSerializer
    data_versions = (REFERENCE,)
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("kind", str, enum=[k.value for k in LabelKind])])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        kind = self.request.query_params.get("kind")
        queryset = Label.objects.order_by("kind", "code")
        if kind:
            if kind not in LabelKind.values:
                raise InvalidInput(f"kind must be one of {', '.join(LabelKind.values)}.", where="kind")
            queryset = queryset.filter(kind=kind)
        return queryset
