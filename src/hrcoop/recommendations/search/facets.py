"""The facets: what each one filters on and how its counts are read, one small object per facet.

Values within a facet combine with OR (two States: either), facets combine with AND. Counts are
taken over the current result set (text query and every selected facet), so every number shown is
the number of results a click gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from hrcoop.core.errors import InvalidInput
from hrcoop.recommendations.models import Classification, Label, LabelKind, Recommendation, Response
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State, UprCycle, UprSession

RecommendingStates = Recommendation.recommending_states.through

MAX_VALUES_PER_FACET = 50
SHOWN_VALUES = 12


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    key: str
    label: Any  # a lazy translation
    # Narrow a queryset of recommendations to those having any of the values.
    narrow: Callable[[QuerySet[Recommendation], list[str]], QuerySet[Recommendation]]
    # Counts over a set of recommendation ids: rows of (value, n).
    counting: Callable[[QuerySet[Any]], QuerySet[Any]]
    # value -> label, for the values that were counted.
    labels: Callable[[list[str]], dict[str, str]]
    integer: bool = False

    def clean(self, values: list[str]) -> list[str]:
        # Control characters cannot be part of any code (and PostgreSQL refuses NUL in text).
        values = ["".join(c for c in v if c.isprintable()).strip() for v in values]
        values = [v for v in values if v]
        if len(values) > MAX_VALUES_PER_FACET:
            raise InvalidInput(
                f"At most {MAX_VALUES_PER_FACET} values may be chosen in one facet.", where=self.key
            )
        if self.integer:
            for v in values:
                if not v.isdigit() or len(v) > 6:
                    raise InvalidInput(f"{v!r} is not a number; {self.key} takes numbers.", where=self.key)
        return values

    def counts(self, ids: QuerySet[Any], selected: list[str]) -> list[FacetValue]:
        rows = [(str(value), n) for value, n in self.counting(ids) if value is not None]
        rows.sort(key=lambda r: (-r[1], r[0]))
        names = self.labels([v for v, _ in rows])
        return [FacetValue(v, names.get(v, v), n, v in selected) for v, n in rows]


UNDER_REVIEW = "state_under_review__"


def _state_ids(path: str, values: list[str]) -> list[int]:
    """The ids of the States whose ``path`` (iso3, regional group, organisations) is one of ``values``.

    Facets on a State's properties filter by these ids as literals rather than through a join with
    the States: PostgreSQL then estimates from each State's statistics how many records match, and
    stops starting from the join (a regional group with a text query: about 53 ms against 25 ms).
    """
    return list(State.objects.filter(**{f"{path}__in": values}).values_list("pk", flat=True))


def _field(
    path: str, *, labels: Callable[[list[str]], dict[str, str]], integer: bool = False, key: str
) -> Any:
    def narrow(queryset: QuerySet[Recommendation], values: list[str]) -> QuerySet[Recommendation]:
        if path.startswith(UNDER_REVIEW):
            return queryset.filter(
                state_under_review_id__in=_state_ids(path.removeprefix(UNDER_REVIEW), values)
            )
        return queryset.filter(**{f"{path}__in": values})

    def counting(ids: QuerySet[Any]) -> QuerySet[Any]:
        return Recommendation.objects.filter(pk__in=ids).values_list(path).annotate(n=Count("pk")).order_by()

    return {"narrow": narrow, "counting": counting, "labels": labels, "integer": integer, "key": key}


def _recommending(path: str, *, labels: Callable[[list[str]], dict[str, str]], key: str) -> Any:
    """A facet read through the recommending States (a joint recommendation counts once)."""

    def narrow(queryset: QuerySet[Recommendation], values: list[str]) -> QuerySet[Recommendation]:
        ids = RecommendingStates.objects.filter(state_id__in=_state_ids(path, values)).values(
            "recommendation_id"
        )
        return queryset.filter(pk__in=ids)

    def counting(ids: QuerySet[Any]) -> QuerySet[Any]:
        return (
            RecommendingStates.objects.filter(recommendation_id__in=ids)
            .values_list(f"state__{path}")
            .annotate(n=Count("recommendation_id", distinct=True))
            .order_by()
        )

    return {"narrow": narrow, "counting": counting, "labels": labels, "key": key}


def _classification(kind: LabelKind) -> Any:
    def narrow(queryset: QuerySet[Recommendation], values: list[str]) -> QuerySet[Recommendation]:
        # The label ids as literals, not a join on the code: PostgreSQL then estimates from the
        # statistics of each label how many records carry it (through a join it guessed 200 for
        # 13,000 and read them all before the text match; 80-400 ms against 16-30 ms at 41k).
        label_ids = list(Label.objects.filter(kind=kind, code__in=values).values_list("pk", flat=True))
        ids = Classification.objects.filter(
            label_id__in=label_ids, status=Classification.Status.ACCEPTED
        ).values("recommendation_id")
        return queryset.filter(pk__in=ids)

    def counting(ids: QuerySet[Any]) -> QuerySet[Any]:
        return (
            Classification.objects.filter(
                recommendation_id__in=ids, kind=kind, status=Classification.Status.ACCEPTED
            )
            .values_list("label__code")
            .annotate(n=Count("recommendation_id", distinct=True))
            .order_by()
        )

    def labels(values: list[str]) -> dict[str, str]:
        return dict(Label.objects.filter(kind=kind, code__in=values).values_list("code", "name"))

    return {"narrow": narrow, "counting": counting, "labels": labels, "key": kind.value}


def _states(values: list[str]) -> dict[str, str]:
    return dict(State.objects.filter(iso3__in=values).values_list("iso3", "name"))


def _groups(values: list[str]) -> dict[str, str]:
    return dict(RegionalGroup.objects.filter(code__in=values).values_list("code", "name"))


def _organisations(values: list[str]) -> dict[str, str]:
    return dict(Organisation.objects.filter(code__in=values).values_list("code", "name"))


def _mechanisms(values: list[str]) -> dict[str, str]:
    return dict(Mechanism.objects.filter(code__in=values).values_list("code", "name"))


def _cycles(values: list[str]) -> dict[str, str]:
    return {
        str(c.number): str(_("Cycle %(n)s") % {"n": c.number})
        for c in UprCycle.objects.filter(number__in=values)
    }


def _sessions(values: list[str]) -> dict[str, str]:
    return {
        str(s.number): f"{s.number} ({s.year})"
        for s in UprSession.objects.filter(number__in=[int(v) for v in values])
    }


def _responses(values: list[str]) -> dict[str, str]:
    return {choice.value: str(choice.label) for choice in Response}


FACETS: list[Facet] = [
    Facet(label=_("State under review"), **_field("state_under_review__iso3", labels=_states, key="state")),
    Facet(label=_("Recommending State"), **_recommending("iso3", labels=_states, key="recommending_state")),
    Facet(
        label=_("Regional group under review"),
        **_field("state_under_review__regional_group", labels=_groups, key="under_review_group"),
    ),
    Facet(
        label=_("Regional group recommending"),
        **_recommending("regional_group", labels=_groups, key="recommending_group"),
    ),
    Facet(
        label=_("Organisation recommending"),
        **_recommending("organisations", labels=_organisations, key="recommending_organisation"),
    ),
    Facet(
        label=_("Organisation under review"),
        **_field("state_under_review__organisations", labels=_organisations, key="under_review_organisation"),
    ),
    Facet(label=_("Mechanism"), **_field("mechanism", labels=_mechanisms, key="mechanism")),
    Facet(label=_("Cycle"), **_field("cycle", labels=_cycles, integer=True, key="cycle")),
    Facet(label=_("Session"), **_field("session", labels=_sessions, integer=True, key="session")),
    Facet(label=_("Response"), **_field("response", labels=_responses, key="response")),
    Facet(label=_("Action category"), **_classification(LabelKind.ACTION_CATEGORY)),
    Facet(label=_("Issue"), **_classification(LabelKind.ISSUE)),
    Facet(label=_("Theme"), **_classification(LabelKind.THEME)),
    Facet(label=_("SDG goal"), **_classification(LabelKind.SDG_GOAL)),
    Facet(label=_("SDG target"), **_classification(LabelKind.SDG_TARGET)),
    Facet(label=_("Affected persons"), **_classification(LabelKind.AFFECTED_PERSONS)),
]
FACETS_BY_KEY = {f.key: f for f in FACETS}
