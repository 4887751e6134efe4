"""Reads of the reference data that every app above it shares."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrcoop.core.errors import NotFound
from hrcoop.reference.models import Fund


def fund_for(code: str) -> Fund:
    """The fund with this code, for everyone (funds and their figures are public), or ``NotFound``
    naming the funds there are, so that a mistyped code on the command line or in the API is easy to fix."""
    fund = Fund.objects.filter(code=code).first()
    if fund is None:
        codes = ", ".join(Fund.objects.order_by("code").values_list("code", flat=True))
        message = _("there is no fund %(code)r") % {"code": code}
        raise NotFound(f"{message} ({codes})" if codes else message, where="fund")
    return fund
