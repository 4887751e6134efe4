"""The public API of the reference data: States and the lists that name what records carry (regional
groups, organisations, mechanisms, UPR cycles and sessions). Read-only open data.

Answers carry ``ETag`` and ``Last-Modified`` from the reference data's own version (``REFERENCE``,
raised by every ``reference_changed`` and ``memberships_changed``), so an import of records leaves
their cached answers valid.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers

from hrcoop.core.api import ConditionalMixin, CursorPagination, kind_field, names_field
from hrcoop.core.errors import NotFound
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State, UprCycle, UprSession
from hrcoop.reference.versions import REFERENCE


# A State where a record names it: its code and names (written by hand for speed, as the records' are).
class StateRefSerializer(serializers.ModelSerializer[State]):
    names = names_field()

    class Meta:
        model = State
        fields = ["iso3", "name", "names"]

    def to_representation(self, instance: State) -> dict[str, Any]:
        return {"iso3": instance.iso3, "name": instance.name, "names": instance.names}


class StateSerializer(serializers.ModelSerializer[State]):
    regional_group = serializers.CharField(source="regional_group_id", allow_null=True)
    organisations: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    names = names_field()

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
    names = names_field()

    class Meta:
        model = RegionalGroup
        fields = ["code", "name", "names"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    members: serializers.SlugRelatedField[State] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="iso3"
    )
    names = names_field()

    class Meta:
        model = Organisation
        fields = ["code", "name", "names", "members"]


class MechanismSerializer(serializers.ModelSerializer[Mechanism]):
    kind = kind_field(Mechanism.Kind)
    names = names_field()

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


class StatePagination(CursorPagination):
    ordering = "iso3"


class StateList(ConditionalMixin, generics.ListAPIView[State]):
    """States with their regional group and organisation memberships."""

    data_versions = (REFERENCE,)
    serializer_class = StateSerializer
    pagination_class = StatePagination
    queryset = State.objects.prefetch_related("organisations")


class StateDetail(ConditionalMixin, generics.RetrieveAPIView[State]):
    """A State with its regional group and organisation memberships."""

    data_versions = (REFERENCE,)
    serializer_class = StateSerializer
    queryset = State.objects.prefetch_related("organisations")
    lookup_field = "iso3"

    def get_object(self) -> State:
        iso3 = str(self.kwargs["iso3"]).upper()
        if not (iso3.isascii() and iso3.isalpha()):
            raise NotFound(f"No State has the code {iso3[:10]!r}; use ISO 3166 alpha-3.", where="iso3")
        return get_object_or_404(self.get_queryset(), iso3=iso3)


class ReferenceList(ConditionalMixin, generics.ListAPIView[Any]):
    """A small reference list, returned whole (each has at most a few hundred rows)."""

    data_versions = (REFERENCE,)
    pagination_class = None


class RegionalGroupList(ReferenceList):
    """UN regional groups"""

    serializer_class = RegionalGroupSerializer
    queryset = RegionalGroup.objects.order_by("code")


class OrganisationList(ReferenceList):
    """Organisations"""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.prefetch_related("members").order_by("code")


class MechanismList(ReferenceList):
    """Mechanisms"""

    serializer_class = MechanismSerializer
    queryset = Mechanism.objects.order_by("code")


class CycleList(ReferenceList):
    """UPR cycles"""

    serializer_class = CycleSerializer
    queryset = UprCycle.objects.order_by("number")


class SessionList(ReferenceList):
    """UPR sessions"""

    serializer_class = SessionSerializer
    queryset = UprSession.objects.order_by("number")
