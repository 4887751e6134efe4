"""The modality rule of docs/cooperation.md, case by case, on the reference States and the DAC list."""

from __future__ import annotations

import pytest

from hrcoop.cooperation.modality import Participant, derive_modality
from hrcoop.cooperation.models import Modality
from hrcoop.reference.models import State

pytestmark = pytest.mark.django_db


def _state(iso3: str) -> Participant:
    state = State.objects.get(iso3=iso3)
    return Participant(name=state.name, state=state)


UNDP = Participant(name="UNDP", is_organisation=True)


@pytest.mark.parametrize(
    ("provider", "beneficiary", "facilitator", "expected"),
    [
        ("NOR", "FJI", None, Modality.NORTH_SOUTH),  # a DAC member helps a non-member
        ("FJI", "NOR", None, Modality.NORTH_SOUTH),  # one side of each, whichever gives
        ("PRY", "FJI", None, Modality.SOUTH_SOUTH),
        ("PRY", "FJI", "DEU", Modality.TRIANGULAR),  # Southern provider, Northern facilitator
        ("PRY", "FJI", "UNDP", Modality.TRIANGULAR),  # an organisation facilitating is multilateral
        ("PRY", "FJI", "BRA", Modality.SOUTH_SOUTH),  # a Southern facilitator does not make it triangular
        ("NOR", "SWE", None, Modality.NORTH_NORTH),
        ("UNDP", "FJI", None, Modality.MULTILATERAL),
        # Saudi Arabia and Singapore are high-income but outside the DAC: Southern by the rule.
        ("SAU", "SGP", None, Modality.SOUTH_SOUTH),
    ],
)
def test_modality_follows_dac_membership(
    reference_data: None, provider: str, beneficiary: str, facilitator: str | None, expected: str
) -> None:
    def participant(code: str) -> Participant:
        return UNDP if code == "UNDP" else _state(code)

    modality, reason = derive_modality(
        provider=participant(provider),
        beneficiary=participant(beneficiary),
        facilitator=participant(facilitator) if facilitator else None,
    )
    assert modality == expected
    assert participant(provider).name in reason  # the explanation names who was classified how


def test_a_participant_with_no_dac_classification_leaves_the_modality_undetermined(
    reference_data: None,
) -> None:
    stateless_ngo = Participant(name="Global Rights Network")
    modality, reason = derive_modality(provider=stateless_ngo, beneficiary=_state("FJI"))
    assert modality == Modality.UNDETERMINED
    assert "no DAC classification" in reason
    assert "Fiji is not a DAC member" in reason


def test_an_observer_state_outside_the_dac_is_southern(reference_data: None) -> None:
    holy_see = State.objects.get(iso3="VAT")
    modality, reason = derive_modality(
        provider=Participant(name=holy_see.name, state=holy_see), beneficiary=_state("FJI")
    )
    assert modality == Modality.SOUTH_SOUTH
    assert "not a DAC member" in reason
