"""Users, their roles, the append-only audit log, and the data versions that key caches."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zones this machine knows, sorted: read from disk once, not at every check and every
    view of the account page (30 to 100 ms each)."""
    return tuple(sorted(zoneinfo.available_timezones()))


class User(AbstractUser):
    """A person who signs in. What they may do comes from their ``RoleAssignment`` rows.

    ``language`` and ``time_zone`` are how the platform writes to them when no page is open: the
    e-mail a task sends after someone else acted is in their language, its times in their zone (empty:
    the site's defaults, ``LANGUAGE_CODE`` and ``TIME_ZONE``).
    """

    language = models.CharField(
        _("language of e-mail"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    time_zone = models.CharField(
        _("time zone of e-mail"),
        max_length=64,
        blank=True,
        help_text=_("IANA name, e.g. Pacific/Fiji; empty for the site's zone"),
    )

    class Meta:
        db_table = "core_user"

    def clean(self) -> None:
        super().clean()
        if self.time_zone and self.time_zone not in time_zone_names():
            raise ValidationError(
                {
                    "time_zone": _("%(zone)s is not an IANA time zone, e.g. Pacific/Fiji")
                    % {"zone": self.time_zone}
                }
            )

    @property
    def mail_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE

    @property
    def mail_time_zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)


class Role(models.TextChoices):
    """The roles of DESIGN.md §1. The public needs no account and so has no row here."""

    STATE_FOCAL_POINT = "state_focal_point", _("State focal point")
    SECRETARIAT = "secretariat", _("Secretariat")
    BOARD = "board", _("Board of Trustees")
    DONOR = "donor", _("Donor")
    CONTRIBUTOR = "contributor", _("Contributor")
    INSTITUTION_MEMBER = "institution_member", _("Institution member")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(models.Model):
    """A user holds a role, optionally within a scope.

    ``scope`` names what the role is limited to: the ISO alpha-3 code of the State a focal point acts
    for, the code of the fund a board member sits on, the id of the donor a representative acts for,
    the id of the institution (``tracking.Institution``) an institution member works in.
    It is a code rather than a foreign key because ``core`` sits below the apps that define those
    records (DESIGN.md §3); the apps that use a scope validate it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    scope = models.CharField(max_length=64, blank=True, default="")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "scope"], name="core_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}{' for ' + self.scope if self.scope else ''}"

    def clean(self) -> None:
        """A focal point acts for one State and a donor's representative for one donor: an empty scope
        there would be a role for nobody (or, were it read as "every", a view of anonymous donors)."""
        if not self.scope and self.role in (Role.STATE_FOCAL_POINT, Role.DONOR, Role.INSTITUTION_MEMBER):
            raise ValidationError(
                {
                    "scope": _(
                        "This role needs a scope: the State's ISO 3166 alpha-3 code, the donor's id,"
                        " or the institution's id."
                    )
                }
            )


class AuditEvent(models.Model):
    """One thing that happened, who did it, and to what; never updated, never deleted.

    Each row carries the hash of the previous row and its own hash over its content, so that an edit
    or a deletion anywhere breaks the chain and ``verify_audit_chain`` finds it.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown in histories.")
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, db_index=True)
    target_id = models.CharField(max_length=80, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    hash_version = models.PositiveSmallIntegerField(
        help_text="Which fields the hash covers (hrcoop.core.audit.HASH_VERSION); 1 predates the actor's id."
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_type}:{self.target_id}"
        )


class AuditChainHead(models.Model):
    """A single row locked while an event is appended, so that concurrent writers form one chain."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash


class DataVersion(models.Model):
    """A named counter that every change to some data raises: ``registry`` for the recommendations.

    Caches, ETags and cached API answers are keyed by it, so they are never stale: a change makes new
    keys. It is raised by the subscribers of the domain events (``core.events``) through
    ``core.versions.bump_version``, and read with one primary-key lookup (``current_version``).
    Deriving a version from the data itself (a count and a last change) scanned whole tables on
    every request and missed changes that touch no row of them, such as a label accepted in review.
    """

    name = models.CharField(max_length=64, primary_key=True)
    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} version {self.number}"

    @classmethod
    def current(cls, name: str) -> tuple[int, datetime.datetime | None] | None:
        """(number, time of the last change), or None when ``name`` was never raised.

        Read on every page and API request, so in plain SQL: the ORM took four times as long to build
        this statement as the database took to answer it. SQLite hands the time back as the text it
        stored, in UTC.
        """
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {cls._meta.db_table} WHERE name = %s", [name])
            row = cursor.fetchone()
        if row is None:
            return None
        number, changed_at = row
        return number, _utc(changed_at)

    @classmethod
    def current_of(cls, names: tuple[str, ...]) -> dict[str, tuple[int, datetime.datetime | None]]:
        """``current`` of several counters in one statement (those never raised are left out)."""
        marks = ", ".join(["%s"] * len(names))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name, number, changed_at FROM {cls._meta.db_table} WHERE name IN ({marks})",
                list(names),
            )
            return {name: (number, _utc(changed_at)) for name, number, changed_at in cursor.fetchall()}


def _utc(changed_at: Any) -> datetime.datetime | None:
    """SQLite hands a time back as the text it stored, in UTC."""
    if isinstance(changed_at, str):
        return datetime.datetime.fromisoformat(changed_at).replace(tzinfo=datetime.UTC)
    return changed_at


class ApiToken(models.Model):
    """A credential for scripts calling the API in a person's name: limited in scope and in time.

    Only a SHA-256 of the key is stored (the key is shown once, when created); ``prefix`` (its first
    characters) lets a person tell their tokens apart. Scopes: ``read`` (GET, HEAD, OPTIONS) and
    ``write`` (the rest); a token acts with its owner's roles, never more.
    """

    class Scope(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("write")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}... {self.name} ({self.user})"
