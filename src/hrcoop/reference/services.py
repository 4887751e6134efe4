"""Loading reference data: the project's own fact files, and the SDG texts in six languages."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

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


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update every reference record from ``data/``; running it again changes nothing."""
    for code, name in REGIONAL_GROUPS.items():
        RegionalGroup.objects.update_or_create(code=code, defaults={"name": name})
    for row in _rows("states.csv"):
        state, _ = State.objects.update_or_create(
            iso3=row["iso3"],
            defaults={
                "iso2": row["iso2"],
                "m49": row["m49"],
                "name": row["name"],
                "status": row["status"],
                "regional_group_id": row["regional_group"] or None,
                "ldc": row["ldc"] == "1",
                "lldc": row["lldc"] == "1",
                "sids": row["sids"] == "1",
            },
        )
        for alias in filter(None, [row["name"], *row["aliases"].split("|")]):
            StateName.objects.update_or_create(key=name_key(alias), defaults={"state": state, "name": alias})
    states = dict(State.objects.values_list("iso3", "pk"))
    for row in _rows("organisations.csv"):
        org, _ = Organisation.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
        org.members.set([states[iso3] for iso3 in row["members"].split("|") if iso3])
    for row in _rows("mechanisms.csv"):
        Mechanism.objects.update_or_create(
            code=row["code"], defaults={"kind": row["kind"], "name": row["name"]}
        )
    for number, (first, last) in CYCLES.items():
        UprCycle.objects.update_or_create(
            number=number, defaults={"first_session": first, "last_session": last}
        )
    for row in _rows("upr_sessions.csv"):
        UprSession.objects.update_or_create(
            number=int(row["session"]), defaults={"cycle_id": int(row["cycle"]), "year": int(row["year"])}
        )
    for row in _rows("sdg_goals.csv"):
        goal, created = SdgGoal.objects.get_or_create(number=int(row["goal"]))
        if created or not goal.short_titles:
            goal.short_titles = {"en": row["short_title"]}
            goal.save(update_fields=["short_titles"])
    position: dict[str, int] = {}
    for row in _rows("sdg_targets.csv"):
        position[row["goal"]] = position.get(row["goal"], 0) + 1
        SdgTarget.objects.update_or_create(
            code=row["code"], defaults={"goal_id": int(row["goal"]), "position": position[row["goal"]]}
        )
    for row in _rows("funds.csv"):
        Fund.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "currency": row["currency"]}
        )
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
