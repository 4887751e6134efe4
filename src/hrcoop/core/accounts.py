"""Accounts that resist guessing: who must show a second factor, and the services that enrol and verify it.

The secretariat, the boards and the administrators decide on States' confidential requests and move a
fund's money, so a password alone does not let them in: after it, they verify a time-based one-time
code (TOTP, RFC 6238, any authenticator app) from a device they enrolled. Until then every page sends
them to that step and every API call through their session is refused; HTTP Basic auth, which has no
place for a code, is refused for them altogether (they use API tokens, ``hrcoop.core.tokens``).
Failed passwords are counted by django-axes (settings); failed codes by django-otp's own throttling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_otp
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication as DrfBasicAuthentication
from rest_framework.request import Request

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import Role, User
from hrcoop.core.roles import has_role, held_roles, is_admin
from hrcoop.core.services import grant_role

SECOND_FACTOR_ROLES = frozenset({Role.SECRETARIAT, Role.BOARD, Role.ADMIN})
DEVICE_NAME = "authenticator app"


def needs_second_factor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    assert isinstance(user, User)
    return user.is_staff or user.is_superuser or bool(held_roles(user) & SECOND_FACTOR_ROLES)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled: unconfirmed, its secret shown until a first code proves it was copied."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def _token(code: str) -> str:
    token = "".join(code.split())
    if not (token.isascii() and token.isdigit() and len(token) == 6):
        raise InvalidInput(_("type the 6 digits your authenticator app shows"), where="code")
    return token


@transaction.atomic
def confirm_device(request: HttpRequest, device: TOTPDevice, *, code: str) -> TOTPDevice:
    """The person typed a code from the device being enrolled: it is theirs from now on, and this session
    has passed the second factor."""
    token = _token(code)
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(token):
        raise InvalidInput(
            _("this code does not match: check the clock of your device and type the newest code"),
            where="code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    record_event(actor=device.user, action=CoreAction.SECOND_FACTOR_ENROLLED, target=device.user)
    return device


def verify_code(request: HttpRequest, user: User, *, code: str) -> TOTPDevice:
    """Check a code against the user's enrolled device and mark this session as having passed it.
    Not audited: it writes nothing but django-otp's counter of failures (which throttles guessing)."""
    token = _token(code)
    device = confirmed_device(user)
    verified = django_otp.verify_token(user, device.persistent_id, token) if device else None
    if verified is None:
        raise InvalidInput(
            _("this code does not match, or too many codes failed: wait and try again"), where="code"
        )
    django_otp.login(request, verified)
    return verified


class SecondFactorMiddleware:
    """Sends a signed-in person who must show a second factor, and has not in this session, to that step."""

    OPEN_PATHS = ("/static/", "/i18n/", "/media/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if needs_second_factor(user) and not user.is_verified() and not self._open(request):  # type: ignore[union-attr]
            # Imported here: this module is loaded by DRF's settings (BasicAuthentication below) while
            # rest_framework.views, which hrcoop.core.api needs, is still loading.
            from hrcoop.core.api import API_PREFIX, error_body

            if request.path.startswith("/" + API_PREFIX):
                message = _("Sign in with your second factor first, or use an API token.")
                return JsonResponse(error_body(status=403, code="second_factor", message=message), status=403)
            return redirect(f"{reverse('second-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _open(self, request: HttpRequest) -> bool:
        return request.path.startswith(self.OPEN_PATHS) or request.path in {
            reverse("second-factor"),
            reverse("logout"),
        }


def lockout_message() -> str:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return _(
        "Too many failed sign-ins for this account from your address: it is locked for %(minutes)d minutes."
    ) % {"minutes": minutes}


class LockedOut(exceptions.APIException):
    status_code = 429
    default_code = "locked_out"


class BasicAuthentication(DrfBasicAuthentication):
    """HTTP Basic auth for accounts that need only a password; the others use API tokens.

    A locked account (django-axes) is answered 429 saying so, not "invalid username/password": the
    person with the right password then knows to wait rather than doubt it."""

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, Any]:
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(lockout_message()) from None
            raise

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and needs_second_factor(result[0]):
            raise exceptions.AuthenticationFailed(
                _("This account needs a second factor, which Basic auth cannot carry: use an API token.")
            )
        return result


# --- Invitations: the secretariat opens an account, the person sets its password -----------------------

ROLES_ONLY_ADMINS_GRANT = frozenset({Role.SECRETARIAT, Role.ADMIN})


@transaction.atomic
def invite(
    *, actor: User, email: str, role: Role | None, scope: str = "", link_for: Callable[[User, str], str]
) -> User:
    """Open an inactive account for ``email`` holding ``role`` and e-mail it a link to set its password.

    ``link_for(user, token)`` builds the link (the page's address); the link works once, for
    ``PASSWORD_RESET_TIMEOUT`` seconds, like Django's password reset. The secretariat invites States'
    focal points, board members, donors and contributors; only administrators invite the secretariat
    and other administrators. ``role=None`` opens an account with no role, for a person an app invites
    to one task (a call for inputs invites an expert to answer it) and grants nothing else.
    """

    if not has_role(actor, Role.SECRETARIAT) or (role in ROLES_ONLY_ADMINS_GRANT and not is_admin(actor)):
        raise Forbidden(_("you may not invite someone to this role"))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("%(email)r is not an e-mail address") % {"email": email}, where="email") from exc
    if User.objects.filter(username=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(_("an account for %(email)s exists already") % {"email": email}, where="email")
    user = User.objects.create_user(username=email, email=email, password=None, is_active=False)
    if role is not None:
        grant_role(user, role, scope=scope, actor=actor)  # refuses a role that needs a scope and has none
    record_event(
        actor=actor, action=CoreAction.INVITED, target=user, data={"role": role or "", "scope": scope}
    )
    facts = {
        "name": actor.get_full_name() or actor.get_username(),
        "role": role.label if role is not None else "",
        "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "link": link_for(user, default_token_generator.make_token(user)),
    }
    message = (
        _(
            "%(name)s invites you to hrcoop as %(role)s. Choose your password here (the link works "
            "once, for %(days)d days):\n\n%(link)s"
        )
        if role is not None
        else _(
            "%(name)s invites you to hrcoop. Choose your password here (the link works once, for "
            "%(days)d days):\n\n%(link)s"
        )
    )
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to hrcoop"),
            message=message % facts,
            from_email=None,
            recipient_list=[email],
        )
    )
    return user


def invitation_link(user: User, token: str) -> str:
    """The ``link_for`` of ``invite`` for the pages: the full address of the link that sets the password,
    on the site's public address (``HRCOOP_SITE_URL``), never on whatever host the request came through."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse("accept-invitation", args=[uid, token])


@transaction.atomic
def accept_invitation(user: User, *, password: str) -> User:
    """The invited person chose a password (already checked by Django's validators): the account opens."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_event(actor=user, action=CoreAction.INVITATION_ACCEPTED, target=user)
    return user
