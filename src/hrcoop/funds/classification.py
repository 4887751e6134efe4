"""Traditional and non-traditional donors (para 21 of the resolution asks to broaden the donor base).

The rule, in one place: a donor is **traditional** when it is a member of the OECD Development
Assistance Committee - a State whose ISO alpha-3 code, or an organisation whose code, is listed in
``data/dac_members.yml`` (the European Union is a DAC member in its own right). Every other donor is
**non-traditional**: States outside the DAC, other intergovernmental organisations, foundations and
private donors. The list is a fact file with its source and date; when the DAC admits a member, edit
the file and run ``reclassify_donors``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DAC_FILE = Path(__file__).with_name("data") / "dac_members.yml"


@cache
def dac_members() -> dict[str, Any]:
    """The DAC list: member ``states`` (alpha-3), member ``organisations``, its ``source`` and ``as_of``."""
    with DAC_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return {
        "states": frozenset(data["states"]),
        "organisations": frozenset(data["organisations"]),
        "source": data["source"],
        "as_of": str(data["as_of"]),
    }


def is_traditional(*, state_iso3: str | None, organisation_code: str | None) -> bool:
    """True for a DAC member State or DAC member organisation; foundations and private donors never are."""
    members = dac_members()
    if state_iso3:
        return state_iso3 in members["states"]
    if organisation_code:
        return organisation_code in members["organisations"]
    return False
