"""The integrity checks the platform runs every day, and whom it alerts when one fails.

``core`` sits below every app (DESIGN.md §3), so it cannot call an app's own check; an app adds its check
with ``register_check`` from its ``AppConfig.ready`` (the funds register their books' check), and
the daily task runs them all. A check returns the problems it found, first first; empty means intact.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.models import Role, User

Check = Callable[[], list[str]]

CHECKS: dict[str, Check] = {"audit": verify_audit_chain}


def register_check(name: str, check: Check) -> None:
    CHECKS[name] = check


def run_checks() -> dict[str, list[str]]:
    """Each check's problems, by name."""
    return {name: check() for name, check in CHECKS.items()}


def administrator_addresses() -> list[str]:
    """The e-mail addresses of the superusers and of everyone who holds the administrator role."""
    admins = User.objects.filter(Q(is_superuser=True) | Q(roles__role=Role.ADMIN), is_active=True)
    return sorted(set(admins.exclude(email="").values_list("email", flat=True)))
