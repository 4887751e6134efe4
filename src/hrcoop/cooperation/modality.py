"""North-South, South-South or triangular: the modality of a cooperation, derived and explained (para 30).

The rule, in one place (docs/cooperation.md states it for readers):

* A State is **Northern** when it is a member of the OECD Development Assistance Committee
  (``funds/data/dac_members.yml``, the list that also makes a donor "traditional"), and **Southern**
  otherwise: every State of the reference data outside the DAC, whatever its income.
* An NHRI or an NGO counts as its home State. An international agency has no State: as a provider it
  makes the cooperation **multilateral**; as a facilitator, any organisation counts as multilateral.
* A participant whose State is unknown (an NGO with no home State) has no classification, and a
  modality that depends on it is **undetermined**, said so rather than guessed.

Then, for a provider, a beneficiary and an optional facilitator:

* One side Northern and the other Southern, whichever gives: **North-South**.
* Southern provider, Southern beneficiary, with a Northern or multilateral facilitator: **triangular**;
  without one (or with a Southern facilitator): **South-South**.
* Northern provider and Northern beneficiary: **between DAC members** (none of the three).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from hrcoop.cooperation.models import Modality, Offer, ProviderKind
from hrcoop.funds.classification import dac_members
from hrcoop.reference.models import State


@dataclass(frozen=True)
class Participant:
    """One side of a cooperation: a State, or an organisation (``state`` is its home State, if any)."""

    name: str
    state: State | None = None
    is_organisation: bool = False


def is_northern(state: State) -> bool:
    return state.iso3 in dac_members()["states"]


def _side(participant: Participant) -> str | None:
    """``"north"``, ``"south"``, ``"multilateral"``, or None when nothing classifies it."""
    if participant.state is not None:
        return "north" if is_northern(participant.state) else "south"
    if participant.is_organisation:
        return "multilateral"
    return None


def _described(participant: Participant) -> str:
    side = _side(participant)
    if side == "north":
        return _("%(name)s is a DAC member (Northern)") % {"name": participant.name}
    if side == "south":
        return _("%(name)s is not a DAC member (Southern)") % {"name": participant.name}
    if side == "multilateral":
        return _("%(name)s is an international organisation (multilateral)") % {"name": participant.name}
    return _("%(name)s has no State, so no DAC classification") % {"name": participant.name}


def derive_modality(
    *, provider: Participant, beneficiary: Participant, facilitator: Participant | None = None
) -> tuple[str, str]:
    """(modality, the explanation in words) for a provider helping a beneficiary."""
    parties = [provider, beneficiary] + ([facilitator] if facilitator else [])
    facts = "; ".join(_described(p) for p in parties)
    giver, taker = _side(provider), _side(beneficiary)
    helper = _side(facilitator) if facilitator else None
    if giver is None or taker is None:
        return Modality.UNDETERMINED, _("Undetermined: %(facts)s.") % {"facts": facts}
    if giver == "multilateral":
        return Modality.MULTILATERAL, _("Multilateral: %(facts)s.") % {"facts": facts}
    if giver == taker == "north":
        return Modality.NORTH_NORTH, _("Between DAC members: %(facts)s.") % {"facts": facts}
    if "north" in (giver, taker):
        return Modality.NORTH_SOUTH, _("North-South: %(facts)s.") % {"facts": facts}
    if helper in ("north", "multilateral"):
        return Modality.TRIANGULAR, _(
            "Triangular: a Southern provider with a Northern or multilateral facilitator; %(facts)s."
        ) % {"facts": facts}
    return Modality.SOUTH_SOUTH, _("South-South: %(facts)s.") % {"facts": facts}


def provider_of(offer: Offer) -> Participant:
    """The provider of an offer as a participant (an agency is an organisation with no State)."""
    return Participant(
        name=offer.provider_label,
        state=offer.provider_state,
        is_organisation=offer.provider_kind == ProviderKind.AGENCY and offer.provider_state is None,
    )


def facilitator_of(offer: Offer) -> Participant | None:
    if offer.facilitator_state is not None:
        return Participant(name=offer.facilitator_state.name, state=offer.facilitator_state)
    if offer.facilitator_organisation:
        return Participant(name=offer.facilitator_organisation, is_organisation=True)
    return None


def offer_modality(offer: Offer, beneficiary: State) -> tuple[str, str]:
    """The modality of ``offer`` given to ``beneficiary``, with its explanation."""
    return derive_modality(
        provider=provider_of(offer),
        beneficiary=Participant(name=beneficiary.name, state=beneficiary),
        facilitator=facilitator_of(offer),
    )
