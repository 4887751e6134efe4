"""The facts everything else points at. Loaded from the project's files in ``data/`` by ``hrcoop init``.

Multilingual texts (SDG titles) are JSON objects keyed by language code ("en", "fr", "zh-hans", ...),
so every stored text keeps its language (DESIGN.md §4.7).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """Pick the text in the active language, falling back to English, then to any."""
    lang = (language or get_language() or "en").lower()
    return (
        texts.get(lang) or texts.get(lang.split("-")[0]) or texts.get("en") or next(iter(texts.values()), "")
    )


class RegionalGroup(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.name


class State(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member State")
        OBSERVER = "observer", _("Observer State")

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True, help_text="English short name as used by the UN")
    status = models.CharField(max_length=10, choices=Status.choices)
    regional_group = models.ForeignKey(RegionalGroup, null=True, blank=True, on_delete=models.PROTECT)
    ldc = models.BooleanField(_("least developed country"), default=False)
    lldc = models.BooleanField(_("landlocked developing country"), default=False)
    sids = models.BooleanField(_("small island developing State"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StateName(models.Model):
    """Another name under which a State appears in UN documents or data exports."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, help_text="The name folded for matching")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An intergovernmental organisation that appears in UPR data (EU, AU, OIC, ...)."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(State, related_name="organisations", blank=True)

    def __str__(self) -> str:
        return self.code


class Mechanism(models.Model):
    class Kind(models.TextChoices):
        UPR = "upr", _("Universal Periodic Review")
        TREATY_BODY = "treaty_body", _("Treaty body")
        SPECIAL_PROCEDURES = "special_procedures", _("Special procedures")

    code = models.CharField(max_length=20, primary_key=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class UprCycle(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    first_session = models.PositiveSmallIntegerField()
    last_session = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Cycle {self.number}"


class UprSession(models.Model):
    """A session of the UPR Working Group."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    cycle = models.ForeignKey(UprCycle, on_delete=models.PROTECT, related_name="sessions")
    year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"UPR session {self.number} ({self.year})"


class SdgGoal(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    titles = models.JSONField(default=dict, help_text="Long title by language code")
    short_titles = models.JSONField(default=dict, help_text="Short name by language code")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"SDG {self.number}"

    @property
    def title(self) -> str:
        return in_language(self.titles)

    @property
    def short_title(self) -> str:
        return in_language(self.short_titles) or self.title


class SdgTarget(models.Model):
    code = models.CharField(max_length=6, primary_key=True, help_text='e.g. "16.2" or "1.a"')
    goal = models.ForeignKey(SdgGoal, on_delete=models.CASCADE, related_name="targets")
    position = models.PositiveSmallIntegerField(help_text="Order within the goal")
    titles = models.JSONField(default=dict)

    class Meta:
        ordering = ["goal", "position"]

    def __str__(self) -> str:
        return f"Target {self.code}"

    @property
    def title(self) -> str:
        return in_language(self.titles)


class SdgIndicator(models.Model):
    code = models.CharField(max_length=10, primary_key=True, help_text='e.g. "16.2.1"')
    target = models.ForeignKey(SdgTarget, on_delete=models.CASCADE, related_name="indicators")
    titles = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Indicator {self.code}"


class Fund(models.Model):
    """A UN voluntary fund to which States address requests and donors contribute."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, help_text="Currency of account (ISO 4217)")

    def __str__(self) -> str:
        return self.name
