"""The public REST API of the registry: search with every facet as a filter, records, facet counts,
States and the reference lists (all read-only; the registry is open data).

Lists of recommendations are paged by an opaque ``cursor`` (relevance order has no key to page on,
so the cursor carries a position; it is only ever produced by the API itself), capped at
``CursorPagination.max_page_size`` rows. Responses carry ``ETag`` and ``Last-Modified`` derived from
the registry's last change, and answer ``304`` to a matching conditional request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrcoop.core.api import CursorPagination
from hrcoop.core.errors import InvalidInput, NotFound
from hrcoop.core.versions import versions_key
from hrcoop.recommendations.models import Classification, Label, LabelKind, Recommendation
from hrcoop.recommendations.registry_version import REFERENCE, REGISTRY_DATA
from hrcoop.recommendations.search.facets import FACETS
from hrcoop.recommendations.search.selectors import MODES, SORTS, SearchParams, search, similar_to
from hrcoop.recommendations.selectors import HISTORY_KINDS, recommendation_detail, record_history
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State, UprCycle, UprSession

MAX_PAGE_SIZE = CursorPagination.max_page_size
DEFAULT_PAGE_SIZE = CursorPagination.page_size


# --- serializers -----------------------------------------------------------------------------------


# The serializers of a record write their output by hand (``to_representation``) and keep their
# declared fields for the schema: DRF's field-by-field path took 3.4 ms for a page of 20 records, a
# quarter of a search request (tests/search/test_api_serializers.py holds the two to the same output).


def _names_field(source: str | None = None) -> serializers.DictField:
    help_text = 'The name in the other UN languages, by language code ("ar", "es", "fr", "ru", "zh-hans")'
    if source is None:  # DRF refuses a source that repeats the field's name
        return serializers.DictField(child=serializers.CharField(), read_only=True, help_text=help_text)
    return serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=help_text, source=source
    )


class StateRefSerializer(serializers.ModelSerializer[State]):
    names = _names_field()

    class Meta:
        model = State
        fields = ["iso3", "name", "names"]

    def to_representation(self, instance: State) -> dict[str, Any]:
        return {"iso3": instance.iso3, "name": instance.name, "names": instance.names}


def _kind_field(choices: Any) -> serializers.CharField:
    """A plain string naming its values: several vocabularies are called "kind" in the schema."""
    return serializers.CharField(help_text="One of: " + ", ".join(choices.values))


class ClassificationSerializer(serializers.ModelSerializer[Classification]):
    kind = _kind_field(LabelKind)
    code = serializers.CharField(source="label.code")
    name = serializers.CharField(source="label.name")
    names = _names_field("label.names")
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


class StateSerializer(serializers.ModelSerializer[State]):
    regional_group = serializers.CharField(source="regional_group_id", allow_null=True)
    organisations: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    names = _names_field()

    class Meta:
        model = State
        fields = [
            "iso3",
            "iso2",
            "m49",
            "name",
            "names",
            "status",
            "regional_group",
            "organisations",
            "ldc",
            "lldc",
            "sids",
        ]


class RegionalGroupSerializer(serializers.ModelSerializer[RegionalGroup]):
    names = _names_field()

    class Meta:
        model = RegionalGroup
        fields = ["code", "name", "names"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    members: serializers.SlugRelatedField[State] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="iso3"
    )
    names = _names_field()

    class Meta:
        model = Organisation
        fields = ["code", "name", "names", "members"]


class MechanismSerializer(serializers.ModelSerializer[Mechanism]):
    kind = _kind_field(Mechanism.Kind)
    names = _names_field()

    class Meta:
        model = Mechanism
        fields = ["code", "kind", "name", "names"]


class CycleSerializer(serializers.ModelSerializer[UprCycle]):
    class Meta:
        model = UprCycle
        fields = ["number", "first_session", "last_session"]


class SessionSerializer(serializers.ModelSerializer[UprSession]):
    cycle = serializers.IntegerField(source="cycle_id")

    class Meta:
        model = UprSession
        fields = ["number", "cycle", "year"]


class LabelSerializer(serializers.ModelSerializer[Label]):
    kind = _kind_field(LabelKind)
    names = _names_field()

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
    OpenApiParameter("page_size", int, description=f"Rows per page, at most {MAX_PAGE_SIZE}"),
]


# --- conditional requests ---------------------------------------------------------------------------


def version_token(*names: str) -> tuple[str, float | None]:
    """(a token that changes with any change to the data versions ``names``, their last change as a
    timestamp).

    The token is empty while that data has never been written through its services: nothing is then
    cached, since nothing would tell a cached answer from a new one.
    """
    token, changed_at = versions_key(*names)
    return token, changed_at.timestamp() if token and changed_at else None


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous requests only: the browsable API shows who is signed in."""
    return not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META


class ConditionalMixin:
    """ETag / Last-Modified on every GET, and a cache of public JSON answers, keyed by a data version.

    ``data_versions`` names the counters (``core.versions``) that the changes to what the view shows
    raise: the registry's records and reference rows by default, the reference rows alone for the
    reference lists (a record corrected leaves their cached answers in place). What a GET answers
    depends only on that data, the URL and the format asked for (the API is outside the language
    prefixes: it answers in English), so a cached answer is never stale, as a change makes new keys
    and the old entries age out. A popular search then costs one look-up of the versions (one
    statement) and one of the cache. The cache is Django's ``default`` (per
    process unless ``CACHES`` says otherwise); ``HRCOOP_API_CACHE_SECONDS=0`` turns it off.
    """

    data_versions: tuple[str, ...] = REGISTRY_DATA

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            return self._answer(request, *args, **kwargs)
        token, last = version_token(*self.data_versions)
        url = request.build_absolute_uri()
        digest = hashlib.sha256(f"{token}|{url}|{request.META.get('HTTP_ACCEPT', '')}".encode()).hexdigest()
        key = f"api:{digest}" if token and settings.HRCOOP_API_CACHE_SECONDS and _cacheable(request) else ""
        cached = cache.get(key) if key else None
        if cached is not None:
            response = HttpResponse(cached[0], content_type=cached[1])
        else:
            response = self._answer(request, *args, **kwargs)
            renderer = getattr(response, "accepted_renderer", None)
            if key and response.status_code == 200 and getattr(renderer, "format", None) == "json":
                cache.set(
                    key, (response.content, response["Content-Type"]), settings.HRCOOP_API_CACHE_SECONDS
                )
        if response.status_code != 200:
            return response
        etag = f'"{digest[:32]}"'
        response["ETag"] = etag
        if last is not None:
            response["Last-Modified"] = http_date(last)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(last) if last else None, response=response
        )
        return conditional if isinstance(conditional, HttpResponse) else response

    def _answer(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The view's own answer, rendered (DRF renders lazily; the cache needs the bytes)."""
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        return response


# --- views -----------------------------------------------------------------------------------------


def _page_size(request: Request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}.", where="page_size")
    return min(int(raw), MAX_PAGE_SIZE)


def _offset(request: Request) -> int:
    raw = request.query_params.get("cursor")
    if not raw:
        return 0
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)))
        offset = int(decoded["o"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise InvalidInput(
            "The cursor is not one this API gave; follow next/previous links.", where="cursor"
        ) from exc
    if offset < 0:
        raise InvalidInput("The cursor is not one this API gave; follow next/previous links.", where="cursor")
    return offset


def _cursor_url(request: Request, offset: int) -> str:
    params = [(k, v) for k, values in request.query_params.lists() if k != "cursor" for v in values]
    cursor = base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")
    return request.build_absolute_uri(request.path + "?" + urlencode([*params, ("cursor", cursor)]))


class RecommendationList(ConditionalMixin, APIView):
    """Search recommendations: the query language plus every facet as a filter, paged by cursor."""

    @extend_schema(
        operation_id="recommendations_search",
        parameters=SEARCH_PARAMETERS + PAGE_PARAMETERS,
        responses=SearchPageSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchParams.from_query_dict(request.query_params)
        size, offset = _page_size(request), _offset(request)
        result = search(params)
        records = result.page(limit=size, offset=offset)
        total = result.count
        return Response(
            {
                "count": total,
                "next": _cursor_url(request, offset + size) if offset + size < total else None,
                "previous": _cursor_url(request, max(offset - size, 0)) if offset > 0 else None,
                "results": RecommendationSerializer(records, many=True, context={"request": request}).data,
            }
        )


def _record(public_id: str) -> Recommendation:
    """The record of a public id; anything that cannot be an id is simply not found."""
    if not public_id.isascii() or not public_id.replace("-", "").isalnum():
        raise NotFound(f"No recommendation has the id {public_id[:40]!r}.", where="public_id")
    return recommendation_detail(public_id)


class RecommendationDetail(ConditionalMixin, APIView):
    @extend_schema(operation_id="recommendations_detail", responses=RecommendationDetailSerializer)
    def get(self, request: Request, public_id: str) -> Response:
        record = _record(public_id)
        return Response(RecommendationDetailSerializer(record, context={"request": request}).data)


class SimilarRecommendations(ConditionalMixin, APIView):
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


class FacetCounts(ConditionalMixin, APIView):
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


class StateList(ConditionalMixin, generics.ListAPIView[State]):
    """States with their regional group and organisation memberships."""

    serializer_class = StateSerializer
    data_versions = (REFERENCE,)
    pagination_class = type("StatePagination", (CursorPagination,), {"ordering": "iso3"})
    queryset = State.objects.prefetch_related("organisations")


class StateDetail(ConditionalMixin, generics.RetrieveAPIView[State]):
    serializer_class = StateSerializer
    data_versions = (REFERENCE,)
    queryset = State.objects.prefetch_related("organisations")
    lookup_field = "iso3"

    def get_object(self) -> State:
        iso3 = str(self.kwargs["iso3"]).upper()
        if not (iso3.isascii() and iso3.isalpha()):
            raise NotFound(f"No State has the code {iso3[:10]!r}; use ISO 3166 alpha-3.", where="iso3")
        return get_object_or_404(self.get_queryset(), iso3=iso3)


def _reference_list(model_serializer: type[serializers.ModelSerializer[Any]], queryset: Any, doc: str) -> Any:
    """A small reference list, returned whole (each has at most a few hundred rows)."""
    return type(
        f"{model_serializer.Meta.model.__name__}List",
        (ConditionalMixin, generics.ListAPIView),
        {
            "serializer_class": model_serializer,
            "data_versions": (REFERENCE,),
            "queryset": queryset,
            "pagination_class": None,
            "__doc__": doc,
        },
    )


RegionalGroupList = _reference_list(
    RegionalGroupSerializer, RegionalGroup.objects.order_by("code"), "UN regional groups"
)
OrganisationList = _reference_list(
    OrganisationSerializer, Organisation.objects.prefetch_related("members").order_by("code"), "Organisations"
)
MechanismList = _reference_list(MechanismSerializer, Mechanism.objects.order_by("code"), "Mechanisms")
CycleList = _reference_list(CycleSerializer, UprCycle.objects.order_by("number"), "UPR cycles")
SessionList = _reference_list(SessionSerializer, UprSession.objects.order_by("number"), "UPR sessions")


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
