"""The unified recommendation record (DESIGN.md §5) and its classifications with provenance.

Identity. A recommendation is one text addressed by a mechanism to one State under review in one
session, with one response: ``identity_key`` hashes (mechanism, State, session, folded text,
response), and joint recommendations - the same words from several recommending States, which UPR
Info splits into one row per State - are therefore one record whose ``recommending_states`` are all
of them. ``public_id`` is derived from the identity key, so the same recommendation has the same
public id on every deployment and across re-imports.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrcoop.reference.models import Mechanism, NamedInLanguages, State, UprCycle, UprSession


class Response(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
    NOTED = "noted", _("Noted")
    PENDING = "pending", _("Pending")
    VOLUNTARY_PLEDGE = "voluntary_pledge", _("Voluntary pledge")


class ImportRun(models.Model):
    """One file imported (or tried in a dry run): the provenance of what it created."""

    format = models.CharField(max_length=30)
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, help_text="What changed, merged or was noted")

    def __str__(self) -> str:
        return f"{self.format} {self.file_name} ({self.started_at:%Y-%m-%d})"


class Recommendation(models.Model):
    # Unique by the constraints in Meta: a field's ``unique=True`` also gives PostgreSQL a second,
    # ``LIKE``-pattern index, which no query uses and every import would maintain.
    public_id = models.CharField(max_length=16)
    identity_key = models.CharField(max_length=64)
    # Not indexed: nothing looks a record up by it (the admin's search reads it with "contains").
    source_id = models.CharField(
        max_length=120,
        blank=True,
        help_text="The source's own id: UHRI annotation id, or document symbol and paragraph",
    )
    # Mechanisms and cycles are a handful of values: an index on either would never be chosen.
    mechanism = models.ForeignKey(Mechanism, on_delete=models.PROTECT, db_index=False)
    document_symbol = models.CharField(max_length=60, blank=True)
    paragraph = models.CharField(max_length=20, blank=True)
    cycle = models.ForeignKey(UprCycle, null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    session = models.ForeignKey(UprSession, null=True, blank=True, on_delete=models.PROTECT)
    date = models.DateField(null=True, blank=True)
    # Indexed by the (state_under_review, session) index below; its own index would only slow imports.
    state_under_review = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="recommendations_received", db_index=False
    )
    recommending_states = models.ManyToManyField(State, related_name="recommendations_made", blank=True)
    text = models.TextField()
    language = models.CharField(max_length=10, default="en")
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.PENDING)
    response_source = models.CharField(max_length=200, blank=True)
    first_import = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by ``selectors.records_in_order``: the accepted labels, by kind and code, as pages show them.
    accepted_classifications: list[Classification]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["public_id"], name="recommendation_public_id_unique"),
            models.UniqueConstraint(fields=["identity_key"], name="recommendation_identity_key_unique"),
        ]
        indexes = [
            models.Index(fields=["state_under_review", "session"]),
            models.Index(fields=["response"]),
        ]

    def __str__(self) -> str:
        return f"{self.public_id}: {self.text[:60]}"


class LabelKind(models.TextChoices):
    ACTION_CATEGORY = "action_category", _("Action category")
    ISSUE = "issue", _("Issue")
    THEME = "theme", _("Theme")
    AFFECTED_PERSONS = "affected_persons", _("Affected persons")
    SDG_GOAL = "sdg_goal", _("SDG goal")
    SDG_TARGET = "sdg_target", _("SDG target")


class Label(NamedInLanguages):
    """One value of a classification vocabulary: an issue, a UHRI theme, an SDG target, ...

    Its ``names`` in the other UN languages come from ``data/label_names.csv`` (docs/languages.md).
    """

    kind = models.CharField(max_length=20, choices=LabelKind.choices)
    code = models.CharField(max_length=120, help_text="Stable code: '5', 'womens-rights', 'A12', '16.2'")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="recommendations_label_unique")]
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.display_name


class LabelAlias(models.Model):
    """Another name of a label in some export (e.g. UPR Info's 2015 "NHRI" for the 2018 label)."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=20, choices=LabelKind.choices)
    key = models.CharField(max_length=200, help_text="The alias folded for matching")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="recommendations_alias_unique")]

    def __str__(self) -> str:
        return self.key


class Provenance(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    PERSON = "person", _("A person")
    MODEL = "model", _("A model")


class Classification(models.Model):
    """A label on a recommendation, and where it came from (DESIGN.md §4.8).

    Only ``accepted`` classifications count in statistics, search facets and exports. A model's output
    is stored as ``suggested`` and never replaces an imported or human label. An imported label that
    a later export of its source dropped is ``superseded``: history, not a fact of the record.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        SUGGESTED = "suggested", _("Suggested")
        REJECTED = "rejected", _("Rejected")
        # Imported from an export that a later export of the same source no longer carries: kept as
        # the record's history, counted nowhere (``services.writer.FileImport.follow_export``).
        SUPERSEDED = "superseded", _("Superseded by a later export")

    # Indexed by the (recommendation, label) unique constraint below.
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="classifications", db_index=False
    )
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="classifications")
    kind = models.CharField(
        max_length=20, choices=LabelKind.choices, help_text="Copy of label.kind for indexing"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    provenance = models.CharField(max_length=10, choices=Provenance.choices)
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set only on decisions by a person, so indexed only where set (the partial index in Meta).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    model_version = models.CharField(max_length=80, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "label"], name="recommendations_classification_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "status", "label"]),
            models.Index(
                fields=["person"], name="classification_person", condition=models.Q(person__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.kind}={self.label_id} ({self.provenance})"

    @property
    def source(self) -> str:
        """Where the label came from, in words: the file, the person, or the model and its confidence."""
        if self.provenance == Provenance.IMPORTED:
            if self.import_run:
                return gettext("imported from %(file)s") % {"file": self.import_run.file_name}
            return gettext("imported")
        if self.provenance == Provenance.PERSON:
            return (
                gettext("set by %(person)s") % {"person": self.person}
                if self.person
                else gettext("set by a person")
            )
        if self.confidence is not None:
            return gettext("model %(version)s, confidence %(confidence).2f") % {
                "version": self.model_version,
                "confidence": self.confidence,
            }
        return gettext("model %(version)s") % {"version": self.model_version}


class KeptFigures(models.Model):
    """Figures over the whole registry (the home page's, the facet counts before anything is asked),
    as a background task last computed them (``recommendations.figures``).

    In the database rather than in the cache: every process of every server reads the same row, a
    restarted cache loses nothing, and a visitor never recomputes them after a write.
    """

    name = models.CharField(max_length=64, primary_key=True)
    version = models.CharField(max_length=200)  # the records' version they were computed at
    computed_at = models.DateTimeField()
    value = models.JSONField()

    def __str__(self) -> str:
        return f"{self.name} at {self.version}"
