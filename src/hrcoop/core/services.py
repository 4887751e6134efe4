"""Writes of core: granting and revoking roles, and a person's e-mail preferences, each audited.

A role decides what a person may see and do (``core.roles``): who gave it or took it away, and when,
is part of the record, so the admin and every other caller go through these two functions.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import Role, RoleAssignment, User
from hrcoop.core.roles import is_admin

MAIL_PREFERENCES = ("language", "time_zone")


def _checked(check: Callable[[], None]) -> None:
    """Run a model's own check; its first complaint becomes the input error that names the field."""
    try:
        check()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(" ".join(messages), where=field) from exc


def _described(assignment: RoleAssignment) -> dict[str, str]:
    return {"user": assignment.user.get_username(), "role": assignment.role, "scope": assignment.scope}


@transaction.atomic
def grant_role(user: User, role: Role | str, *, scope: str = "", actor: User | None) -> RoleAssignment:
    """Give ``user`` the ``role`` within ``scope``; a role already held is returned as it is, unaudited."""
    assignment = RoleAssignment(user=user, role=role, scope=scope)
    _checked(assignment.clean)
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


@transaction.atomic
def set_mail_preferences(user: User, *, language: str, time_zone: str, actor: User) -> User:
    """The language and time zone of the e-mail ``user`` gets when no page is open (empty: the site's).

    The person sets them on their account page, an administrator in the admin; the audit event keeps
    the old and new values. Nothing changed records nothing.
    """
    if actor.pk != user.pk and not is_admin(actor):
        raise Forbidden(_("only the account's owner or an administrator sets its e-mail preferences"))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(user, name) for name in MAIL_PREFERENCES}
    user.language, user.time_zone = language.strip(), time_zone.strip()
    others = [f.name for f in User._meta.fields if f.name not in MAIL_PREFERENCES]
    _checked(lambda: user.full_clean(exclude=others))
    after = {name: getattr(user, name) for name in MAIL_PREFERENCES}
    if after != before:
        user.save(update_fields=list(MAIL_PREFERENCES))
        record_event(
            actor=actor,
            action=CoreAction.MAIL_PREFERENCES_CHANGED,
            target=user,
            data={"before": before, "after": after},
        )
    return user
