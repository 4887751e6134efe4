"""Where the names of reference rows in the five UN languages besides English come from.

- States: the Unicode CLDR territory names that ship inside Babel (always present, no download),
  replaced by the United Nations' own short name (UNTERM) where the two differ in substance:
  ``data/state_names.csv`` (the State of Palestine, the Holy See, the two Koreas, the two Congos...).
- Regional groups, organisations, mechanisms and funds: ``data/names.csv``, written from the names
  these bodies use in UN documents of each language.

docs/languages.md says why and lists what was checked.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db.models import F
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

DATA_DIR = Path(__file__).with_name("data")

# Names kept on a row besides its English ``name``: every language of the site but English.
OTHER_LANGUAGES: tuple[str, ...] = tuple(code for code, _ in settings.LANGUAGES if code != "en")


def babel_locale(language: str) -> Locale:
    """The CLDR locale of a Django language code ("zh-hans" is CLDR's "zh_Hans")."""
    return Locale.parse(language.replace("-", "_"))


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(babel_locale(language).territories)


@cache
def _un_state_names() -> dict[str, dict[str, str]]:
    with (DATA_DIR / "state_names.csv").open(newline="", encoding="utf-8") as handle:
        return {row.pop("iso3"): row for row in csv.DictReader(handle)}


def state_names(iso3: str, iso2: str) -> dict[str, str]:
    """A State's names in the other UN languages: the UN's where listed, else CLDR's."""
    listed = _un_state_names().get(iso3, {})
    names = {lang: listed.get(lang) or _territories(lang).get(iso2.upper(), "") for lang in OTHER_LANGUAGES}
    return {lang: name for lang, name in names.items() if name}


def names_file(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(kind, code) -> names by language, from a file with columns kind, code and one per language."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            (row["kind"], row["code"]): {lang: row[lang] for lang in OTHER_LANGUAGES if row.get(lang)}
            for row in csv.DictReader(handle)
        }


def name_in_language(path: str = "", language: str | None = None) -> F | Coalesce:
    """An expression for the name of the row at ``path`` ("state_under_review", "" for the row
    itself) in ``language`` (the active one by default), to sort by it in the database: the name in
    ``names`` when there is one, else the English ``name``."""
    prefix = f"{path}__" if path else ""
    lang = (language or get_language() or "en").lower()
    if lang == "en":
        return F(f"{prefix}name")
    return Coalesce(KeyTextTransform(lang, f"{prefix}names"), F(f"{prefix}name"))
