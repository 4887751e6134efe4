"""The import writer: one file's resolved rows written to the registry in batches.

``FileImport`` takes each batch of ``Entry`` items (one per record-to-be, joint rows already merged)
and, after one look-up of the batch's keys, finds the records already there (under this response or
another: ``identity.response_twins``), inserts the new ones in bulk with their public ids, adds the
recommending States and labels the rows bring, and counts what changed for the file's report. After
the last batch, ``follow_export`` makes the records a later export reached carry its labels.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from hrcoop.core.audit import DeferredEvents
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.bulk import insert_rows, reserve_ids, rows_by_key
from hrcoop.recommendations.identity import PENDING, public_id_choices, public_id_for, response_twins
from hrcoop.recommendations.models import (
    Classification,
    ImportRun,
    LabelKind,
    Provenance,
    Recommendation,
)
from hrcoop.recommendations.services.resolver import Entry, Resolver

BATCH_SIZE = 2000
ACCEPTED = Classification.Status.ACCEPTED.value
SUPERSEDED = Classification.Status.SUPERSEDED.value
IMPORTED = Provenance.IMPORTED.value
SAMPLE_LIMIT = 50  # changes and conflicts listed in a report; the counts are always complete

# The columns of an imported label, in the order of the rows ``write`` and ``follow_export`` insert.
CLASSIFICATION_COLUMNS = (
    "recommendation",
    "label",
    "kind",
    "status",
    "provenance",
    "import_run",
    "model_version",
    "created_at",
)
# The columns of a record taken from the parsed row (``Entry.fields``), in insert order.
RECORD_FIELDS = (
    "source_id",
    "mechanism",
    "document_symbol",
    "paragraph",
    "cycle",
    "session",
    "date",
    "state_under_review",
    "text",
    "language",
    "response",
    "response_source",
)


class FileImport:
    """The state of one file's import: counts, samples of changes, and the batch writer.

    Its audit events go to ``audit``, which the import appends to the chain as its last write
    (``core.audit.DeferredEvents``): the chain's head is not held while the batches are written.
    """

    def __init__(self, run: ImportRun, resolver: Resolver, *, audit: DeferredEvents) -> None:
        self.run = run
        self.resolver = resolver
        self.audit = audit
        self.rows = 0
        self.created = 0
        self.joint_rows = 0
        self.duplicate_rows = 0
        self.updated_ids: set[int] = set()
        self.touched_ids: set[int] = set()  # records that existed before this file (re-imports only)
        # Every record a row of this file has reached: the first row of each is counted as created,
        # updated or unchanged, every later one - in the same batch or any later - as merged or duplicate.
        self.seen_ids: set[int] = set()
        self.changes: list[dict[str, Any]] = []
        self.conflicts: list[dict[str, Any]] = []
        self.conflict_count = 0
        # Records whose response this file set or changed: the row's key and the response before.
        self.answered: dict[int, tuple[str, str]] = {}
        self.responses_changed: list[dict[str, Any]] = []  # all of them: a State changing its answer
        # Records made before this file that its rows reach: the labels and the action category the
        # rows carry for each (``follow_export``); pending rows of an older export are left out.
        self.carried: dict[int, set[int]] = {}
        self.carried_action: dict[int, int] = {}
        self.older_rows: set[int] = set()
        self.labels_superseded = 0
        self.labels_restored = 0
        self.label_changes: list[dict[str, Any]] = []
        self.public_ids: dict[str, str] = {}  # the public id of each key's record, once known

    def public_id(self, key: str) -> str:
        return self.public_ids.get(key) or public_id_for(key)

    def _conflict(self, key: str, row: int, kept: int, ignored: int) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < SAMPLE_LIMIT:
            codes = self.resolver.label_codes
            # The key, not yet its public id: rows merge before their batch finds the record they continue.
            self.conflicts.append({"row": row, "key": key, "kept": codes[kept], "ignored": codes[ignored]})

    def merge_into(self, entry: Entry, other: Entry) -> None:
        """A later row of the same record within one batch: unite what it adds."""
        added_states = other.recommending - entry.recommending
        entry.recommending |= other.recommending
        entry.labels |= other.labels
        if other.action is not None:
            if entry.action is None:
                entry.action = other.action
            elif entry.action != other.action:
                self._conflict(entry.key, other.row, entry.action, other.action)
        if added_states:
            self.joint_rows += 1
        else:
            self.duplicate_rows += 1

    def _existing(self, batch: dict[str, Entry]) -> dict[str, tuple[int, int | None]]:
        """The batch's records already in the registry, by the batch's keys: ``(id, first import)``.

        A key that is not there may be there under another response (``response_twins``): a record
        made while pending continues with the response this row brings (set here with the identity
        key that goes with it, its public id unchanged, and counted in ``responses_recorded``); a
        pending row joins the one record with a response, if there is exactly one, and changes
        nothing of it. A record that an earlier file gave another response follows this later
        export (exports are imported oldest first): its response changes, the old one stays in its
        history (an audit event) and the report lists it (``responses_changed``). A record claimed
        by one response in a file is not claimed by another: a recommendation that one export splits
        into several responses gets the others as records.
        """
        twins = {key: response_twins(entry.stem, entry.fields["response"]) for key, entry in batch.items()}
        found = {
            key: (pk, first_import, response, public_id)
            for key, pk, first_import, response, public_id in rows_by_key(
                Recommendation,
                "identity_key",
                [*batch, *(twin for keys in twins.values() for twin in keys)],
                ["id", "first_import", "response", "public_id"],
            )
        }
        existing = {key: found[key][:2] for key in batch if key in found}
        direct = {pk for pk, _ in existing.values()}  # records a row of this batch names as they are
        claimed: dict[int, str] = {}
        answered: list[Recommendation] = []
        for key, entry in batch.items():
            candidates = [found[twin] for twin in twins[key] if twin in found]
            wanted = entry.fields["response"]
            if wanted != PENDING and len(candidates) > 1:
                # the pending record if there is one, else the one an earlier file answered otherwise
                candidates = [c for c in candidates if c[2] == PENDING] or candidates
            if key in existing or len(candidates) != 1:
                continue
            pk, first_import, response, public_id = candidates[0]
            changed = wanted != PENDING and response not in (PENDING, wanted)
            if changed and (first_import == self.run.pk or pk in self.seen_ids or pk in direct):
                continue  # this file answers it otherwise too: another record, as its response says
            if claimed.setdefault(pk, wanted) != wanted:
                continue
            existing[key] = (pk, first_import)
            self.public_ids[key] = public_id  # made under its first response's key
            if wanted == PENDING and response != PENDING:
                self.older_rows.add(pk)  # an older export, read after the one that answered it
            if response != wanted and wanted != PENDING:
                self.answered[pk] = (key, response)
                answered.append(
                    Recommendation(
                        pk=pk,
                        identity_key=key,
                        response=wanted,
                        response_source=entry.fields["response_source"],
                        updated_at=timezone.now(),
                    )
                )
        Recommendation.objects.bulk_update(
            answered, ["identity_key", "response", "response_source", "updated_at"], batch_size=500
        )
        self.audit.record_events(  # each record's public history: when its answer arrived, and from where
            actor=self.run.actor,
            action=RecommendationAction.RESPONSE_RECORDED,
            changes=[
                (
                    record,
                    {
                        "from": self.answered[record.pk][1],
                        "to": record.response,
                        "source": record.response_source,
                        "file": self.run.file_name,
                        "import_run": self.run.pk,
                    },
                )
                for record in answered
            ],
        )
        return existing

    def write(self, batch: dict[str, Entry]) -> None:
        existing = self._existing(batch)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        new_keys = [key for key in batch if key not in existing]
        new_ids = reserve_ids(Recommendation, len(new_keys))
        choices = {key: public_id_choices(batch[key].stem, key) for key in new_keys}
        preferred = {key: [next(ids), next(ids)] for key, ids in choices.items()}
        wanted = [public_id for pair in preferred.values() for public_id in pair]
        taken = {public_id for public_id, _ in rows_by_key(Recommendation, "public_id", wanted, ["id"])}
        for key, pair in preferred.items():
            public_id = next((p for p in pair if p not in taken), None)
            while public_id is None:  # both taken: rare enough to ask the database one id at a time
                candidate = next(choices[key])
                if candidate not in taken and not Recommendation.objects.filter(public_id=candidate).exists():
                    public_id = candidate
            self.public_ids[key] = public_id
            taken.add(public_id)
        insert_rows(
            Recommendation,
            ["id", *RECORD_FIELDS, "identity_key", "public_id", "first_import", "created_at", "updated_at"],
            [
                (
                    pk,
                    *(batch[key].fields[name] for name in RECORD_FIELDS),
                    key,
                    self.public_ids[key],
                    self.run.pk,
                    now,
                    now,
                )
                for pk, key in zip(new_ids, new_keys, strict=True)
            ],
        )
        ids = {key: pk for key, (pk, _) in existing.items()}
        ids.update(zip(new_keys, new_ids, strict=True))
        old_ids = [pk for pk, _ in existing.values()]
        through = Recommendation.recommending_states.through
        have_states = set(
            through.objects.filter(recommendation_id__in=old_ids).values_list("recommendation_id", "state_id")
        )
        have_labels: set[tuple[int, int]] = set()
        have_action: dict[int, int] = {}
        for rec_id, label_id, kind in Classification.objects.filter(
            recommendation_id__in=old_ids
        ).values_list("recommendation_id", "label_id", "kind"):
            have_labels.add((rec_id, label_id))
            if kind == LabelKind.ACTION_CATEGORY:
                have_action.setdefault(rec_id, label_id)
        state_rows: list[tuple[int, int]] = []
        label_rows: list[tuple[Any, ...]] = []
        kinds = self.resolver.label_kinds
        for key, entry in batch.items():
            rec_id = ids[key]
            earlier = key in existing and existing[key][1] != self.run.pk and rec_id not in self.older_rows
            if earlier:
                self.carried.setdefault(rec_id, set()).update(entry.labels)
                if entry.action is not None:
                    self.carried_action.setdefault(rec_id, entry.action)
            states = [s for s in sorted(entry.recommending) if (rec_id, s) not in have_states]
            labels = [lab for lab in sorted(entry.labels) if (rec_id, lab) not in have_labels]
            if entry.action is not None and (rec_id, entry.action) not in have_labels:
                if earlier:
                    pass  # this later export's action category replaces the earlier one: ``follow_export``
                elif rec_id in have_action:
                    self._conflict(key, entry.row, have_action[rec_id], entry.action)
                else:
                    labels.append(entry.action)
            if key in existing:  # two keys of a batch can be one record (a pending row and its answer)
                have_states.update((rec_id, s) for s in states)
                have_labels.update((rec_id, lab) for lab in labels)
                if entry.action in labels:
                    have_action[rec_id] = entry.action
            state_rows += [(rec_id, s) for s in states]
            label_rows += [
                (rec_id, lab, kinds[lab], ACCEPTED, IMPORTED, self.run.pk, "", now) for lab in labels
            ]
            responded = self.answered.get(rec_id, ("", ""))[0] == key
            first_row = rec_id not in self.seen_ids
            self.seen_ids.add(rec_id)
            if key not in existing:
                self.created += 1
                continue
            if not first_row or existing[key][1] == self.run.pk:  # a record this file reached before
                if states:
                    self.joint_rows += 1
                else:
                    self.duplicate_rows += 1
                if existing[key][1] == self.run.pk:
                    continue  # made by this file: created, not updated
            self.touched_ids.add(rec_id)
            if states or labels or responded:
                self.updated_ids.add(rec_id)
                if len(self.changes) < SAMPLE_LIMIT:
                    change: dict[str, Any] = {
                        "public_id": self.public_id(key),
                        "row": entry.row,
                        "added_recommending_states": len(states),
                        "added_labels": [self.resolver.label_codes[lab] for lab in labels],
                    }
                    if responded:
                        change["response"] = {
                            "from": self.answered[rec_id][1],
                            "to": entry.fields["response"],
                        }
                    self.changes.append(change)
            if responded and self.answered[rec_id][1] != PENDING:
                self.responses_changed.append(
                    {
                        "public_id": self.public_id(key),
                        "row": entry.row,
                        "from": self.answered[rec_id][1],
                        "to": entry.fields["response"],
                    }
                )
        insert_rows(through, ["recommendation", "state"], state_rows)
        insert_rows(Classification, CLASSIFICATION_COLUMNS, label_rows)

    def follow_export(self) -> None:
        """Make the records this file reached carry the labels it carries, after its last batch.

        An imported label of the same format that none of the record's rows in this file carries any
        more (UPR Info dropped "National plan of action" and "Other") is ``superseded``: kept, with
        the file that imported it, as the record's history, and counted nowhere. One this file
        carries again is accepted again. A changed action category replaces the earlier one. Labels
        set by a person or suggested by a model are left as they are. Each record that changed gets
        one audit event. Done after the last batch because a record's rows may straddle batches.
        """
        ids = sorted(self.carried)
        codes = self.resolver.label_codes
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start : start + BATCH_SIZE]
            rows = Classification.objects.filter(recommendation_id__in=chunk).values_list(
                "pk", "recommendation_id", "label_id", "kind", "status", "provenance", "import_run__format"
            )
            by_record: dict[int, list[tuple[int, int, str, str, bool]]] = {}
            for pk, rec_id, label_id, kind, status, provenance, run_format in rows:
                ours = provenance == IMPORTED and run_format == self.run.format
                by_record.setdefault(rec_id, []).append((pk, label_id, kind, status, ours))
            superseded: list[int] = []
            restored: list[int] = []
            added: list[tuple[Any, ...]] = []
            changes: dict[int, dict[str, list[str]]] = {}
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            for rec_id in chunk:
                carried, action = self.carried[rec_id], self.carried_action.get(rec_id)
                change: dict[str, list[str]] = {"superseded": [], "restored": []}
                have = by_record.get(rec_id, [])
                for pk, label_id, _kind, status, ours in have:
                    keep = label_id in carried or label_id == action
                    if ours and keep and status == SUPERSEDED:
                        restored.append(pk)
                        change["restored"].append(codes[label_id])
                    elif ours and not keep and status == ACCEPTED:
                        superseded.append(pk)
                        change["superseded"].append(codes[label_id])
                stays = [
                    label_id
                    for pk, label_id, kind, status, _ours in have
                    if kind == LabelKind.ACTION_CATEGORY and status == ACCEPTED and pk not in superseded
                ]
                if action is not None and not stays and all(label_id != action for _, label_id, *_ in have):
                    added.append(
                        (rec_id, action, LabelKind.ACTION_CATEGORY, ACCEPTED, IMPORTED, self.run.pk, "", now)
                    )
                    change["restored"].append(codes[action])
                if change["superseded"] or change["restored"]:
                    changes[rec_id] = change
            Classification.objects.filter(pk__in=superseded).update(status=SUPERSEDED)
            Classification.objects.filter(pk__in=restored).update(status=ACCEPTED)
            insert_rows(Classification, CLASSIFICATION_COLUMNS, added)
            self.labels_superseded += len(superseded)
            self.labels_restored += len(restored) + len(added)
            if not changes:
                continue
            self.updated_ids.update(changes)
            records = Recommendation.objects.filter(pk__in=list(changes)).only("pk", "public_id")
            self.audit.record_events(
                actor=self.run.actor,
                action=RecommendationAction.LABELS_FOLLOWED,
                changes=[
                    (record, {**changes[record.pk], "file": self.run.file_name, "import_run": self.run.pk})
                    for record in records
                ],
            )
            for record in records:
                if len(self.label_changes) < SAMPLE_LIMIT:
                    self.label_changes.append({"public_id": record.public_id, **changes[record.pk]})

    def report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "records_created": self.created,
            "records_updated": len(self.updated_ids),
            "records_unchanged": len(self.touched_ids - self.updated_ids),
            "responses_recorded": len(self.answered) - len(self.responses_changed),
            "responses_changed": self.responses_changed,
            "labels_superseded": self.labels_superseded,
            "labels_restored": self.labels_restored,
            "label_change_samples": self.label_changes,
            "joint_rows_merged": self.joint_rows,
            "duplicate_rows": self.duplicate_rows,
            "action_category_conflicts": self.conflict_count,
            "conflict_samples": [
                {
                    "row": c["row"],
                    "public_id": self.public_id(c["key"]),
                    "kept": c["kept"],
                    "ignored": c["ignored"],
                }
                for c in self.conflicts
            ],
            "change_samples": self.changes,
        }
