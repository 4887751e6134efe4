"""The reference rows a record and the search's facets show (States, regional groups, organisations,
mechanisms, cycles, sessions, labels, and the import files of labels), kept per process.

A page of twenty records names some 60 reference rows and 76 labels. Joining and building them for
every page was two thirds of a search request's time in Python (6 ms of 7 at 41k records on SQLite,
``bench/search.py``): these few hundred rows change a handful of times a year (an import run, once
written, only ever gets a new neighbour), so each process keeps them, and a page attaches the same
instances to its records.

The copy is keyed by the version of the reference rows (``registry_version.REFERENCE``), one
primary-key lookup, so it is never stale: every write to these tables goes through a service that
sends ``reference_changed`` (``core.events``), which raises that version. Records imported or
corrected raise another (``REGISTRY``), which leaves the copy in place. The API's cached answers and
ETags, which show these rows too, are keyed by both. A row missing from the copy (created since, in this very
transaction, or a new import run, which raises the version only when it created records) reloads it.

The instances are shared between requests: they are for reading, never for saving.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from hrcoop.recommendations.models import ImportRun, Label
from hrcoop.recommendations.registry_version import REFERENCE, registry_key
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State, UprCycle, UprSession

CACHED_MODELS: tuple[type[Model], ...] = (
    State,
    RegionalGroup,
    Organisation,
    Mechanism,
    UprCycle,
    UprSession,
    Label,
    ImportRun,
)


@dataclass(frozen=True)
class _Copy:
    version: str
    rows: dict[type[Model], dict[Any, Model]]


_copy: _Copy | None = None  # replaced whole, never changed in place: threads need no lock


def _rows_of(model: type[Model]) -> Any:
    if model is ImportRun:  # of an import only its file's name is shown; its report can be large
        return ImportRun.objects.only("pk", "file_name")
    return model._default_manager.all()


def _load(version: str) -> _Copy:
    global _copy
    copy = _Copy(version, {model: {obj.pk: obj for obj in _rows_of(model)} for model in CACHED_MODELS})
    if version:  # rows never written through the services have nothing to key a copy by
        _copy = copy
    return copy


class ReferenceRows:
    """The reference rows of their current version: ``rows.get(State, pk)``.

    ``version``: the token of that version (``registry_keys().reference``) when the caller read it
    already; else it is read here.
    """

    def __init__(self, version: str | None = None) -> None:
        version = registry_key((REFERENCE,)) if version is None else version
        copy = _copy
        self._copy = copy if copy is not None and copy.version == version else None
        self._version = version

    def get(self, model: type[Model], pk: Any) -> Any:
        if self._copy is None or pk not in self._copy.rows[model]:
            self._copy = _load(self._version)
        return self._copy.rows[model][pk]

    def all(self, model: type[Model]) -> dict[Any, Any]:
        """Every row of ``model``, by primary key."""
        if self._copy is None:
            self._copy = _load(self._version)
        return self._copy.rows[model]
