"""A small multilingual corpus whose expected search results are known by heart."""

# ruff: noqa: RUF001 - the Cyrillic letters are the point

from __future__ import annotations

import datetime
import hashlib

import pytest

from hrcoop.recommendations.models import LabelKind, Recommendation
from hrcoop.reference.models import State, UprSession
from tests.factories import announce_records, make_recommendation

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
    """Create the corpus with classifications and return it by key; it is announced as an import is,
    so the search index and the registry's version follow it."""
    states = {s.iso3: s for s in State.objects.all()}
    records: dict[str, Recommendation] = {}
    for n, (key, (text, lang, sur, by, session_no, response, issue, category)) in enumerate(CORPUS.items()):
        session = UprSession.objects.get(number=session_no)
        records[key] = make_recommendation(
            f"T{n:04d}{key[:6].upper()}",
            states[sur],
            text,
            identity_key=hashlib.sha256(key.encode()).hexdigest(),
            session=session,
            cycle=session.cycle,
            date=datetime.date(session.year, 1 + n % 12, 1),
            language=lang,
            response=response,
            recommending_states=[states[iso] for iso in by],
            labels={LabelKind.ISSUE: [issue], LabelKind.ACTION_CATEGORY: [category]},
            label_names={code: code.replace("-", " ") for code in (issue, category)},
            announce=False,
        )
    announce_records(list(records.values()))
    return records


@pytest.fixture
def corpus(reference_data: None) -> dict[str, Recommendation]:
    return make_corpus()
