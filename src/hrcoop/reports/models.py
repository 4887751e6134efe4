"""A report built from the site: what was asked, how far the build is, its files, and whether it is public.

The secretariat asks for a report (kind, year, language and, for some kinds, a State or a fund); a
background task builds it and records its progress here; the secretariat previews it and publishes it.
The public sees published reports only, each with its build date and the data version it was built from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportBuild(models.Model):
    class Kind(models.TextChoices):
        FUND_UPDATE = "fund-update", _("Annual update of a fund")
        COOPERATION = "cooperation", _("Report on international cooperation (para. 32)")
        COUNTRY = "country", _("Country profile")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        BUILT = "built", _("Built, awaiting publication")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(max_length=3, blank=True, help_text="ISO3 of the State of a country profile")
    fund = models.CharField(max_length=20, blank=True, help_text="Code of the fund of a fund update")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done while building")
    error = models.TextField(blank=True)
    data_version = models.CharField(max_length=16, blank=True)
    html = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    built_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "kind", "year"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.language} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
