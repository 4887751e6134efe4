"""Every write of reference data: loading the project's own fact files and the SDG texts in six
languages, and a person's edits of the rows that records show (from the admin).

Each write sends the domain events (``core.events``) that derived data follows: ``reference_changed``
when a row that records show changed (the registry's version, and so its caches, follow), and
``memberships_changed`` when States changed regional group or organisations (the search index holds
those as facet tokens of their records).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError

from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, InvalidInput
from hrcoop.core.events import memberships_changed, records_changed, reference_changed
from hrcoop.core.models import User
from hrcoop.reference.actions import ReferenceAction
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
from hrcoop.reference.translations import names_file, state_names

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
    translated = names_file(DATA_DIR / "names.csv")
    _upsert(
        RegionalGroup,
        [
            RegionalGroup(code=code, name=name, names=translated.get(("regional_group", code), {}))
            for code, name in REGIONAL_GROUPS.items()
        ],
        key="code",
        fields=["name", "names"],
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
                names=state_names(row["iso3"], row["iso2"]),
                status=row["status"],
                regional_group_id=row["regional_group"] or None,
                ldc=row["ldc"] == "1",
                lldc=row["lldc"] == "1",
                sids=row["sids"] == "1",
            )
            for row in state_rows
        ],
        key="iso3",
        fields=["iso2", "m49", "name", "names", "status", "regional_group", "ldc", "lldc", "sids"],
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
        [
            Organisation(
                code=row["code"], name=row["name"], names=translated.get(("organisation", row["code"]), {})
            )
            for row in org_rows
        ],
        key="code",
        fields=["name", "names"],
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
        memberships_changed.send(state_ids=sorted(moved))
    _upsert(
        Mechanism,
        [
            Mechanism(
                code=row["code"],
                kind=row["kind"],
                name=row["name"],
                names=translated.get(("mechanism", row["code"]), {}),
            )
            for row in _rows("mechanisms.csv")
        ],
        key="code",
        fields=["kind", "name", "names"],
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
        [
            Fund(
                code=row["code"],
                name=row["name"],
                names=translated.get(("fund", row["code"]), {}),
                currency=row["currency"],
            )
            for row in _rows("funds.csv")
        ],
        key="code",
        fields=["name", "names", "currency"],
    )
    if _shown_rows() != shown_before:
        reference_changed.send()
    return {
        "states": State.objects.count(),
        "organisations": Organisation.objects.count(),
        "mechanisms": Mechanism.objects.count(),
        "upr_sessions": UprSession.objects.count(),
        "sdg_targets": SdgTarget.objects.count(),
        "funds": Fund.objects.count(),
    }


# libyaml's safe loader when PyYAML was built with it (the wheels are): the same documents, read some
# thirty times faster than by the pure-Python one, which took seconds over the SDG texts' six languages.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=SAFE_LOADER)
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


# --- a person's edits ----------------------------------------------------------------------------

# The reference rows that records show, which a person may create, change and delete. The SDG texts
# and the spellings of State names come from files (``load_sdg_texts``, ``load_reference_data``) only.
EDITABLE_MODELS: tuple[type[Model], ...] = (
    State,
    RegionalGroup,
    Organisation,
    Mechanism,
    UprCycle,
    UprSession,
)


def fixed_fields(model: type[Model]) -> list[str]:
    """Fields set once: a code that is the key (rows refer to it) and a State's ISO code, which
    records' identity keys and the focal points' scopes hold."""
    keys = [f.name for f in model._meta.concrete_fields if f.primary_key and f.name != "id"]
    return [*keys, "iso3"] if model is State else keys


def _check_editable(model: type[Model]) -> None:
    if model not in EDITABLE_MODELS:
        raise InvalidInput(f"{model._meta.verbose_name} is not reference data a person edits", where="model")


def _snapshot(row: Model, names: Any) -> dict[str, Any]:
    """The stored form of these fields (a foreign key as its key), for the audit log."""
    fields = {f.name: f for f in row._meta.concrete_fields}
    return {name: fields[name].value_from_object(row) for name in names}


def _fields(row: Model) -> list[str]:
    """Every stored field: a code that is the primary key too, but not an automatic id."""
    return [f.name for f in row._meta.concrete_fields if not (f.primary_key and f.name == "id")]


def _validate(row: Model) -> None:
    try:
        row.full_clean(validate_unique=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(f"{row._meta.verbose_name}: {' '.join(messages)}", where=field) from exc


@transaction.atomic
def create_reference_row(model: type[M], *, actor: User | None, values: dict[str, Any]) -> M:
    """Add a State, regional group, organisation, mechanism, cycle or session; audited with its values."""
    _check_editable(model)
    row = model(**values)
    _validate(row)
    row.save()
    record_event(
        actor=actor, action=ReferenceAction.CREATED, target=row, data={"after": _snapshot(row, _fields(row))}
    )
    reference_changed.send()
    return row


@transaction.atomic
def update_reference_row(row: M, *, actor: User | None, changes: dict[str, Any]) -> M:
    """Change fields of a reference row; the old and new values go to the audit log.

    A State moved to another regional group changes the facet tokens of every record it reviews or
    recommends: ``memberships_changed`` has them reindexed in this transaction.
    """
    _check_editable(type(row))
    editable = set(_fields(row)) - set(fixed_fields(type(row)))
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise InvalidInput(
            f"these fields of a {row._meta.verbose_name} cannot be changed: {', '.join(unknown)}",
            where=unknown[0],
        )
    before = _snapshot(row, changes)
    stored = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    after = _snapshot(row, changes)
    if after == before:
        return row
    try:
        _validate(row)
    except InvalidInput:
        for attname, value in stored.items():  # the caller's instance shows the row as it still is
            setattr(row, attname, value)
        raise
    row.save(update_fields=list(changes))
    record_event(
        actor=actor, action=ReferenceAction.CHANGED, target=row, data={"before": before, "after": after}
    )
    if isinstance(row, State) and before.get("regional_group") != after.get("regional_group"):
        memberships_changed.send(state_ids=[row.pk])
    reference_changed.send()
    return row


@transaction.atomic
def set_organisation_members(
    organisation: Organisation, states: Iterable[State], *, actor: User | None
) -> None:
    """Make ``states`` the organisation's members; who joined and who left go to the audit log."""
    before = dict(organisation.members.values_list("pk", "iso3"))
    after = {state.pk: state.iso3 for state in states}
    if before.keys() == after.keys():
        return
    organisation.members.set(list(after))
    record_event(
        actor=actor,
        action=ReferenceAction.MEMBERS_CHANGED,
        target=organisation,
        data={"before": sorted(before.values()), "after": sorted(after.values())},
    )
    memberships_changed.send(state_ids=sorted(before.keys() ^ after.keys()))
    reference_changed.send()


@transaction.atomic
def delete_reference_row(row: Model, *, actor: User | None) -> None:
    """Delete a reference row that nothing refers to; its last values go to the audit log.

    An organisation's members lose it, and a State's recommendations lose it as a recommending State:
    the records concerned are reindexed in this transaction.
    """
    _check_editable(type(row))
    leaving = sorted(row.members.values_list("pk", flat=True)) if isinstance(row, Organisation) else []
    recommended = (
        sorted(row.recommendations_made.values_list("pk", flat=True))  # type: ignore[attr-defined]
        if isinstance(row, State)
        else []
    )
    record_event(
        actor=actor, action=ReferenceAction.DELETED, target=row, data={"before": _snapshot(row, _fields(row))}
    )
    try:
        row.delete()
    except ProtectedError as exc:
        raise Conflict(
            f"{row._meta.verbose_name} {row} is still referred to by {len(exc.protected_objects)} rows: "
            "delete or change those first",
            where=str(row.pk),
        ) from exc
    if leaving:
        memberships_changed.send(state_ids=leaving)
    if recommended:
        records_changed.send(ids=recommended, text_changed=False)
    reference_changed.send()
