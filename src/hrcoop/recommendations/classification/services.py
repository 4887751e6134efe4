"""Every write of the classification app: training a version, storing suggestions, review decisions.

Precedence (DESIGN.md §4.8): a (recommendation, label) pair has one row. A row that was imported or
set by a person is never touched by a model; a model only creates suggestions, refreshes its own
earlier suggestions, and withdraws those of its own that the new version no longer makes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.audit import record_event, record_events
from hrcoop.core.batches import batched
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.events import records_changed
from hrcoop.core.models import User
from hrcoop.core.roles import Actor
from hrcoop.recommendations.classification import store
from hrcoop.recommendations.classification.actions import ClassificationAction
from hrcoop.recommendations.classification.data import SINGLE_LABEL_KINDS, TASKS, labelled_records
from hrcoop.recommendations.classification.learn import MultiLabelModel, NotEnoughData, SingleLabelModel
from hrcoop.recommendations.classification.models import EvaluationRun, ModelVersion
from hrcoop.recommendations.classification.sdg import SdgModel, embed, sdg_texts
from hrcoop.recommendations.classification.selectors import bulk_acceptable, may_review
from hrcoop.recommendations.models import Classification, Label, LabelKind, Provenance, Recommendation
from hrcoop.recommendations.selectors import retired_labels
from hrcoop.recommendations.services.vocabularies import create_labels

Model = MultiLabelModel | SingleLabelModel | SdgModel
SDG_KINDS = {LabelKind.SDG_GOAL, LabelKind.SDG_TARGET}
PREDICT_BATCH = 4096


def kind_for_task(task: str) -> str:
    if task not in TASKS:
        raise InvalidInput(f"unknown task {task!r}; choose one of {', '.join(TASKS)}", where="task")
    return TASKS[task]


def fit(kind: str, *, excluded_label_ids: Collection[int] = ()) -> tuple[Model, int]:
    """Fit a model of ``kind`` on the registry's accepted labels, never on those of
    ``excluded_label_ids``; a clear error when they cannot train one."""
    data = labelled_records(kind, excluded_label_ids=excluded_label_ids)
    if kind in SDG_KINDS:  # the SDG texts are a prior, so a model exists even before any record is labelled
        try:
            return SdgModel.build(kind, embed(data.texts), data.labels), len(data)
        except NotEnoughData as exc:
            raise InvalidInput(f"cannot build an {kind} model: {exc}", where=kind) from exc
    if not data:
        raise InvalidInput(
            f"no record carries an accepted {kind} label, so there is nothing to learn from: import labelled "
            "records (e.g. `hrcoop import upr-info FILE`) or accept suggestions in the review queue first",
            where=kind,
        )
    try:
        if kind in SINGLE_LABEL_KINDS:
            model: Model = SingleLabelModel.train(
                data.texts, [labels[0] for labels in data.labels], groups=data.sessions
            )
        else:
            model = MultiLabelModel.train(data.texts, data.labels, groups=data.sessions)
    except NotEnoughData as exc:
        raise InvalidInput(f"cannot train a {kind} model: {exc}", where=kind) from exc
    return model, len(data)


def train(kind: str, *, actor: User | None, excluded_label_ids: Collection[int] = ()) -> ModelVersion:
    """Train, store and activate a new version for ``kind`` (the fit runs outside any transaction).

    ``excluded_label_ids``: labels the model must neither learn from nor suggest (e.g. retired ones).
    """
    model, records = fit(kind, excluded_label_ids=excluded_label_ids)
    created_at = timezone.now()
    version = f"{kind}-{created_at:%Y%m%dT%H%M%S%f}"
    store.save(f"{version}.joblib", model)
    return _register(kind, version, model, records, created_at, actor=actor)


@transaction.atomic
def _register(
    kind: str, version: str, model: Model, records: int, created_at: Any, *, actor: User | None
) -> ModelVersion:
    ModelVersion.objects.filter(kind=kind, active=True).update(active=False)
    model_version = ModelVersion.objects.create(
        version=version,
        kind=kind,
        created_at=created_at,
        trained_by=actor,
        records=records,
        labels=model.labels,
        holdout=model.holdout,
        artifact=f"{version}.joblib",
        active=True,
        accept_threshold=model.accept.as_dict()["threshold"],
        accept_precision=model.accept.precision if np.isfinite(model.accept.threshold) else None,
    )
    record_event(
        actor=actor,
        action=ClassificationAction.MODEL_TRAINED,
        target=model_version,
        data={"kind": kind, "records": records, "labels": len(model.labels), "holdout": model.holdout},
    )
    return model_version


def active_version(kind: str) -> ModelVersion:
    version = ModelVersion.objects.filter(kind=kind, active=True).first()
    if version is None:
        raise NotFound(f"no trained {kind} model: run `hrcoop classify train` first", where=kind)
    return version


def _predict(model: Model, texts: list[str]) -> list[list[tuple[str, float]]]:
    if isinstance(model, SingleLabelModel):
        return [[prediction] for prediction in model.predict(texts)]
    return model.predict(texts)


def apply(
    kind: str,
    *,
    actor: User | None,
    include_labelled: bool = False,
    records: QuerySet[Recommendation] | None = None,
    excluded_label_ids: Collection[int] = (),
) -> dict[str, int]:
    """Store the active model's suggestions for the records that need them; returns what changed.

    By default only records without an accepted label of ``kind`` are suggested for; with
    ``include_labelled`` a multi-label task also suggests extra labels for labelled records.
    ``records`` narrows the candidates (e.g. to an import's new records); by default every record.
    Labels in ``excluded_label_ids``, and every label its source has retired (``retired_labels``), are
    never suggested, and the model's open suggestions of them are withdrawn (a version trained before a
    label was retired may still score it; training itself reads only accepted labels, which a retired
    label no longer has).
    """
    excluded_label_ids = {*excluded_label_ids, *retired_labels().values_list("pk", flat=True)}
    version = active_version(kind)
    model: Model = store.load(version.artifact)
    if records is None:
        records = Recommendation.objects.all()
    if not include_labelled or kind in SINGLE_LABEL_KINDS:
        records = records.exclude(
            classifications__kind=kind, classifications__status=Classification.Status.ACCEPTED
        )
    rows = list(records.order_by("pk").values_list("pk", "text"))
    predictions: dict[int, list[tuple[str, float]]] = {}
    for start in range(0, len(rows), PREDICT_BATCH):
        batch = rows[start : start + PREDICT_BATCH]
        for (pk, _text), predicted in zip(batch, _predict(model, [text for _pk, text in batch]), strict=True):
            predictions[pk] = predicted
    return _store_suggestions(
        kind, version, predictions, actor=actor, excluded_label_ids=frozenset(excluded_label_ids)
    )


@transaction.atomic
def _store_suggestions(
    kind: str,
    version: ModelVersion,
    predictions: dict[int, list[tuple[str, float]]],
    *,
    actor: User | None,
    excluded_label_ids: frozenset[int],
) -> dict[str, int]:
    if kind in SDG_KINDS:  # a goal no record was labelled with yet still gets its label row
        have = set(Label.objects.filter(kind=kind).values_list("code", flat=True))
        missing = [
            Label(kind=kind, code=code, name=f"SDG {code}: {titles[0]}"[:200])
            for code, titles in sdg_texts(kind).items()
            if code not in have
        ]
        create_labels(missing)
    labels = {
        label.code: label for label in Label.objects.filter(kind=kind).exclude(pk__in=excluded_label_ids)
    }
    existing: dict[tuple[int, int], Classification] = {
        (c.recommendation_id, c.label_id): c
        for batch in batched(predictions)
        for c in Classification.objects.filter(kind=kind, recommendation_id__in=batch)
    }
    counts = {"records": len(predictions), "created": 0, "refreshed": 0, "withdrawn": 0, "kept_decided": 0}
    new: list[Classification] = []
    refreshed: list[Classification] = []
    made: set[tuple[int, int]] = set()
    for pk, predicted in predictions.items():
        for code, confidence in predicted:
            label = labels.get(code)
            if label is None:  # deleted since training (nothing to attach to) or excluded
                continue
            made.add((pk, label.pk))
            row = existing.get((pk, label.pk))
            if row is None:
                new.append(
                    Classification(
                        recommendation_id=pk,
                        label=label,
                        kind=kind,
                        status=Classification.Status.SUGGESTED,
                        provenance=Provenance.MODEL,
                        model_version=version.version,
                        confidence=round(confidence, 4),
                    )
                )
            elif _is_open_suggestion(row):
                row.model_version, row.confidence = version.version, round(confidence, 4)
                refreshed.append(row)
            else:
                counts["kept_decided"] += 1
    stale = [row.pk for key, row in existing.items() if key not in made and _is_open_suggestion(row)]
    Classification.objects.bulk_create(new, batch_size=2000)
    Classification.objects.bulk_update(refreshed, ["model_version", "confidence"], batch_size=2000)
    for batch in batched(stale):
        Classification.objects.filter(pk__in=batch).delete()
    counts.update(created=len(new), refreshed=len(refreshed), withdrawn=len(stale))
    record_event(actor=actor, action=ClassificationAction.SUGGESTIONS_STORED, target=version, data=counts)
    return counts


def _is_open_suggestion(row: Classification) -> bool:
    return row.provenance == Provenance.MODEL and row.status == Classification.Status.SUGGESTED


def _refuse_second_single_label(rows: list[Classification]) -> None:
    """A record has at most one accepted label of a single-label kind (the action category): refuse a
    choice that would give it two, already accepted or in the same choice, before anything is written."""
    single = [row for row in rows if row.kind in SINGLE_LABEL_KINDS]
    seen: set[tuple[int, str]] = set()
    for row in single:
        key = (row.recommendation_id, row.kind)
        if key in seen:
            raise Conflict(
                # Translators: %(kind)s is the code of a kind of label (action_category): keep it as it is.
                _("recommendation %(id)s has two %(kind)s suggestions in this choice; accept only one")
                % {"id": row.recommendation.public_id, "kind": row.kind},
                where="ids",
            )
        seen.add(key)
    taken = (
        Classification.objects.filter(
            recommendation_id__in={row.recommendation_id for row in single},
            kind__in={row.kind for row in single},
            status=Classification.Status.ACCEPTED,
        )
        .exclude(pk__in=[row.pk for row in single])
        .values_list("recommendation_id", "kind")
    )
    clash = sorted(set(taken) & seen)
    if clash:
        record_id, kind = clash[0]
        public_id = next(row.recommendation.public_id for row in single if row.recommendation_id == record_id)
        raise Conflict(
            # Translators: %(kind)s is the code of a kind of label (action_category): keep it as it is.
            _("recommendation %(id)s already has an accepted %(kind)s; reject this suggestion")
            % {"id": public_id, "kind": kind},
            where="ids",
        )


@transaction.atomic
def review(classification_ids: Iterable[int], *, accept: bool, actor: Actor) -> int:
    """Accept or reject suggestions; the reviewer becomes the provenance. Returns how many were decided."""
    _require_reviewer(actor)
    ids = sorted(set(classification_ids))
    if not ids:
        raise InvalidInput(_("choose at least one suggestion to accept or reject"), where="ids")
    rows = _lock(ids)
    if len(rows) != len(ids):
        raise NotFound(
            _("suggestions %(ids)s do not exist") % {"ids": sorted(set(ids) - {r.pk for r in rows})},
            where="ids",
        )
    decided = [r.pk for r in rows if r.status != Classification.Status.SUGGESTED]
    if decided:
        raise Conflict(
            _("suggestions %(ids)s were already decided; reload the queue") % {"ids": decided}, where="ids"
        )
    if accept:
        _refuse_second_single_label(rows)
    _decide(rows, accept=accept, actor=actor, bulk=False)
    return len(rows)


@transaction.atomic
def accept_above_threshold(*, actor: Actor, expected: int | None = None, **filters: Any) -> int:
    """Accept, in one decision, every open suggestion of the queue narrowed by ``filters`` (those of
    ``selectors.review_queue``: a session, a State under review, a task...) whose confidence reaches
    the threshold its model version chose on held-out sessions. Returns how many were accepted.

    ``expected`` is the count the reviewer was shown: when new suggestions arrived or some were
    decided since, the decision is refused rather than taken on a set the reviewer did not see.
    """
    _require_reviewer(actor)
    ids = list(bulk_acceptable(actor, **filters).values_list("pk", flat=True))
    if not ids:
        raise InvalidInput(
            _("no open suggestion in this selection reaches its model's threshold; review them one by one"),
            where="threshold",
        )
    if expected is not None and expected != len(ids):
        raise Conflict(
            _(
                "the selection now holds %(now)d suggestions above the threshold, not the %(shown)d shown; "
                "reload the queue and decide again"
            )
            % {"now": len(ids), "shown": expected},
            where="expected",
        )
    rows = _lock(ids)
    _decide(rows, accept=True, actor=actor, bulk=True)
    return len(rows)


def _require_reviewer(actor: Actor) -> None:
    if not may_review(actor):
        raise Forbidden(_("only the secretariat or an administrator may review suggested labels"))


def _lock(ids: list[int]) -> list[Classification]:
    return list(
        Classification.objects.select_for_update(of=("self",))
        .select_related("label", "recommendation")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _decide(rows: list[Classification], *, accept: bool, actor: Actor, bulk: bool) -> None:
    """One update of every row, one chained batch of audit events, and the event for derived data."""
    assert isinstance(actor, User)
    for row in rows:
        row.status = Classification.Status.ACCEPTED if accept else Classification.Status.REJECTED
        row.provenance = Provenance.PERSON
        row.person = actor
    Classification.objects.bulk_update(rows, ["status", "provenance", "person"], batch_size=2000)
    record_events(
        actor=actor,
        action=ClassificationAction.ACCEPTED if accept else ClassificationAction.REJECTED,
        changes=[
            (
                row,
                {
                    "kind": row.kind,
                    "label": row.label.code,
                    "model_version": row.model_version,
                    "confidence": row.confidence,
                    "above_threshold": bulk,
                },
            )
            for row in rows
        ],
    )
    if accept:  # an accepted label is shown by the API and found by the facets
        records_changed.send(ids=sorted({row.recommendation_id for row in rows}), text_changed=False)


@transaction.atomic
def record_evaluation(
    results: dict[str, Any], *, train_sessions: str, test_sessions: str, actor: User | None
) -> EvaluationRun:
    run = EvaluationRun.objects.create(
        created_at=timezone.now(), train_sessions=train_sessions, test_sessions=test_sessions, results=results
    )
    record_event(
        actor=actor,
        action=ClassificationAction.EVALUATED,
        target=run,
        data={"summary": results.get("summary", {})},
    )
    return run
