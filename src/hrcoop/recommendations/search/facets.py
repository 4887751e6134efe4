"""The facets: what each one filters on and how its counts are read, one small object per facet.

Values within a facet combine with OR (two States: either), facets combine with AND. Counts are
disjunctive (``SearchResult.facets``): a facet without a choice is counted over the current results,
a facet with one over the results of the text query and every *other* facet's choice, so that its
other values stay on offer with the number of results each would add.

Filtering goes through the full-text index, not through joins: each record's search document
carries one *facet token* per value it has (``record_tokens``), and a choice of values becomes an OR
of tokens (``Facet.tokens``). The engine then intersects posting lists, which stays fast at a million
records where joining the facet tables did not (a large facet pair took 0.85 s). The tokens are the
State under review and each recommending State with their regional groups and organisations,
mechanism, cycle, session, response and each accepted label. The counts are read back from the same
tokens (``values_counted``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrcoop.core.errors import InvalidInput
from hrcoop.core.formatting import session_name
from hrcoop.recommendations.models import Label, LabelKind, Response
from hrcoop.recommendations.reference_cache import ReferenceRows
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State, UprCycle, UprSession

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
    # The index tokens of the chosen values, any of which a record must carry ([] when none exists).
    tokens: Callable[[list[str], ReferenceRows], list[str]]
    # value -> label, for the values that were counted.
    labels: Callable[[list[str], ReferenceRows], dict[str, str]]
    integer: bool = False

    def clean(self, values: list[str]) -> list[str]:
        # Control characters cannot be part of any code (and PostgreSQL refuses NUL in text).
        values = ["".join(c for c in v if c.isprintable()).strip() for v in values]
        values = [v for v in values if v]
        if len(values) > MAX_VALUES_PER_FACET:
            raise InvalidInput(
                gettext("At most %(limit)d values may be chosen in one facet.")
                % {"limit": MAX_VALUES_PER_FACET},
                where=self.key,
            )
        if self.integer:
            for v in values:
                if not v.isdigit() or len(v) > 6:
                    raise InvalidInput(
                        # Translators: %(facet)s is the code of a filter, e.g. session: keep it as it is.
                        gettext("%(value)r is not a number; %(facet)s takes numbers.")
                        % {"value": v, "facet": self.key},
                        where=self.key,
                    )
        return values

    def counts(
        self, counted: Mapping[str, int], selected: list[str], rows: ReferenceRows
    ) -> list[FacetValue]:
        """The values with their counts (from ``values_counted``), most frequent first, then in the
        order of their names in the page's language (numbers in their order).

        A chosen value that nothing counted (none of its records is left, or no record carries it) is
        kept with 0, so that it stays ticked and can be unticked.
        """
        counted = {**dict.fromkeys(selected, 0), **counted}
        names = self.labels(list(counted), rows)

        def order(item: tuple[str, int]) -> tuple[int, int, str]:
            value, n = item
            return (-n, int(value) if self.integer else 0, _sort_key(names.get(value, value)))

        return [
            FacetValue(v, names.get(v, v), n, v in selected) for v, n in sorted(counted.items(), key=order)
        ]


def _sort_key(name: str) -> str:
    """A name folded for ordering in any script: accents set aside ("États" beside "Etats"), case folded.
    Not a full collation (no library here has one), but it keeps "Égypte" among the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# --- facet tokens ----------------------------------------------------------------------------------

MECHANISM, CYCLE, SESSION, RESPONSE, LABEL = "me", "cy", "se", "re", "la"


@dataclass(frozen=True)
class Side:
    """The token prefixes of one side of a recommendation: the State under review or those recommending."""

    state: str
    group: str
    organisation: str


UNDER_REVIEW = Side(state="su", group="ug", organisation="uo")
RECOMMENDING = Side(state="rs", group="rg", organisation="ro")

# The fields of a record that its facet tokens are made of (besides its States and labels).
TOKEN_FIELDS = ("state_under_review_id", "mechanism_id", "cycle_id", "session_id", "response")

# State id -> (its regional group, its organisations): what a State's tokens say besides its id.
StateProperties = Mapping[int, tuple[str | None, Sequence[str]]]


def token(prefix: str, value: int | str) -> str:
    """One facet token, letters and digits only so that every tokenizer keeps it whole.

    Ids are written as they are; codes in hexadecimal, so no two codes can meet in one token.
    """
    if isinstance(value, int):
        return f"{prefix}{value}"
    return f"{prefix}x{value.encode().hex()}"


def state_properties() -> dict[int, tuple[str | None, tuple[str, ...]]]:
    organisations: dict[int, list[str]] = {}
    for state_id, code in Organisation.members.through.objects.values_list("state_id", "organisation_id"):
        organisations.setdefault(state_id, []).append(code)
    return {
        pk: (group, tuple(sorted(organisations.get(pk, ()))))
        for pk, group in State.objects.values_list("pk", "regional_group_id")
    }


def _side_tokens(side: Side, state_ids: Iterable[int], states: StateProperties) -> list[str]:
    tokens: set[str] = set()
    for pk in state_ids:
        group, organisations = states.get(pk, (None, ()))
        tokens.add(token(side.state, pk))
        tokens.update([token(side.group, group)] if group else [])
        tokens.update(token(side.organisation, code) for code in organisations)
    return sorted(tokens)


def record_tokens(
    record: Mapping[str, Any],
    *,
    recommending_states: Iterable[int],
    labels: Iterable[int],
    states: StateProperties,
) -> str:
    """The facet tokens of one record (its ``TOKEN_FIELDS``), space-separated, as its document stores them.

    A State's regional group and organisations are tokens too, so that "recommended by an EU member"
    is one token to look up, not an OR of 27 (which took 156 ms to count with "noted" at a million).
    A change of membership therefore reindexes the records of the States concerned (``search.events``).
    """
    tokens = [token(MECHANISM, record["mechanism_id"]), token(RESPONSE, record["response"])]
    tokens += [token(CYCLE, record["cycle_id"])] if record["cycle_id"] is not None else []
    tokens += [token(SESSION, record["session_id"])] if record["session_id"] is not None else []
    tokens += _side_tokens(UNDER_REVIEW, [record["state_under_review_id"]], states)
    tokens += _side_tokens(RECOMMENDING, recommending_states, states)
    tokens += [token(LABEL, pk) for pk in sorted(set(labels))]
    return " ".join(tokens)


def _value_tokens(side: Side, path: str, values: list[str], rows: ReferenceRows) -> list[str]:
    """The tokens of the chosen values of a facet on a State's ``path`` (iso3, group, organisations)."""
    if path == "iso3":
        wanted = set(values)
        return [token(side.state, s.pk) for s in rows.all(State).values() if s.iso3 in wanted]
    prefix = side.group if path == "regional_group" else side.organisation
    return [token(prefix, v) for v in values]


# --- the kinds of facet ----------------------------------------------------------------------------

Labels = Callable[[list[str], ReferenceRows], dict[str, str]]


def _under_review(path: str, *, labels: Labels, key: str) -> Any:
    """A facet on the State under review (``path``: one of its properties)."""

    def tokens(values: list[str], rows: ReferenceRows) -> list[str]:
        return _value_tokens(UNDER_REVIEW, path, values, rows)

    return {"tokens": tokens, "labels": labels, "key": key}


def _field(name: str, prefix: str, *, labels: Labels, key: str) -> Any:
    """A facet on a field of the record itself (mechanism, cycle, session, response)."""
    integer = name in ("cycle", "session")

    def tokens(values: list[str], rows: ReferenceRows) -> list[str]:
        return [token(prefix, int(v) if integer else v) for v in values]

    return {"tokens": tokens, "labels": labels, "integer": integer, "key": key}


def _recommending(path: str, *, labels: Labels, key: str) -> Any:
    """A facet read through the recommending States (a joint recommendation counts once)."""

    def tokens(values: list[str], rows: ReferenceRows) -> list[str]:
        return _value_tokens(RECOMMENDING, path, values, rows)

    return {"tokens": tokens, "labels": labels, "key": key}


def _classification(kind: LabelKind) -> Any:
    def tokens(values: list[str], rows: ReferenceRows) -> list[str]:
        wanted = set(values)
        labels = rows.all(Label).values()
        return [token(LABEL, label.pk) for label in labels if label.kind == kind and label.code in wanted]

    labels = _named(
        Label, lambda label: label.code if label.kind == kind else None, lambda label: label.display_name
    )
    return {"tokens": tokens, "labels": labels, "key": kind.value}


def _named(model: type[Model], value: Callable[[Any], str | None], name: Callable[[Any], str]) -> Labels:
    """value -> name of a facet's counted values, from the process's copy of the reference rows
    (each facet ran a query of its own before: 13 queries for a faceted search)."""

    def labels(values: list[str], rows: ReferenceRows) -> dict[str, str]:
        wanted = set(values)
        return {v: name(row) for row in rows.all(model).values() if (v := value(row)) in wanted}

    return labels


# Names in the page's language (``NamedInLanguages.display_name``), sessions as "UPR 16" / "EPU 16".
_states = _named(State, lambda state: state.iso3, lambda state: state.display_name)
_groups = _named(RegionalGroup, lambda group: group.code, lambda group: group.display_name)
_organisations = _named(
    Organisation, lambda organisation: organisation.code, lambda organisation: organisation.display_name
)
_mechanisms = _named(Mechanism, lambda mechanism: mechanism.code, lambda mechanism: mechanism.display_name)
_cycles = _named(
    UprCycle, lambda cycle: str(cycle.number), lambda cycle: str(_("Cycle %(n)s") % {"n": cycle.number})
)
_sessions = _named(
    UprSession,
    lambda session: str(session.number),
    lambda session: f"{session_name('UPR', session.number)} ({session.year})",
)


def _responses(values: list[str], rows: ReferenceRows) -> dict[str, str]:
    return {choice.value: str(choice.label) for choice in Response}


FACETS: list[Facet] = [
    Facet(label=_("State under review"), **_under_review("iso3", labels=_states, key="state")),
    Facet(label=_("Recommending State"), **_recommending("iso3", labels=_states, key="recommending_state")),
    Facet(
        label=_("Regional group under review"),
        **_under_review("regional_group", labels=_groups, key="under_review_group"),
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
        **_under_review("organisations", labels=_organisations, key="under_review_organisation"),
    ),
    Facet(label=_("Mechanism"), **_field("mechanism", MECHANISM, labels=_mechanisms, key="mechanism")),
    Facet(label=_("Cycle"), **_field("cycle", CYCLE, labels=_cycles, key="cycle")),
    Facet(label=_("Session"), **_field("session", SESSION, labels=_sessions, key="session")),
    Facet(label=_("Response"), **_field("response", RESPONSE, labels=_responses, key="response")),
    Facet(label=_("Action category"), **_classification(LabelKind.ACTION_CATEGORY)),
    Facet(label=_("Issue"), **_classification(LabelKind.ISSUE)),
    Facet(label=_("Theme"), **_classification(LabelKind.THEME)),
    Facet(label=_("SDG goal"), **_classification(LabelKind.SDG_GOAL)),
    Facet(label=_("SDG target"), **_classification(LabelKind.SDG_TARGET)),
    Facet(label=_("Affected persons"), **_classification(LabelKind.AFFECTED_PERSONS)),
]
FACETS_BY_KEY = {f.key: f for f in FACETS}


# Facet token prefix -> the facet whose values it carries (labels say their facet themselves).
_FACET_OF_PREFIX = {
    UNDER_REVIEW.state: "state",
    RECOMMENDING.state: "recommending_state",
    UNDER_REVIEW.group: "under_review_group",
    RECOMMENDING.group: "recommending_group",
    UNDER_REVIEW.organisation: "under_review_organisation",
    RECOMMENDING.organisation: "recommending_organisation",
    MECHANISM: "mechanism",
    CYCLE: "cycle",
    SESSION: "session",
    RESPONSE: "response",
}


def values_counted(token_counts: Mapping[str, int], rows: ReferenceRows) -> dict[str, dict[str, int]]:
    """Facet key -> {value: number of records}, read back from the number of records of each token.

    Every count shown beside a facet value comes from the same index that answers the search, one
    pass over the matches for all facets (``Engine.facet_token_counts``), where a join per facet took
    0.7 s for the whole registry at 41k records and 18 s at a million.
    """
    counted: dict[str, dict[str, int]] = {}
    for name, n in token_counts.items():
        prefix, rest = name[:2], name[2:]
        try:
            if prefix == LABEL:
                label = rows.get(Label, int(rest))
                key, value = label.kind, label.code
            elif prefix in (UNDER_REVIEW.state, RECOMMENDING.state):
                key, value = _FACET_OF_PREFIX[prefix], rows.get(State, int(rest)).iso3
            else:
                key = _FACET_OF_PREFIX[prefix]
                value = bytes.fromhex(rest[1:]).decode() if rest.startswith("x") else rest
        except (KeyError, ValueError):  # not a facet token, or one of a row deleted since indexing
            continue
        counted.setdefault(key, {})[value] = n
    return counted
