"""Loading reference data: the project's own fact files, and the SDG texts in six languages."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db import transaction
from django.db.models import Model

from hrcoop.core.errors import InvalidInput
from hrcoop.reference.models import (
    Fund,
    Mechanism,
    Organisation,
    RegionalGroup,
    SdgGoal,
    SdgIndicator,
    SdgTarget,
    State,
    StateName,
    UprCycle,
    UprSession,
)
from hrcoop.reference.names import name_key
from hrcoop.reference.signals import memberships_changed, reference_changed

M = TypeVar("M", bound=Model)

DATA_DIR = Path(__file__).with_name("data")

REGIONAL_GROUPS = {
    "AFRICAN": "African States",
    "APG": "Asia-Pacific States",
    "EEG": "Eastern European States",
    "GRULAC": "Latin American and Caribbean States",
    "WEOG": "Western European and other States",
}
CYCLES = {1: (1, 12), 2: (13, 26), 3: (27, 40), 4: (41, 54)}
SDG_LANGUAGES = {"en": "en", "fr": "fr", "es": "es", "ar": "ar", "ru": "ru", "zh-Hans": "zh-hans"}


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def _upsert(model: type[M], objects: Sequence[M], *, key: str, fields: list[str]) -> None:
    """Insert the missing rows and bring the listed fields of existing ones up to date: one statement."""
    model._default_manager.bulk_create(
        objects, update_conflicts=True, unique_fields=[key], update_fields=fields
    )


def _shown_rows() -> list[list[tuple[Any, ...]]]:
    """The reference rows that records show or are found by (a few hundred), to tell whether a load
    changed any: States with their regional groups and organisations, mechanisms, cycles, sessions."""
    shown = (
        State,
        RegionalGroup,
        Organisation,
        Organisation.members.through,
        Mechanism,
        UprCycle,
        UprSession,
    )
    return [list(m._default_manager.order_by("pk").values_list()) for m in shown]


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update every reference record from ``data/``; running it again changes nothing.

    Written as a few bulk statements rather than a query per row: tests load it for every case that
    needs States, and a deployment's ``hrcoop init`` runs it at each start.
    """
    shown_before = _shown_rows()
    _upsert(
        RegionalGroup,
        [RegionalGroup(code=code, name=name) for code, name in REGIONAL_GROUPS.items()],
        key="code",
        fields=["name"],
    )
    state_rows = list(_rows("states.csv"))
    groups_before = dict(State.objects.values_list("pk", "regional_group_id"))
    _upsert(
        State,
        [
            State(
                iso3=row["iso3"],
                iso2=row["iso2"],
                m49=row["m49"],
                name=row["name"],
                status=row["status"],
                regional_group_id=row["regional_group"] or None,
                ldc=row["ldc"] == "1",
                lldc=row["lldc"] == "1",
                sids=row["sids"] == "1",
            )
            for row in state_rows
        ],
        key="iso3",
        fields=["iso2", "m49", "name", "status", "regional_group", "ldc", "lldc", "sids"],
    )
    states = dict(State.objects.values_list("iso3", "pk"))
    names = {
        name_key(alias): StateName(key=name_key(alias), name=alias, state_id=states[row["iso3"]])
        for row in state_rows
        for alias in filter(None, [row["name"], *row["aliases"].split("|")])
    }
    _upsert(StateName, list(names.values()), key="key", fields=["name", "state"])
    org_rows = list(_rows("organisations.csv"))
    _upsert(
        Organisation,
        [Organisation(code=row["code"], name=row["name"]) for row in org_rows],
        key="code",
        fields=["name"],
    )
    membership = Organisation.members.through
    wanted = {(row["code"], states[iso3]) for row in org_rows for iso3 in row["members"].split("|") if iso3}
    have = set(membership.objects.values_list("organisation_id", "state_id"))
    membership.objects.bulk_create(
        [membership(organisation_id=org, state_id=state) for org, state in wanted - have]
    )
    for org, state in have - wanted:
        membership.objects.filter(organisation_id=org, state_id=state).delete()
    # States whose regional group or organisations changed: records' facet tokens name them.
    moved = {
        pk
        for pk, group in State.objects.values_list("pk", "regional_group_id")
        if pk in groups_before and groups_before[pk] != group
    }
    moved |= {state for _, state in wanted ^ have}
    if moved:
        memberships_changed.send(sender=State, state_ids=sorted(moved))
    _upsert(
        Mechanism,
        [Mechanism(code=row["code"], kind=row["kind"], name=row["name"]) for row in _rows("mechanisms.csv")],
        key="code",
        fields=["kind", "name"],
    )
    _upsert(
        UprCycle,
        [UprCycle(number=n, first_session=first, last_session=last) for n, (first, last) in CYCLES.items()],
        key="number",
        fields=["first_session", "last_session"],
    )
    _upsert(
        UprSession,
        [
            UprSession(number=int(row["session"]), cycle_id=int(row["cycle"]), year=int(row["year"]))
            for row in _rows("upr_sessions.csv")
        ],
        key="number",
        fields=["cycle", "year"],
    )
    # Goals keep the texts ``load_sdg_texts`` gave them: only missing goals are created here.
    SdgGoal.objects.bulk_create(
        [
            SdgGoal(number=int(row["goal"]), short_titles={"en": row["short_title"]})
            for row in _rows("sdg_goals.csv")
        ],
        ignore_conflicts=True,
    )
    position: dict[str, int] = {}
    targets = []
    for row in _rows("sdg_targets.csv"):
        position[row["goal"]] = position.get(row["goal"], 0) + 1
        targets.append(SdgTarget(code=row["code"], goal_id=int(row["goal"]), position=position[row["goal"]]))
    _upsert(SdgTarget, targets, key="code", fields=["goal", "position"])
    _upsert(
        Fund,
        [Fund(code=row["code"], name=row["name"], currency=row["currency"]) for row in _rows("funds.csv")],
        key="code",
        fields=["name", "currency"],
    )
    if _shown_rows() != shown_before:
        reference_changed.send(sender=State)
    return {
        "states": State.objects.count(),
        "organisations": Organisation.objects.count(),
        "mechanisms": Mechanism.objects.count(),
        "upr_sessions": UprSession.objects.count(),
        "sdg_targets": SdgTarget.objects.count(),
        "funds": Fund.objects.count(),
    }


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise InvalidInput(f"missing file {path}", where=str(path)) from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(f"not valid YAML: {exc}", where=str(path)) from exc
    if not isinstance(data, dict):
        raise InvalidInput("expected a mapping of ids to texts", where=str(path))
    return data


def _dotted(key: str) -> str:
    """``"16-a-title"`` -> ``"16.a"``; ``"1-1-1-title"`` -> ``"1.1.1"``."""
    return key.rsplit("-", 1)[0].replace("-", ".")


@transaction.atomic
def load_sdg_texts(directory: Path) -> dict[str, int]:
    """Load goal, target and indicator texts in the six languages from Open SDG translation files.

    ``directory`` holds one folder per language (``en``, ``fr``, ``es``, ``ar``, ``ru``, ``zh-Hans``),
    each with ``global_goals.yml``, ``global_targets.yml`` and ``global_indicators.yml``.
    """
    directory = Path(directory)
    missing = [lang for lang in SDG_LANGUAGES if not (directory / lang).is_dir()]
    if missing:
        raise InvalidInput(f"no folder for language(s) {', '.join(missing)}", where=str(directory))
    goals = {g.number: g for g in SdgGoal.objects.all()}
    targets = {t.code: t for t in SdgTarget.objects.all()}
    indicators: dict[str, SdgIndicator] = {i.code: i for i in SdgIndicator.objects.all()}
    for folder, lang in SDG_LANGUAGES.items():
        for key, text in _read_yaml(directory / folder / "global_goals.yml").items():
            number, _, kind = key.partition("-")
            goal = goals.get(int(number)) if number.isdigit() else None
            if goal is None:
                raise InvalidInput(
                    f"unknown goal {key!r}", where=str(directory / folder / "global_goals.yml")
                )
            (goal.titles if kind == "title" else goal.short_titles)[lang] = str(text)
        for key, text in _read_yaml(directory / folder / "global_targets.yml").items():
            target = targets.get(_dotted(key))
            if target is None:
                raise InvalidInput(
                    f"unknown target {key!r}", where=str(directory / folder / "global_targets.yml")
                )
            target.titles[lang] = str(text)
        for key, text in _read_yaml(directory / folder / "global_indicators.yml").items():
            code = _dotted(key)
            target_code = code.rsplit(".", 1)[0]
            if target_code not in targets:
                raise InvalidInput(
                    f"indicator {key!r} belongs to no known target",
                    where=str(directory / folder / "global_indicators.yml"),
                )
            indicator = indicators.setdefault(code, SdgIndicator(code=code, target_id=target_code, titles={}))
            indicator.titles[lang] = str(text)
    SdgGoal.objects.bulk_update(goals.values(), ["titles", "short_titles"])
    SdgTarget.objects.bulk_update(targets.values(), ["titles"])
    SdgIndicator.objects.bulk_create(
        indicators.values(), update_conflicts=True, unique_fields=["code"], update_fields=["titles", "target"]
    )
    return {"goals": len(goals), "targets": len(targets), "indicators": len(indicators)}
