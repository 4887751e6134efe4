"""Recovery codes: how a person whose role needs a second factor still signs in when the phone is lost.

On enrolment of the authenticator app the person receives ``CODES`` single-use codes, shown once.
They are django-otp's static tokens (``django_otp.plugins.otp_static``), so a session that used one has
passed the second factor like any other device, and django-otp throttles wrong guesses; but the
database holds only a digest of each code, never the code: a copy of the database (a backup, a
replica) does not let anyone past the second factor. Each code has 80 random bits, so a digest
without a per-user salt or a slow hash cannot be reversed by trying codes. Every use is audited;
generating codes again replaces all the old ones.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

import django_otp
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import record_event
from hrcoop.core.errors import InvalidInput
from hrcoop.core.models import User

CODES = 10
DEVICE_NAME = "recovery codes"
# No 0/o, 1/l/i: a code is read off paper and typed by hand.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 16  # about 79 bits
GROUP = 4


def _new_code() -> str:
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(code[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def _normal(code: str) -> str:
    """What the person typed, without the spaces and hyphens that only help reading, in lower case."""
    return "".join(c for c in code.lower() if c not in " -\t")


def _digest(code: str) -> str:
    """What is stored: the first 16 characters (96 bits) of the SHA-256 of the code, the width of
    django-otp's token column."""
    return base64.urlsafe_b64encode(hashlib.sha256(_normal(code).encode()).digest()).decode()[:16]


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=DEVICE_NAME).order_by("id").first()


def codes_left(user: User) -> int | None:
    """How many unused codes the person holds; None when they never had any."""
    device = recovery_device(user)
    return None if device is None else device.token_set.count()


@transaction.atomic
def generate_codes(user: User, *, actor: User) -> list[str]:
    """New codes for ``user``, replacing any old ones; returned this once, stored only as digests."""
    device = recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    device = StaticDevice.objects.select_for_update().get(pk=device.pk)
    replaced = device.token_set.all().delete()[0]
    codes = [_new_code() for _ in range(CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(code)) for code in codes)
    record_event(
        actor=actor,
        action=CoreAction.RECOVERY_CODES_GENERATED,
        target=user,
        data={"codes": CODES, "replaced": replaced},
    )
    return codes


def sign_in_with_code(request: HttpRequest, user: User, *, code: str) -> StaticDevice:
    """The person lost their authenticator: one recovery code passes the second factor, and is spent."""
    typed = _normal(code)
    if len(typed) != LENGTH or any(c not in ALPHABET for c in typed):
        raise InvalidInput(
            _(
                "a recovery code has 16 letters and digits in four groups, like %(example)s: "
                "check what you typed"
            )
            % {"example": "abcd-efgh-jkmn-pqrs"},
            where="recovery_code",
        )
    with transaction.atomic():
        device = recovery_device(user)
        if device is not None:
            device = StaticDevice.objects.select_for_update().get(pk=device.pk)  # one use, even at once
        # A failure commits too: it is django-otp's count of wrong codes, which throttles guessing.
        spent = device is not None and device.verify_token(_digest(typed))
        if spent:
            assert device is not None
            django_otp.login(request, device)
            left = device.token_set.count()
            record_event(
                actor=user, action=CoreAction.RECOVERY_CODE_USED, target=user, data={"codes_left": left}
            )
    if not spent:
        raise InvalidInput(
            _(
                "this recovery code does not work: each code works once, new codes replace the old "
                "ones, and after several wrong codes you must wait a little"
            ),
            where="recovery_code",
        )
    assert device is not None
    return device
