"""The labelled records the models learn from and are measured on, read from the registry.

Only ``accepted`` classifications are labels: imported ones, and those a reviewer accepted (so every
review decision feeds the next training). A record counts as labelled for a task when it carries at
least one accepted label of that kind; rejected suggestions on it are then ordinary negatives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from hrcoop.core.batches import batched
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation

TASKS: dict[str, str] = {
    "issues": LabelKind.ISSUE,
    "action_category": LabelKind.ACTION_CATEGORY,
    "sdg_goals": LabelKind.SDG_GOAL,
    "sdg_targets": LabelKind.SDG_TARGET,
    "affected_persons": LabelKind.AFFECTED_PERSONS,
    "themes": LabelKind.THEME,
}
SINGLE_LABEL_KINDS = {LabelKind.ACTION_CATEGORY}


@dataclass
class LabelledSet:
    ids: list[int]
    texts: list[str]
    sessions: list[int | None]
    labels: list[list[str]]

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, sessions: Collection[int]) -> LabelledSet:
        keep = [i for i, s in enumerate(self.sessions) if s is not None and s in sessions]
        return LabelledSet(
            [self.ids[i] for i in keep],
            [self.texts[i] for i in keep],
            [self.sessions[i] for i in keep],
            [self.labels[i] for i in keep],
        )


def labelled_records(kind: str, *, excluded_label_ids: Collection[int] = ()) -> LabelledSet:
    """Every record with an accepted label of ``kind``, its text, session and label codes (sorted).

    The labels in ``excluded_label_ids`` (e.g. those their source has retired) are not labels here:
    a record that carries only such labels is not a labelled record of the task.
    """
    codes: dict[int, list[str]] = defaultdict(list)
    for recommendation_id, code in (
        Classification.objects.filter(kind=kind, status=Classification.Status.ACCEPTED)
        .exclude(label_id__in=list(excluded_label_ids))
        .order_by("recommendation_id", "label__code")
        .values_list("recommendation_id", "label__code")
    ):
        codes[recommendation_id].append(code)
    result = LabelledSet([], [], [], [])
    for batch in batched(sorted(codes)):  # every labelled record: a bounded list per statement
        for pk, text, session in (
            Recommendation.objects.filter(pk__in=batch).order_by("pk").values_list("pk", "text", "session_id")
        ):
            result.ids.append(pk)
            result.texts.append(text)
            result.sessions.append(session)
            result.labels.append(codes[pk])
    return result


def parse_sessions(value: str) -> set[int]:
    """ "1-16" or "17,19-20" -> the session numbers; bad input raises ValueError naming it."""
    sessions: set[int] = set()
    for part in value.split(","):
        part = part.strip()
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(f"{value!r} is not a list of sessions such as '1-16' or '17,19-20'")
        sessions.update(range(int(low), int(high or low) + 1))
    return sessions
