"""What search keeps beside the registry: index tokens and sentence vectors, one row per recommendation.

Both are derived from the record and can be rebuilt at any time (``hrcoop search reindex --full``).
The tokens are of the text and of the facet values (recommending States, accepted labels, ...); the
vector is of the text. ``source_updated_at`` is the record's ``updated_at`` when the row was computed,
so a row whose text changed is found by comparison; label and recommending-State changes are followed
by the receivers of the domain events (``search.events``). The engine-specific index over
``SearchDocument`` (an FTS5 table on SQLite, generated ``tsvector`` columns with GIN indexes on
PostgreSQL) is created by ``engines``.
"""

from __future__ import annotations

from django.db import models

from hrcoop.recommendations.models import Recommendation


class SearchDocument(models.Model):
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    stems = models.TextField(help_text="Stemmed, folded tokens of the text, space-separated")
    words = models.TextField(help_text="Folded words of the text, for prefix queries")
    facets = models.TextField(default="", help_text="Facet tokens of the record (see search.facets)")
    source_updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"search tokens of recommendation {self.recommendation_id}"


class Embedding(models.Model):
    """A multilingual sentence vector, int8-quantised (512 bytes), of one recommendation's text.

    ``generation`` is the vectors' version (``core.versions``, ``search-vectors``) of the write that
    stored it: the vector index knows the version it was built at, so the rows newer than the index
    are found through this column's index, without scanning the table.
    """

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    vector = models.BinaryField()
    model = models.CharField(max_length=60)
    source_updated_at = models.DateTimeField()
    generation = models.PositiveBigIntegerField(default=0, db_index=True)

    def __str__(self) -> str:
        return f"{self.model} vector of recommendation {self.recommendation_id}"
