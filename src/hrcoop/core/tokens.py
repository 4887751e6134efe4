"""API tokens: created and revoked through services (audited), read by a DRF authentication class.

A request sends ``Authorization: Token <key>`` (``Bearer`` is read too). A key that is unknown, revoked
or past its expiry is refused with 401 saying which; a token without the ``write`` scope is refused
any method that changes data, with 403. Tokens are how the secretariat, the boards and administrators
script the API: Basic auth cannot carry their second factor, and a token is created by a person who
passed it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import ApiToken, Role, User
from hrcoop.core.roles import Actor, held_roles, is_admin

DEFAULT_DAYS = 90
MAX_DAYS = 366
KEY_PREFIX = "hrc_"
# Roles with nothing to write through the API: a donor's representative reads its contributions.
READ_ONLY_ROLES = frozenset({Role.DONOR})


def allowed_scopes(user: User) -> list[str]:
    """The scopes a token of ``user`` may carry: ``write`` only for a role that writes through the API.

    A token never acts beyond its owner's roles anyway; refusing ``write`` to an account that has
    nothing to write keeps a leaked read-only key from being mistaken for more, and tells the person
    at once rather than at the first 403."""
    if held_roles(user) - READ_ONLY_ROLES:
        return [ApiToken.Scope.READ, ApiToken.Scope.WRITE]
    return [ApiToken.Scope.READ]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: User, *, actor: Actor, name: str, scopes: Iterable[str], days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key, which is shown this once and never stored. ``actor`` None is
    an operator at the server's command line (``hrcoop tokens``)."""
    if actor is not None and not (getattr(actor, "pk", None) == user.pk or is_admin(actor)):
        raise Forbidden(_("only the account's owner or an administrator creates its API tokens"))
    chosen = sorted(set(scopes))
    unknown = [s for s in chosen if s not in ApiToken.Scope.values]
    if unknown or not chosen:
        raise InvalidInput(
            _("scopes must be one or more of %(scopes)s") % {"scopes": ", ".join(ApiToken.Scope.values)},
            where="scopes",
        )
    beyond = [s for s in chosen if s not in allowed_scopes(user)]
    if beyond:
        raise InvalidInput(
            _("the roles of %(user)s allow only the scopes %(allowed)s, not %(beyond)s")
            % {
                "user": user.get_username(),
                "allowed": ", ".join(allowed_scopes(user)),
                "beyond": ", ".join(beyond),
            },
            where="scopes",
        )
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(_("a token lasts from 1 to %(max)d days") % {"max": MAX_DAYS}, where="days")
    if not name.strip():
        raise InvalidInput(_("name the token after what uses it"), where="name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:12],
        key_hash=_digest(key),
        scopes=chosen,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    record_event(
        actor=actor if isinstance(actor, User) else None,
        action=CoreAction.TOKEN_CREATED,
        target=token,
        data={"user": user.get_username(), "scopes": chosen, "expires": token.expires_at.isoformat()},
    )
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor) -> ApiToken:
    if actor is not None and not (getattr(actor, "pk", None) == token.user_id or is_admin(actor)):
        raise Forbidden(_("only the token's owner or an administrator revokes it"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor if isinstance(actor, User) else None, action=CoreAction.TOKEN_REVOKED, target=token
        )
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("Token", "Bearer")

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <key>."))
        token = ApiToken.objects.select_related("user").filter(key_hash=_digest(header[1])).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API token is not known."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This API token was revoked."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("This API token expired on %(day)s; create a new one.")
                % {"day": f"{token.expires_at:%Y-%m-%d}"}
            )
        if request.method not in SAFE_METHODS and ApiToken.Scope.WRITE not in token.scopes:
            raise exceptions.PermissionDenied(
                _("This API token may only read: its scopes do not include write.")
            )
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # bookkeeping, not a domain write
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'


def token_summary(token: ApiToken) -> dict[str, Any]:
    return {
        "prefix": token.prefix,
        "name": token.name,
        "user": token.user.get_username(),
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat(),
        "revoked": token.revoked_at is not None,
    }
