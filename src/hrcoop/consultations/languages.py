"""The language of an answer, when the respondent did not say: py3langid, limited to the six UN languages.

Limiting the candidates matters: unrestricted, langid reads a short French sentence as Catalan or
Walloon, which no answer may be in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from hrcoop.consultations.models import UN_LANGUAGES


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(UN_LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """The UN language ``text`` is most likely written in (a code of ``UN_LANGUAGES``)."""
    code, _probability = _identifier().classify(text)
    return str(code)
