"""Who is a party to an offer or a match: asked in one place by the services and the selectors."""

from __future__ import annotations

from hrcoop.cooperation.models import Offer, ProviderKind
from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role, scopes_of


def focal_states(actor: Actor) -> set[str]:
    """The States (ISO alpha-3) the actor is a focal point of."""
    return scopes_of(actor, Role.STATE_FOCAL_POINT)


def is_beneficiary(actor: Actor, state: object) -> bool:
    """A focal point of the State in need acts for the beneficiary."""
    iso3 = getattr(state, "iso3", "")
    return bool(iso3) and has_role(actor, Role.STATE_FOCAL_POINT, scope=iso3)


def is_provider(actor: Actor, offer: Offer) -> bool:
    """Whoever submitted the offer acts for its provider, and so does a focal point of a providing State."""
    user_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    if user_id is not None and offer.submitted_by_id == user_id:
        return True
    return (
        offer.provider_kind == ProviderKind.STATE
        and offer.provider_state is not None
        and has_role(actor, Role.STATE_FOCAL_POINT, scope=offer.provider_state.iso3)
    )
