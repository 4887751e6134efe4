"""Our reference facts checked against UN M49 (UNSD) and mledoze/countries, where that data is present.

Every disagreement we accept is listed here with its reason; any other disagreement fails.
"""

from __future__ import annotations

import csv
import json

import pytest

from hrcoop.reference.models import State
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db

MLEDOZE_GROUPS = {
    "African Group": "AFRICAN",
    "Asia and the Pacific Group": "APG",
    "Eastern European Group": "EEG",
    "Latin American and Caribbean Group": "GRULAC",
    "Western European and Others Group": "WEOG",
}

# (iso3, field) -> why our value differs from mledoze/countries.
ACCEPTED_MLEDOZE_DISAGREEMENTS = {
    (
        "VAT",
        "unMember",
    ): "mledoze flags Vatican City as a UN member; the Holy See is a non-member observer State",
}
# (iso3, field) -> why our value differs from UN M49. None so far: our names and flags are M49's.
ACCEPTED_M49_DISAGREEMENTS: dict[tuple[str, str], str] = {}


def test_states_agree_with_un_m49(reference_data: None) -> None:
    path = shared_data("un_m49", "UNSD_M49_methodology.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        m49 = {row["ISO-alpha3 Code"]: row for row in csv.DictReader(handle, delimiter=";")}
    problems = []
    for state in State.objects.all():
        row = m49.get(state.iso3)
        if row is None:
            problems.append(f"{state.iso3}: not in M49")
            continue
        checks = {
            "m49": (state.m49, row["M49 Code"]),
            "iso2": (state.iso2, row["ISO-alpha2 Code"]),
            "name": (state.name, row["Country or Area"]),
            "ldc": (state.ldc, row["Least Developed Countries (LDC)"] == "x"),
            "lldc": (state.lldc, row["Land Locked Developing Countries (LLDC)"] == "x"),
            "sids": (state.sids, row["Small Island Developing States (SIDS)"] == "x"),
        }
        for field, (ours, theirs) in checks.items():
            if ours != theirs and (state.iso3, field) not in ACCEPTED_M49_DISAGREEMENTS:
                problems.append(f"{state.iso3} {field}: ours {ours!r}, M49 {theirs!r}")
    assert problems == []
    # The flags count what the UN counts among Member States: 44 LDCs in M49 are all Member States.
    assert State.objects.filter(ldc=True).count() == sum(
        1 for r in m49.values() if r["Least Developed Countries (LDC)"]
    )


def test_states_agree_with_mledoze(reference_data: None) -> None:
    path = shared_data("countries_mledoze", "countries.json")
    countries = {c["cca3"]: c for c in json.loads(path.read_text(encoding="utf-8"))}
    members = {iso3 for iso3, c in countries.items() if c.get("unMember")}
    ours = set(State.objects.filter(status=State.Status.MEMBER).values_list("iso3", flat=True))
    problems = [f"{iso3} unMember: ours {iso3 in ours}, mledoze {iso3 in members}" for iso3 in ours ^ members]
    problems = [p for p in problems if (p.split()[0], "unMember") not in ACCEPTED_MLEDOZE_DISAGREEMENTS]
    for state in State.objects.select_related("regional_group"):
        theirs = MLEDOZE_GROUPS.get(countries[state.iso3].get("unRegionalGroup", ""))
        mine = state.regional_group_id
        if mine != theirs and (state.iso3, "unRegionalGroup") not in ACCEPTED_MLEDOZE_DISAGREEMENTS:
            problems.append(f"{state.iso3} regional group: ours {mine}, mledoze {theirs}")
    assert problems == []
