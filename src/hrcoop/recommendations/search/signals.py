"""Keep the search index in step with records saved one by one (forms, services, ``save()``).

The ids saved in a transaction are gathered and indexed in one call right after it commits (the
first callback indexes them all, the others find nothing left). Ids of a transaction that rolled
back stay pending and are skipped harmlessly at the next commit. Bulk writes bypass signals:
importers call ``services.index_recommendations``.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from hrcoop.recommendations.models import Recommendation

_pending = threading.local()


def _flush() -> None:
    from hrcoop.recommendations.search.services import index_recommendations

    ids = getattr(_pending, "ids", set())
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


def connect() -> None:
    post_save.connect(
        _recommendation_saved, sender=Recommendation, dispatch_uid="search-index-recommendation"
    )
