"""The workflow declared on ``AssistanceRequest``, read back as data.

django-fsm-2 keeps one ``Transition`` per (step, source); this module groups them into one
``WorkflowStep`` per step with all its sources, so that services, pages, the API and the process page
ask one table. Nothing here declares a step: the declarations are the ``@transition``s in models.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_fsm import RETURN_VALUE, Transition

from hrcoop.assistance.models import ACTOR_LABELS, AssistanceRequest, Status, StrOrPromise


@dataclass(frozen=True)
class WorkflowStep:
    name: str
    label: StrOrPromise  # translated when shown, in the reader's language
    description: StrOrPromise
    actor: str  # "state", "secretariat" or "board"
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    conditions: tuple[Callable[[Any], bool], ...]
    provide: StrOrPromise
    reason_required: bool
    public_reason: bool
    via: str  # "" when taken on the request itself; else the app whose service takes it
    transition: Transition

    @property
    def actor_label(self) -> str:
        return str(ACTOR_LABELS[self.actor])


def _targets(target: object) -> tuple[str, ...]:
    if isinstance(target, RETURN_VALUE):
        return tuple(str(s) for s in (target.allowed_states or ()))
    return (str(target),)


def _build() -> dict[str, WorkflowStep]:
    field = AssistanceRequest._meta.get_field("status")
    grouped: dict[str, list[Transition]] = {}
    for transition in field.get_all_transitions(AssistanceRequest):  # type: ignore[attr-defined]
        grouped.setdefault(transition.name, []).append(transition)
    steps: dict[str, WorkflowStep] = {}
    order = {status: index for index, status in enumerate(Status.values)}
    for name, transitions in grouped.items():
        first = transitions[0]
        custom = first.custom
        steps[name] = WorkflowStep(
            name=name,
            label=custom["label"],
            description=custom["explains"],
            actor=str(custom["actor"]),
            sources=tuple(sorted((str(t.source) for t in transitions), key=lambda s: order.get(s, 99))),
            targets=_targets(first.target),
            conditions=tuple(first.conditions),
            provide=custom["provide"],
            reason_required=bool(custom["reason_required"]),
            public_reason=bool(custom["public_reason"]),
            via=str(custom["via"]),
            transition=first,
        )
    # In the order the steps are declared on the model, which follows a request from draft to closed.
    return dict(sorted(steps.items(), key=lambda item: item[1].transition.method.__code__.co_firstlineno))


TRANSITIONS: dict[str, WorkflowStep] = _build()
