"""The project's reference facts: counts, idempotent loading, and name matching."""

from __future__ import annotations

import pytest

from hrcoop.core.errors import InvalidInput
from hrcoop.reference.models import Organisation, SdgTarget, State, UprSession
from hrcoop.reference.names import StateIndex
from hrcoop.reference.services import load_reference_data

pytestmark = pytest.mark.django_db


def test_reference_counts(reference_data: None) -> None:
    assert State.objects.filter(status=State.Status.MEMBER).count() == 193
    assert set(State.objects.filter(status=State.Status.OBSERVER).values_list("iso3", flat=True)) == {
        "VAT",
        "PSE",
    }
    assert SdgTarget.objects.count() == 169
    assert set(Organisation.objects.values_list("code", flat=True)) == {
        "EU",
        "AU",
        "OIC",
        "OIF",
        "AL",
        "Commonwealth",
        "ASEAN",
        "OAS",
        "PIF",
        "CIS",
        "OEI",
        "ACS",
    }
    assert [UprSession.objects.get(number=n).cycle_id for n in (1, 12, 13, 26, 27, 40, 41, 54)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_loading_twice_changes_nothing(reference_data: None) -> None:
    before = list(State.objects.order_by("iso3").values())
    assert load_reference_data()["states"] == 195
    assert list(State.objects.order_by("iso3").values()) == before


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Iran (Islamic Republic of)", "IRN"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("St Vincent & the Grenadines", "VCT"),
        ("Macedonia FYR", "MKD"),
        ("Turkey", "TUR"),
        ("Holy See", "VAT"),
    ],
)
def test_state_names_in_un_documents_and_upr_info_exports(reference_data: None, name: str, iso3: str) -> None:
    assert StateIndex().resolve(name).iso3 == iso3


def test_unknown_state_name_is_an_error_that_names_it(reference_data: None) -> None:
    with pytest.raises(InvalidInput, match="Atlantis"):
        StateIndex().resolve("Atlantis")
