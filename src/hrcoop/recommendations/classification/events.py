"""After an import commits records, they are queued for the active models' suggestions.

``import_finished`` (``core.events``) is delivered inside the import's transaction; the task is
enqueued only once that transaction commits, so a failed file (rolled back) queues nothing, and only
when the run created records and some model is active. The work runs in the background worker
(``hrcoop db_worker``): predicting is seconds for a session's records, the SDG model's sentence
vectors longer, and none of it should hold the import's transaction.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from hrcoop.core.events import import_finished
from hrcoop.recommendations.classification.models import ModelVersion


def _enqueue_suggestions(import_run_id: int) -> None:
    # The task's module loads the models' code (scikit-learn, numpy): not at every process's start.
    from hrcoop.recommendations.classification.tasks import suggest_for_import

    if ModelVersion.objects.filter(active=True).exists():
        suggest_for_import.enqueue(import_run_id)


def suggest_after_import(*, import_run_id: int, created_records: bool) -> None:
    if created_records:
        transaction.on_commit(partial(_enqueue_suggestions, import_run_id))


def subscribe() -> None:
    import_finished.subscribe(suggest_after_import)
