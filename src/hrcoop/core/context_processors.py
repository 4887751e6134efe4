"""What every page knows about its reader."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hrcoop.core.roles import held_roles


def roles(request: HttpRequest) -> dict[str, Any]:
    """``roles``: the roles the reader holds, so a page offers only the links its reader may follow.
    Read once, and only by a page that asks."""
    return {"roles": SimpleLazyObject(lambda: held_roles(request.user))}
