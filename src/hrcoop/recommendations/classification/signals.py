"""After an import commits, its new records are queued for the active models' suggestions.

The import closes each file by saving its ``ImportRun`` with ``finished_at`` set, inside the file's
transaction; the task is enqueued only once that transaction commits, so a dry run or a failed file
(rolled back) queues nothing, and only when some model is active. The work runs in the background
worker (``hrcoop db_worker``): predicting is seconds for a session's records, the SDG model's sentence
vectors longer, and none of it should hold the import's transaction.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from hrcoop.recommendations.models import ImportRun


def _enqueue_suggestions(import_run_id: int) -> None:
    from hrcoop.recommendations.classification.models import ModelVersion
    from hrcoop.recommendations.classification.tasks import suggest_for_import

    if ModelVersion.objects.filter(active=True).exists():
        suggest_for_import.enqueue(import_run_id)


def _import_finished(sender: type[ImportRun], instance: ImportRun, **kwargs: Any) -> None:
    if instance.finished_at is not None and instance.created and not kwargs.get("raw"):
        transaction.on_commit(partial(_enqueue_suggestions, instance.pk))


def connect() -> None:
    post_save.connect(_import_finished, sender=ImportRun, dispatch_uid="classification-import-run")
