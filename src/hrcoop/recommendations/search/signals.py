"""Keep the search index in step with records saved one by one (forms, services, ``save()``).

The ids saved in a transaction are gathered and indexed in one call right after it commits (the
first callback indexes them all, the others find nothing left). Ids of a transaction that rolled
back stay pending and are skipped harmlessly at the next commit.

Importers write rows with plain INSERTs that send no signals; they close each file by saving its
``ImportRun`` with ``finished_at`` set, inside the file's transaction. That save indexes every record
whose tokens are missing or older than the record, in the same transaction: a dry run rolls the
index back with the records, and a committed import is searchable at once.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from hrcoop.recommendations.models import ImportRun, Recommendation

_pending = threading.local()


def _flush() -> None:
    from hrcoop.recommendations.search.services import index_recommendations

    ids: set[int] = getattr(_pending, "ids", set())
    _pending.ids = set()
    if ids:
        index_recommendations(sorted(ids))


def _recommendation_saved(sender: type[Recommendation], instance: Recommendation, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    ids: set[int] = getattr(_pending, "ids", set())
    ids.add(instance.pk)
    _pending.ids = ids
    transaction.on_commit(_flush)


def _import_finished(sender: type[ImportRun], instance: ImportRun, **kwargs: Any) -> None:
    from hrcoop.recommendations.search.services import index_recommendations

    if instance.finished_at is not None and not kwargs.get("raw"):
        index_recommendations()


def connect() -> None:
    post_save.connect(_import_finished, sender=ImportRun, dispatch_uid="search-index-import-run")
    post_save.connect(
        _recommendation_saved, sender=Recommendation, dispatch_uid="search-index-recommendation"
    )
