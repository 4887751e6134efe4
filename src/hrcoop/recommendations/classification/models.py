"""Trained model versions and measured evaluations: what made each suggestion, and how good it is.

The fitted estimator itself is a file (tens of megabytes of weights do not belong in a table); the row
says which file, what it was trained on, and what it scored on held-out records, so every suggestion's
``model_version`` can be traced back to its training.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hrcoop.recommendations.models import LabelKind


class ModelVersion(models.Model):
    version = models.CharField(max_length=80, unique=True, help_text="e.g. issue-20261127T141200")
    kind = models.CharField(max_length=20, choices=LabelKind.choices)
    created_at = models.DateTimeField()
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    records = models.PositiveIntegerField(help_text="Labelled records it was trained on")
    labels = models.JSONField(default=list, help_text="Label codes it can suggest")
    holdout = models.JSONField(default=dict, help_text="Figures on the held-out training sessions")
    artifact = models.CharField(max_length=200, help_text="File name in the model directory")
    active = models.BooleanField(default=False, help_text="The version `hrcoop classify apply` uses")
    accept_threshold = models.FloatField(
        null=True,
        blank=True,
        help_text="Suggestions at or above this confidence may be accepted together, without review",
    )
    accept_precision = models.FloatField(
        null=True,
        blank=True,
        help_text="Share of held-out suggestions at or above the threshold that were right",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.version


class EvaluationRun(models.Model):
    """One run of ``hrcoop classify evaluate``: the split and every figure it printed (public page)."""

    created_at = models.DateTimeField()
    train_sessions = models.CharField(max_length=40)
    test_sessions = models.CharField(max_length=40)
    results = models.JSONField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"evaluation {self.created_at:%Y-%m-%d %H:%M} ({self.train_sessions} -> {self.test_sessions})"
