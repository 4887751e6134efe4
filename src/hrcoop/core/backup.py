"""``hrcoop dump FILE`` and ``hrcoop restore FILE``: every table, losslessly, between SQLite and PostgreSQL.

Built on Django's serialisation (dumpdata/loaddata in JSON Lines, streamed, ``.gz``/``.bz2``/``.xz``
compressed by the file's name), with one change: times keep their microseconds. Django's JSON encoder
cuts them to milliseconds, and the audit chain hashes each event's time to the microsecond, so a
restored chain would no longer verify. Content types and permissions are not dumped: ``migrate``
creates them, and the rows that point at them name them by natural key.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from hrcoop.core.errors import InvalidInput

FORMAT = "hrcoop-jsonl"
# Rows ``migrate`` makes itself, and django-rq's Dashboard (a model without a table, for the admin page).
NOT_DUMPED = ["contenttypes", "auth.permission", "django_rq"]
SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.bz2", ".jsonl.xz")


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]  # Django's own hook, not in its stubs
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer


def _check_name(path: Path) -> None:
    if not path.name.endswith(SUFFIXES):
        raise InvalidInput(
            f"name the file *.jsonl, or *.jsonl.gz to compress it (not {path.name})", where="FILE"
        )


def table_counts() -> dict[str, int]:
    """Rows per model, every installed app, without the tables ``migrate`` fills itself."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_DUMPED and model._meta.label_lower not in NOT_DUMPED
    }


def dump(path: Path) -> dict[str, int]:
    _check_name(path)
    serializers.register_serializer(FORMAT, __name__)
    call_command(
        "dumpdata", format=FORMAT, natural_foreign=True, exclude=NOT_DUMPED, output=str(path), verbosity=0
    )
    return {label: n for label, n in table_counts().items() if n}


def restore(path: Path) -> dict[str, int]:
    """Create the schema in a new database and load a dump into it. A database with tables is refused:
    loading over rows would mix two states of the platform (and migrations add rows of their own,
    which the dump's rows replace)."""
    _check_name(path)
    if not path.exists():
        raise InvalidInput(f"no file {path}", where="FILE")
    tables = connection.introspection.table_names()
    if tables:
        raise InvalidInput(
            f"restore into a new, empty database; this one has {len(tables)} tables already",
            where="DATABASE_URL",
        )
    call_command("migrate", verbosity=0)
    call_command("loaddata", str(path), verbosity=0)
    return {label: n for label, n in table_counts().items() if n}
