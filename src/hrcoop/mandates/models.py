"""Resolutions stored as data: paragraphs, the citations between texts, and mandates with their deadlines.

A resolution is identified by ``key``: its symbol when it has one (``A/HRC/RES/14/6``), otherwise its
number and title (a draft such as "47/..."). ``cite_key`` is how other texts cite it (``HRC res 14/6``),
which is what links a ``Citation`` to its target. A mandate's due dates are copied from the session
calendar at import, so that "overdue" is a plain query.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Resolution(models.Model):
    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        DRAFT = "draft", _("Draft resolution")
        DECISION = "decision", _("Decision")

    key = models.CharField(max_length=300, unique=True)
    cite_key = models.CharField(max_length=40, blank=True, db_index=True, help_text="e.g. 'HRC res 14/6'")
    symbol = models.CharField(max_length=60, blank=True)
    number = models.CharField(max_length=20, blank=True, help_text="e.g. '14/6' or '47/...' for a draft")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    body = models.CharField(max_length=10, help_text="HRC, GA, ...")
    session = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.TextField()
    agenda_item = models.CharField(max_length=40, blank=True)
    agenda_title = models.TextField(blank=True)
    document_date = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)
    meeting = models.CharField(max_length=40, blank=True)
    adoption = models.TextField(blank=True, help_text="How it was adopted: 'Adopted without a vote.'")
    sponsors = models.JSONField(
        default=list, blank=True, help_text="[{name, iso3, on_behalf_of, non_member}]"
    )
    footnotes = models.JSONField(default=list, blank=True, help_text="[{marker, text}] in order")
    warnings = models.JSONField(default=list, blank=True, help_text="What the parser could not read cleanly")
    language = models.CharField(max_length=10, default="en")
    source = models.CharField(max_length=300, help_text="The file it was imported from")
    source_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["body", "session", "id"]

    def __str__(self) -> str:
        return f"{self.number or self.symbol} {self.title}"


class Paragraph(models.Model):
    class Kind(models.TextChoices):
        PREAMBULAR = "preambular", _("Preambular")
        OPERATIVE = "operative", _("Operative")

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="paragraphs")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(help_text="Order in the document, from 1")
    position = models.PositiveSmallIntegerField(help_text="Order within its kind, from 1")
    number = models.CharField(max_length=10, blank=True, help_text="Printed number of an operative paragraph")
    anchor = models.CharField(max_length=12, help_text="'pp3' or 'op32': the fragment of its link")
    phrase = models.CharField(max_length=120, blank=True, help_text="Opening phrase or verb phrase")
    text = models.TextField()
    subparagraphs = models.JSONField(default=list, blank=True, help_text="[{label, text}]")
    footnote_markers = models.JSONField(default=list, blank=True, help_text="[[marker, offset in text]]")
    addressees = models.JSONField(default=list, blank=True, help_text="[{code, text}]")

    class Meta:
        ordering = ["resolution", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "anchor"], name="mandates_paragraph_unique_anchor")
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number} {self.anchor}"


class Citation(models.Model):
    """One reference from a paragraph (its text, a sub-paragraph or a footnote) to another text."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="citations")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="citations")
    location = models.CharField(max_length=12, blank=True, help_text="'' (the text), '(a)', or 'fn 1'")
    key = models.CharField(max_length=200, db_index=True, help_text="'GA res 70/1', a symbol, an instrument")
    kind = models.CharField(max_length=12)
    body = models.CharField(max_length=10, blank=True)
    number = models.CharField(max_length=200)
    text = models.TextField(help_text="The words of the reference")
    cited_date = models.DateField(null=True, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    target = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.SET_NULL, related_name="cited_by"
    )

    class Meta:
        ordering = ["resolution", "paragraph", "start"]

    def __str__(self) -> str:
        return self.key


class Mandate(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        ACTION = "action", _("Action")
        RENEWAL = "renewal", _("Renewal of a mandate")
        ESTABLISHMENT = "establishment", _("Establishment")
        CONSIDERATION = "consideration", _("Further consideration")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        OVERDUE = "overdue", _("Overdue")

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="mandates")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="mandates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    addressee = models.CharField(max_length=30, db_index=True, help_text="Code of the first addressee")
    addressees = models.JSONField(default=list, help_text="[{code, text}] every addressee")
    due_body = models.CharField(max_length=10, blank=True)
    due_session = models.PositiveSmallIntegerField(null=True, blank=True)
    due_start = models.DateField(null=True, blank=True)
    due_end = models.DateField(null=True, blank=True)
    recurrence = models.CharField(max_length=10, blank=True, help_text="'annual' or ''")
    deadline_text = models.CharField(max_length=200, blank=True)
    renewal_years = models.PositiveSmallIntegerField(null=True, blank=True)
    fulfilled_by = models.CharField(
        max_length=80, blank=True, help_text="Symbol of the document that fulfils it"
    )
    fulfilled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_end", "resolution", "paragraph__position"]

    def __str__(self) -> str:
        return f"{self.resolution.number} {self.paragraph.anchor} ({self.addressee})"

    def status_on(self, today: date) -> str:
        if self.fulfilled_by:
            return self.Status.FULFILLED
        if self.due_end and self.due_end < today:
            return self.Status.OVERDUE
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)
