"""Suggestions for what an import brought: a new session arrives, and its records reach the review
queue already tagged by the active models, without anyone running ``hrcoop classify apply``."""

from __future__ import annotations

from django_tasks import task

from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.models import ModelVersion
from hrcoop.recommendations.models import Recommendation


@task()
def suggest_for_import(import_run_id: int) -> dict[str, dict[str, int]]:
    """Each active model's suggestions for the records this import created (those of them without an
    accepted label of the model's kind); returns what each stored, by kind."""
    new_records = Recommendation.objects.filter(first_import_id=import_run_id)
    kinds = sorted(ModelVersion.objects.filter(active=True).values_list("kind", flat=True))
    return {kind: services.apply(kind, actor=None, records=new_records) for kind in kinds}
