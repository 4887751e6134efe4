"""The facts everything else points at. Loaded from the project's files in ``data/`` by ``hrcoop init``.

Multilingual texts (SDG titles) are JSON objects keyed by language code ("en", "fr", "zh-hans", ...),
so every stored text keeps its language (DESIGN.md §4.7). Rows that pages name (States, groups,
organisations, mechanisms, funds) keep their English ``name`` and their ``names`` in the other UN
languages: where each comes from is in docs/languages.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hrcoop.core.formatting import session_name


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """Pick the text in the active language, falling back to English, then to any."""
    lang = (language or get_language() or "en").lower()
    return (
        texts.get(lang) or texts.get(lang.split("-")[0]) or texts.get("en") or next(iter(texts.values()), "")
    )


def localised_name(name: str, names: dict[str, str], language: str | None = None) -> str:
    """The name in ``language`` (the active one by default) from a row's ``names``, else ``name``:
    for rows read as values (``.values("label__name", "label__names")``)."""
    lang = (language or get_language() or "en").lower()
    return names.get(lang) or names.get(lang.split("-")[0]) or name


class NamedInLanguages(models.Model):
    """A row shown by its name in the reader's language: ``name`` in English (what imports match and
    the API's codes sit beside) and ``names`` by language code for the five other UN languages.

    A language without a name shows the English one, so a row a person adds in English alone is
    still shown everywhere.
    """

    name = models.CharField(_("name in English"), max_length=200)
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text='By language code: {"ar": ..., "es": ..., "fr": ..., "ru": ..., "zh-hans": ...}',
    )

    class Meta:
        abstract = True

    def name_in(self, language: str) -> str:
        """The name in ``language`` (a Django language code), else in English."""
        return localised_name(self.name, self.names, language)

    @property
    def display_name(self) -> str:
        """The name in the active language: what pages, facets, charts and exports' labels show."""
        return localised_name(self.name, self.names)


class RegionalGroup(NamedInLanguages):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(_("name in English"), max_length=100)

    def __str__(self) -> str:
        return self.display_name


class State(NamedInLanguages):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member State")
        OBSERVER = "observer", _("Observer State")

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(
        _("name in English"), max_length=100, unique=True, help_text="English short name as used by the UN"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    regional_group = models.ForeignKey(RegionalGroup, null=True, blank=True, on_delete=models.PROTECT)
    ldc = models.BooleanField(_("least developed country"), default=False)
    lldc = models.BooleanField(_("landlocked developing country"), default=False)
    sids = models.BooleanField(_("small island developing State"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name


class StateName(models.Model):
    """Another name under which a State appears in UN documents or data exports."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, help_text="The name folded for matching")

    def __str__(self) -> str:
        return self.name


class Organisation(NamedInLanguages):
    """An intergovernmental organisation that appears in UPR data (EU, AU, OIC, ...)."""

    code = models.CharField(max_length=20, primary_key=True)
    members = models.ManyToManyField(State, related_name="organisations", blank=True)

    def __str__(self) -> str:
        return self.code


class Mechanism(NamedInLanguages):
    class Kind(models.TextChoices):
        UPR = "upr", _("Universal Periodic Review")
        TREATY_BODY = "treaty_body", _("Treaty body")
        SPECIAL_PROCEDURES = "special_procedures", _("Special procedures")

    code = models.CharField(max_length=20, primary_key=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    def __str__(self) -> str:
        return self.display_name


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

    @property
    def display_name(self) -> str:
        """ "UPR 21" in the page's language ("EPU 21" in French)."""
        return session_name("UPR", self.number)


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


class Fund(NamedInLanguages):
    """A UN voluntary fund to which States address requests and donors contribute."""

    code = models.CharField(max_length=20, primary_key=True)
    currency = models.CharField(max_length=3, help_text="Currency of account (ISO 4217)")

    def __str__(self) -> str:
        return self.display_name
