"""Matching the many names of a State ("Côte d'Ivoire", "Cote d'Ivoire", "Iran (Islamic Republic of)").

Names are folded (accents removed, case folded, "&" read as "and", punctuation dropped) and looked up
in ``StateName``. An unknown name is an error that names it: an importer never creates a State.
"""

from __future__ import annotations

import re
import unicodedata

from hrcoop.core.errors import InvalidInput
from hrcoop.reference.models import State, StateName


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", stripped.casefold().replace("&", " and ")).strip()


class StateIndex:
    """An in-memory map from folded names to States, built once per import."""

    def __init__(self) -> None:
        states = {s.pk: s for s in State.objects.select_related("regional_group")}
        self._by_key: dict[str, State] = {}
        for state in states.values():
            self._by_key[name_key(state.name)] = state
            self._by_key[name_key(state.iso3)] = state
        for state_id, key in StateName.objects.values_list("state_id", "key"):
            self._by_key[key] = states[state_id]

    def get(self, name: str) -> State | None:
        return self._by_key.get(name_key(name))

    def resolve(self, name: str) -> State:
        state = self.get(name)
        if state is None:
            raise InvalidInput(f"unknown State {name!r}: not a UN Member or observer State name we know")
        return state


def resolve_state(name: str) -> State:
    """Look up one State by any of its names (for single look-ups; importers use ``StateIndex``)."""
    return StateIndex().resolve(name)
