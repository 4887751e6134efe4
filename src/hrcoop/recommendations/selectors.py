"""Reads of the registry that carry rules: counts that must agree with one another, record look-ups."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Field, Model, QuerySet
from django.shortcuts import get_object_or_404

from hrcoop.core.audit import events_for
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.models import (
    Classification,
    ImportRun,
    Label,
    LabelKind,
    Recommendation,
    Response,
)
from hrcoop.recommendations.reference_cache import ReferenceRows
from hrcoop.recommendations.registry_version import REGISTRY_DATA, registry_key
from hrcoop.reference.models import Mechanism, State, UprCycle, UprSession

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def records_in_order(ids: Sequence[int], *, rows: ReferenceRows | None = None) -> list[Recommendation]:
    """The records of ``ids``, in that order, with everything a page, the API or an export shows.

    Four small queries whatever the number of records: the registry's version (unless the caller
    holds the reference ``rows`` of this request already), the records, their recommending States'
    keys, and their accepted classifications (suggestions awaiting review are the review queue's,
    not the record's); another for the people who set labels, if any did. States, sessions, labels
    and import files come from the process's copy of them (``reference_cache``). Django's
    ``prefetch_related`` did the same in twice the time, building a queryset per record.
    """
    rows = rows or ReferenceRows()
    records = Recommendation.objects.in_bulk(ids)
    states: dict[int, list[State]] = {}
    through = Recommendation.recommending_states.through
    pairs = through.objects.filter(recommendation_id__in=records).values_list("recommendation_id", "state_id")
    for record_id, state_id in pairs:
        states.setdefault(record_id, []).append(rows.get(State, state_id))
    for named in states.values():
        named.sort(key=lambda state: state.name)  # as State's own ordering
    classifications: dict[int, list[Classification]] = {}
    accepted = Classification.objects.filter(
        recommendation_id__in=records, status=Classification.Status.ACCEPTED
    )
    for classification in accepted:
        cache = classification._state.fields_cache
        cache["label"] = rows.get(Label, classification.label_id)
        cache["recommendation"] = records[classification.recommendation_id]
        cache["import_run"] = (
            rows.get(ImportRun, classification.import_run_id) if classification.import_run_id else None
        )
        cache["person"] = None
        classifications.setdefault(classification.recommendation_id, []).append(classification)
    # Most labels were imported: the people who set labels are read apart, when there are any.
    set_by_people = [c for own in classifications.values() for c in own if c.person_id]
    people = get_user_model()._default_manager.in_bulk({c.person_id for c in set_by_people})
    for classification in set_by_people:
        classification._state.fields_cache["person"] = people.get(classification.person_id)
    for record in records.values():
        cache = record._state.fields_cache
        cache["state_under_review"] = rows.get(State, record.state_under_review_id)
        cache["mechanism"] = rows.get(Mechanism, record.mechanism_id)
        cache["cycle"] = rows.get(UprCycle, record.cycle_id) if record.cycle_id else None
        cache["session"] = rows.get(UprSession, record.session_id) if record.session_id else None
        record._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "recommending_states": _fetched(State, states.get(record.pk, []))
        }
        record.accepted_classifications = sorted(
            classifications.get(record.pk, []), key=lambda c: (c.kind, c.label.code)
        )
    return [records[pk] for pk in ids if pk in records]


def _fetched(model: type[M], objects: list[M]) -> QuerySet[M]:
    """A queryset already holding ``objects``, as ``prefetch_related`` leaves on a related manager."""
    queryset = model._default_manager.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def kept_per_version(name: str, compute: Callable[[], T], *, versions: tuple[str, ...] = REGISTRY_DATA) -> T:
    """``compute()``, kept in Django's cache under the current ``versions`` of the registry's data
    (``registry_version``: its records and its reference rows by default).

    For answers that every visitor sees alike and that depend on that data only: never stale, as
    every write raises the version of what it changed, and kept through writes to anything else. Kept
    as long as the API's answers are (``HRCOOP_API_CACHE_SECONDS``; 0 keeps nothing); nothing is
    cached while those versions were never raised.
    """
    return kept_under(registry_key(versions), name, compute)


def kept_under(token: str, name: str, compute: Callable[[], T]) -> T:
    """``kept_per_version`` for a caller that read the versions' ``token`` already (one read per
    request): ``compute()`` kept under ``name`` and ``token``; nothing is kept while ``token`` is ""."""
    if not token or not settings.HRCOOP_API_CACHE_SECONDS:
        return compute()
    key = f"{name}:{hashlib.sha256(token.encode()).hexdigest()[:32]}"
    kept = cache.get(key)
    if kept is None:
        kept = compute()
        cache.set(key, kept, settings.HRCOOP_API_CACHE_SECONDS)
    return cast(T, kept)


def registry_stats() -> dict[str, Any]:
    """The figures of ``hrcoop stats --json``: every breakdown sums to ``recommendations``.

    Records without an accepted action category are counted under ``"none"`` so that the sum holds.
    """
    total = Recommendation.objects.count()
    by_response = {choice.value: 0 for choice in Response}
    for row in Recommendation.objects.values("response").annotate(n=Count("id")):
        by_response[row["response"]] = row["n"]
    by_category = {str(n): 0 for n in range(1, 6)}
    categorised = 0
    for row in (
        Classification.objects.filter(kind=LabelKind.ACTION_CATEGORY, status=Classification.Status.ACCEPTED)
        .values("label__code")
        .annotate(n=Count("recommendation", distinct=True))
    ):
        by_category[row["label__code"]] = row["n"]
        categorised += row["n"]
    if total - categorised:
        by_category["none"] = total - categorised
    by_cycle = {
        str(row["cycle"] or "none"): row["n"]
        for row in Recommendation.objects.values("cycle").annotate(n=Count("id")).order_by("cycle")
    }
    return {
        "recommendations": total,
        "states_under_review": Recommendation.objects.values("state_under_review").distinct().count(),
        "by_response": by_response,
        "by_action_category": by_category,
        "by_cycle": by_cycle,
    }


def cycle_response_table() -> list[dict[str, Any]]:
    """Rows of (cycle, counts by response) for the home page."""
    rows: dict[Any, dict[str, Any]] = {}
    for row in Recommendation.objects.values("cycle", "response").annotate(n=Count("id")).order_by("cycle"):
        entry = rows.setdefault(
            row["cycle"], {"cycle": row["cycle"], "total": 0, **{r.value: 0 for r in Response}}
        )
        entry[row["response"]] = row["n"]
        entry["total"] += row["n"]
    return list(rows.values())


HISTORY_KINDS = ("imported", "response_recorded", "corrected")


@dataclass(frozen=True)
class HistoryEntry:
    """One dated step of a record's public history (the record page's "History", the API's ``history``)."""

    at: datetime
    kind: str  # one of HISTORY_KINDS
    file: str = ""  # the file imported, or the one that brought the response
    fields: tuple[str, ...] = ()  # the fields corrected
    response_from: str | None = None  # a response recorded or corrected: its codes before and after
    response_to: str | None = None

    @property
    def field_labels(self) -> list[str]:
        labels = []
        for name in self.fields:
            field = Recommendation._meta.get_field(name)
            labels.append(str(field.verbose_name) if isinstance(field, Field) else name)
        return labels

    @property
    def response_labels(self) -> tuple[str, str] | None:
        if self.response_from is None or self.response_to is None:
            return None
        return str(Response(self.response_from).label), str(Response(self.response_to).label)


def record_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """What the public may see of how a record came to be as it is, oldest first: the import that
    made it, the responses later imports recorded, and the secretariat's corrections (which fields,
    and a response's old and new value; not who: the audit log in the admin says that)."""
    first = None
    if recommendation.first_import_id is not None:
        first = (
            ImportRun.objects.filter(pk=recommendation.first_import_id)
            .values_list("file_name", "started_at")
            .first()
        )
    file_name, at = first or ("", recommendation.created_at)
    history = [HistoryEntry(at=at, kind="imported", file=file_name)]
    shown = [RecommendationAction.RESPONSE_RECORDED, RecommendationAction.CORRECTED]
    events = events_for(recommendation).filter(action__in=shown).order_by("at", "id")
    for event in events:
        data = event.data
        if event.action == RecommendationAction.RESPONSE_RECORDED:
            step = HistoryEntry(
                at=event.at,
                kind="response_recorded",
                file=data["file"],
                response_from=data["from"],
                response_to=data["to"],
            )
        else:
            before, after = data.get("before", {}), data.get("after", {})
            step = HistoryEntry(
                at=event.at,
                kind="corrected",
                fields=tuple(sorted(after)),
                response_from=before.get("response"),
                response_to=after.get("response"),
            )
        history.append(step)
    return history


def recommendation_detail(public_id: str) -> Recommendation:
    record = get_object_or_404(Recommendation.objects.only("pk"), public_id=public_id)
    return records_in_order([record.pk])[0]


def retired_labels(kind: str | None = None) -> QuerySet[Label]:
    """Labels their source has retired: a later export dropped them from every record that had them.

    Such a label has superseded classifications (``Classification.Status.SUPERSEDED``) and no accepted
    one left. Nothing should learn from it or suggest it any more (the tagger's training data reads
    accepted classifications only, and its vocabulary should leave these out); a person may still
    set it, which makes it current again.
    """
    labels = Label.objects.filter(classifications__status=Classification.Status.SUPERSEDED).exclude(
        classifications__status=Classification.Status.ACCEPTED
    )
    if kind is not None:
        labels = labels.filter(kind=kind)
    return labels.distinct().order_by("kind", "code")
