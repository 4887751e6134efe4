"""Questions about what a user may do, asked in one place (DESIGN.md §1).

Selectors and services ask these rather than reading ``RoleAssignment`` themselves, so that a rule
such as "an admin may do everything" lives here only. Roles are granted and revoked by
``core.services``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from hrcoop.core.models import Role, RoleAssignment, User

Actor = User | AnonymousUser | None

# An unscoped secretariat or board role covers every fund. A focal point acts for one State and a donor's
# representative for one donor, so theirs never widen to every scope: an unscoped donor role must not
# reveal the donors who asked to stay anonymous.
ROLES_OVER_EVERY_SCOPE = frozenset({Role.SECRETARIAT, Role.BOARD})


def _user(actor: Actor) -> User | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    assert isinstance(actor, User)
    return actor


def is_admin(actor: Actor) -> bool:
    user = _user(actor)
    if user is None:
        return False
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()


def has_role(actor: Actor, role: Role, *, scope: str | None = None) -> bool:
    """True when the actor holds ``role`` (within ``scope`` when given), or is an admin."""
    user = _user(actor)
    if user is None:
        return False
    if is_admin(user):
        return True
    assignments = RoleAssignment.objects.filter(user=user, role=role)
    if scope is not None:
        allowed = [scope, ""] if role in ROLES_OVER_EVERY_SCOPE else [scope]
        assignments = assignments.filter(scope__in=allowed)
    return assignments.exists()


def held_roles(actor: Actor) -> frozenset[str]:
    """The roles the actor holds in any scope; an administrator holds every role."""
    user = _user(actor)
    if user is None:
        return frozenset()
    held = frozenset(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    return frozenset(Role.values) if user.is_superuser or Role.ADMIN in held else held


def scopes_of(actor: Actor, role: Role) -> set[str]:
    """The scopes in which the actor holds ``role`` (e.g. the States a focal point acts for)."""
    user = _user(actor)
    if user is None:
        return set()
    return set(RoleAssignment.objects.filter(user=user, role=role).values_list("scope", flat=True))


def holders(role: Role, *, scope: str) -> QuerySet[User]:
    """The active people who hold ``role`` within ``scope`` (an unscoped secretariat or board role
    covers every scope), e.g. whom to write to when a request needs its State's focal point."""
    allowed = [scope, ""] if role in ROLES_OVER_EVERY_SCOPE else [scope]
    assignments = RoleAssignment.objects.filter(role=role, scope__in=allowed).values("user")
    return User.objects.filter(pk__in=assignments, is_active=True).order_by("pk")
