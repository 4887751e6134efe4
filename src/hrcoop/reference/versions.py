"""The reference data's version: what keys the ETags and cached answers of ``reference.api``.

Raised by the domain events (``core.events``) of a change to a reference row or to a State's
memberships, in the transaction of the change; records imported or corrected leave it as it is, so
the answers about States and the reference lists stay cached across imports.
"""

from __future__ import annotations

from typing import Any

from hrcoop.core.events import memberships_changed, reference_changed
from hrcoop.core.versions import bump_version

REFERENCE = "reference"


def _after_change(**payload: Any) -> None:
    bump_version(REFERENCE)


def subscribe() -> None:
    reference_changed.subscribe(_after_change)
    memberships_changed.subscribe(_after_change)
