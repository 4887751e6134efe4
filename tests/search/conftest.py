"""A small multilingual corpus whose expected search results are known by heart."""

# ruff: noqa: RUF001 - the Cyrillic letters are the point

from __future__ import annotations

import datetime
import hashlib

import pytest

from hrcoop.recommendations.models import Classification, Label, LabelKind, Provenance, Recommendation
from hrcoop.reference.models import Mechanism, State, UprSession

# key: (text, language, State under review, recommending States, session, response, issue, action category)
CORPUS: dict[str, tuple[str, str, str, list[str], int, str, str, str]] = {
    "cedaw": (
        "Ratify the Convention on the Elimination of All Forms of Discrimination against Women",
        "en",
        "KEN",
        ["FRA", "DEU"],
        1,
        "supported",
        "womens-rights",
        "5",
    ),
    "woman": (
        "Protect the rights of every woman and girl against domestic violence",
        "en",
        "KEN",
        ["BRA"],
        1,
        "supported",
        "womens-rights",
        "4",
    ),
    "opcat": (
        "Consider ratifying the Optional Protocol to the Convention against Torture",
        "en",
        "IND",
        ["DNK"],
        14,
        "noted",
        "torture",
        "3",
    ),
    "torture": (
        "Take measures to eliminate torture and ill-treatment in places of detention",
        "en",
        "IND",
        ["SWE"],
        14,
        "supported",
        "torture",
        "4",
    ),
    "abolish": (
        "Abolish the death penalty and commute all death sentences",
        "en",
        "USA",
        ["FRA"],
        9,
        "noted",
        "death-penalty",
        "5",
    ),
    "moratorium": (
        "Establish a moratorium on executions with a view to abolishing the death penalty",
        "en",
        "KEN",
        ["ITA"],
        14,
        "noted",
        "death-penalty",
        "5",
    ),
    "crpd_fr": (
        "Ratifier la Convention relative aux droits des personnes handicapées",
        "fr",
        "SEN",
        ["FRA"],
        4,
        "supported",
        "disabilities",
        "5",
    ),
    "mujeres": (
        "Garantizar la protección de las mujeres víctimas de violencia",
        "es",
        "BOL",
        ["ESP"],
        7,
        "supported",
        "womens-rights",
        "4",
    ),
    "zh": ("保护妇女和儿童的权利", "zh", "CHN", ["PAK"], 4, "supported", "womens-rights", "4"),
    "ru": (
        "Ратифицировать Конвенцию о правах инвалидов",
        "ru",
        "KAZ",
        ["RUS"],
        7,
        "supported",
        "disabilities",
        "5",
    ),
    "nhri": (
        "Strengthen the independence of the national human rights institution (NHRI) "
        "in line with the Paris Principles",
        "en",
        "IND",
        ["AUS"],
        14,
        "supported",
        "nhri",
        "4",
    ),
    "press": (
        "Guarantee freedom of expression for journalists and human rights defenders",
        "en",
        "USA",
        ["NOR", "SWE"],
        9,
        "supported",
        "expression",
        "4",
    ),
    "ar": ("حماية حقوق المرأة والطفل", "ar", "EGY", ["TUN"], 7, "supported", "womens-rights", "4"),
}


def make_corpus() -> dict[str, Recommendation]:
    """Create the corpus with classifications and return it by key (the search index is not touched)."""
    upr = Mechanism.objects.get(code="UPR")
    states = {s.iso3: s for s in State.objects.all()}
    records: dict[str, Recommendation] = {}
    for n, (key, (text, lang, sur, by, session_no, response, issue, category)) in enumerate(CORPUS.items()):
        session = UprSession.objects.get(number=session_no)
        identity = hashlib.sha256(key.encode()).hexdigest()
        rec = Recommendation.objects.create(
            public_id=f"T{n:04d}{key[:6].upper()}",
            identity_key=identity,
            mechanism=upr,
            session=session,
            cycle=session.cycle,
            date=datetime.date(session.year, 1 + n % 12, 1),
            state_under_review=states[sur],
            text=text,
            language=lang,
            response=response,
        )
        rec.recommending_states.set([states[iso] for iso in by])
        for kind, code in ((LabelKind.ISSUE, issue), (LabelKind.ACTION_CATEGORY, category)):
            label, _ = Label.objects.get_or_create(
                kind=kind, code=code, defaults={"name": code.replace("-", " ")}
            )
            Classification.objects.create(
                recommendation=rec, label=label, kind=kind, provenance=Provenance.IMPORTED
            )
        records[key] = rec
    return records


@pytest.fixture
def corpus(reference_data: None) -> dict[str, Recommendation]:
    from hrcoop.core.versions import bump_version
    from hrcoop.recommendations.registry_version import REGISTRY
    from hrcoop.recommendations.search.services import index_recommendations

    records = make_corpus()
    bump_version(REGISTRY)  # written directly, not through an import: raise the version as one would
    index_recommendations(embed_later=False)
    return records
