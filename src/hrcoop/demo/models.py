"""Which records the demo made: the list that pages, the refusal to load twice and removal read."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models


class DemoRecord(models.Model):
    """One record made by the demo loader, named by its type and primary key.

    A list beside the records rather than a flag on each: the demo spans five apps, none of which
    should carry a column for it, and removal needs only this table to find everything it made.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_record_unique"),
        ]

    def __str__(self) -> str:
        return f"demo {self.content_type.model} {self.object_id}"
