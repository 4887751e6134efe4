"""Writes of core: granting and revoking roles, each audited.

A role decides what a person may see and do (``core.roles``): who gave it or took it away, and when,
is part of the record, so the admin and every other caller go through these two functions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import record_event
from hrcoop.core.errors import InvalidInput
from hrcoop.core.models import Role, RoleAssignment, User


def _described(assignment: RoleAssignment) -> dict[str, str]:
    return {"user": assignment.user.get_username(), "role": assignment.role, "scope": assignment.scope}


@transaction.atomic
def grant_role(user: User, role: Role | str, *, scope: str = "", actor: User | None) -> RoleAssignment:
    """Give ``user`` the ``role`` within ``scope``; a role already held is returned as it is, unaudited."""
    assignment = RoleAssignment(user=user, role=role, scope=scope)
    try:
        assignment.clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), where=field) from exc
    if role not in Role.values:
        raise InvalidInput(f"unknown role {role!r}: one of {', '.join(Role.values)}", where="role")
    held = RoleAssignment.objects.filter(user=user, role=role, scope=scope).first()
    if held is not None:
        return held
    assignment.save()
    record_event(actor=actor, action=CoreAction.ROLE_GRANTED, target=assignment, data=_described(assignment))
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor: User | None) -> None:
    """Take the role away; the audit event keeps who held it, in which scope."""
    record_event(actor=actor, action=CoreAction.ROLE_REVOKED, target=assignment, data=_described(assignment))
    assignment.delete()
