"""Every kind of name a page shows beside a code, in each of the six UN languages (issue 20, item 3):
States, regional groups, organisations, mechanisms and their kinds, funds, issues, action categories,
responses, request statuses and sessions; then the pages, exports and API that show them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from hrcoop.assistance.models import Status
from hrcoop.core import formatting
from hrcoop.core.money import Money
from hrcoop.recommendations.models import Label, LabelKind, Response
from hrcoop.recommendations.services.vocabularies import sync_vocabularies
from hrcoop.reference.models import Fund, Mechanism, Organisation, RegionalGroup, State, UprSession
from tests.search.exports import read_csv_export
from tests.search.registry_fixture import import_registry

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


def _state(iso3: str) -> Callable[[], str]:
    return lambda: State.objects.get(iso3=iso3).display_name


def _row(model: Any, pk: str) -> Callable[[], str]:
    return lambda: model.objects.get(pk=pk).display_name


def _label(kind: LabelKind, code: str) -> Callable[[], str]:
    return lambda: Label.objects.get(kind=kind, code=code).display_name


# kind -> (how to read the name in the active language, the name in each language)
LABEL_KINDS: dict[str, tuple[Callable[[], str], dict[str, str]]] = {
    "State": (
        _state("FJI"),
        {"ar": "فيجي", "zh-hans": "斐济", "en": "Fiji", "fr": "Fidji", "ru": "Фиджи", "es": "Fiyi"},
    ),
    "State (a UN name, not the CLDR's)": (
        _state("PSE"),
        {
            "ar": "دولة فلسطين",
            "zh-hans": "巴勒斯坦国",
            "en": "State of Palestine",
            "fr": "État de Palestine",
            "ru": "Государство Палестина",
            "es": "Estado de Palestina",
        },
    ),
    "regional group": (
        _row(RegionalGroup, "GRULAC"),
        {
            "ar": "دول أمريكا اللاتينية ومنطقة البحر الكاريبي",
            "zh-hans": "拉丁美洲和加勒比国家",
            "en": "Latin American and Caribbean States",
            "fr": "États d'Amérique latine et des Caraïbes",
            "ru": "Государства Латинской Америки и Карибского бассейна",
            "es": "Estados de América Latina y el Caribe",
        },
    ),
    "organisation": (
        _row(Organisation, "AU"),
        {
            "ar": "الاتحاد الأفريقي",
            "zh-hans": "非洲联盟",
            "en": "African Union",
            "fr": "Union africaine",
            "ru": "Африканский союз",
            "es": "Unión Africana",
        },
    ),
    "mechanism": (
        _row(Mechanism, "UPR"),
        {
            "ar": "الاستعراض الدوري الشامل",
            "zh-hans": "普遍定期审议",
            "en": "Universal Periodic Review",
            "fr": "Examen périodique universel",
            "ru": "Универсальный периодический обзор",
            "es": "Examen Periódico Universal",
        },
    ),
    "mechanism kind": (
        lambda: str(Mechanism.Kind.TREATY_BODY.label),
        {
            "ar": "هيئة معاهدة",
            "zh-hans": "条约机构",
            "en": "Treaty body",
            "fr": "Organe conventionnel",
            "ru": "Договорный орган",
            "es": "Órgano de tratado",
        },
    ),
    "fund": (
        _row(Fund, "VFTC"),
        {
            "ar": "صندوق الأمم المتحدة للتبرعات من أجل التعاون التقني في ميدان حقوق الإنسان",
            "zh-hans": "联合国人权领域技术合作自愿基金",
            "en": "United Nations Voluntary Fund for Technical Cooperation in the Field of Human Rights",
            "fr": "Fonds de contributions volontaires des Nations Unies pour la coopération technique "
            "dans le domaine des droits de l'homme",
            "ru": "Фонд добровольных взносов Организации Объединенных Наций для технического "
            "сотрудничества в области прав человека",
            "es": "Fondo de contribuciones voluntarias de las Naciones Unidas para la cooperación técnica en "
            "materia de derechos humanos",
        },
    ),
    "issue": (
        _label(LabelKind.ISSUE, "death-penalty"),
        {
            "ar": "عقوبة الإعدام",
            "zh-hans": "死刑",
            "en": "Death penalty",
            "fr": "Peine de mort",
            "ru": "Смертная казнь",
            "es": "Pena de muerte",
        },
    ),
    "action category": (
        _label(LabelKind.ACTION_CATEGORY, "5"),
        {
            "ar": "إجراء محدد",
            "zh-hans": "具体行动",
            "en": "Specific action",
            "fr": "Action spécifique",
            "ru": "Конкретные действия",
            "es": "Acción específica",
        },
    ),
    "response": (
        lambda: str(Response.NOTED.label),
        {
            "ar": "أُحيط بها علماً",
            "zh-hans": "注意到",
            "en": "Noted",
            "fr": "Prise en note",
            "ru": "Принята к сведению",
            "es": "Anotada",
        },
    ),
    "request status": (
        lambda: str(Status.FUNDED.label),
        {
            "ar": "ممول",
            "zh-hans": "已供资",
            "en": "Funded",
            "fr": "Financée",
            "ru": "Профинансирован",
            "es": "Financiada",
        },
    ),
    "UPR session": (
        lambda: UprSession.objects.get(number=21).display_name,
        {
            "ar": "الاستعراض الدوري الشامل 21",
            "zh-hans": "普遍定期审议第21届会议",
            "en": "UPR 21",
            "fr": "EPU 21",
            "ru": "УПО 21",
            "es": "EPU 21",
        },
    ),
    "Council session": (
        lambda: formatting.session_name("HRC", 16),
        {
            "ar": "مجلس حقوق الإنسان 16",
            "zh-hans": "人权理事会第16届会议",
            "en": "HRC 16",
            "fr": "CDH 16",
            "ru": "СПЧ 16",
            "es": "CDH 16",
        },
    ),
}


@pytest.fixture
def vocabularies(reference_data: None) -> None:
    sync_vocabularies()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LABEL_KINDS)
def test_every_label_kind_has_a_name_in_each_of_the_six_languages(vocabularies: None, kind: str) -> None:
    read, expected = LABEL_KINDS[kind]
    assert set(expected) == set(LANGUAGES)
    shown = {}
    for language in LANGUAGES:
        with translation.override(language):
            shown[language] = read()
    assert shown == expected


@pytest.mark.django_db
def test_every_state_group_organisation_mechanism_fund_issue_and_category_is_named_in_every_language(
    vocabularies: None,
) -> None:
    """Not one row of the shipped vocabularies falls back to English, and no two States share a name
    in one language (a facet or a type-ahead box would offer two identical choices)."""
    named = [
        *State.objects.all(),
        *RegionalGroup.objects.all(),
        *Organisation.objects.all(),
        *Mechanism.objects.all(),
        *Fund.objects.all(),
        *Label.objects.filter(kind__in=[LabelKind.ISSUE, LabelKind.ACTION_CATEGORY]),
    ]
    others = {"ar", "zh-hans", "fr", "ru", "es"}
    missing = [f"{type(row).__name__} {row.pk}" for row in named if set(row.names) != others]
    assert missing == []
    for language in others:
        names = [state.names[language] for state in State.objects.all()]
        assert len(set(names)) == len(names) == 195


@pytest.mark.parametrize(
    ("language", "number", "amount", "day"),
    [
        ("en", "12,345.5", "1,250.00 USD", "6 December 2026"),
        ("fr", "12\u00a0345,5", "1\u00a0250,00 USD", "6 décembre 2026"),
        ("es", "12\u00a0345,5", "1\u00a0250,00 USD", "6 de diciembre de 2026"),
        ("ru", "12\u00a0345,5", "1\u00a0250,00 USD", "6 декабря 2026 \u0433."),
        ("ar", "12,345.5", "1,250.00 USD", "6 ديسمبر 2026"),
        ("zh-hans", "12,345.5", "1,250.00 USD", "2026年12月6日"),
    ],
)
def test_numbers_amounts_and_dates_follow_the_language(
    language: str, number: str, amount: str, day: str
) -> None:
    with translation.override(language):
        assert formatting.number(12345.5, decimals=1) == number
        assert formatting.money(Money(125000, "USD")) == amount
        assert formatting.date(dt.date(2026, 12, 6)) == day


@pytest.fixture
def registry(vocabularies: None, tmp_path: Path) -> dict[str, Any]:
    return import_registry(tmp_path)


@pytest.mark.django_db
def test_the_search_page_names_facet_values_and_hits_in_french(registry: Any, client: Client) -> None:
    html = client.get("/fr/recommendations/search/", {"state": "FJI"}).content.decode()
    assert ">Fidji<" in html or "Fidji</" in html
    for name in (
        "Peine de mort",
        "Action spécifique",
        "EPU 20",
        "Norvège",
        "Europe occidentale et autres États",
    ):
        assert name in html, name
    assert "Death penalty" not in html


@pytest.mark.django_db
def test_a_state_name_typed_in_any_un_language_offers_its_recommendations(
    registry: Any, client: Client
) -> None:
    html = client.get("/fr/recommendations/search/", {"q": "Fidji"}).content.decode()
    assert 'href="?state=FJI" id="made-to"' in html
    for language, name in (("ar", "فيجي"), ("zh-hans", "斐济"), ("ru", "фиджи")):
        html = client.get(f"/{language}/recommendations/search/", {"q": name}).content.decode()
        assert 'href="?state=FJI" id="made-to"' in html, language


@pytest.mark.django_db
def test_a_state_page_in_arabic_names_the_state_its_issues_and_groups(registry: Any, client: Client) -> None:
    html = client.get("/ar/recommendations/countries/FJI/").content.decode()
    for name in ("فيجي", "عقوبة الإعدام", "دول أوروبا الغربية ودول أخرى"):
        assert name in html, name


@pytest.mark.django_db
def test_sorting_by_state_follows_the_language_of_the_page(registry: Any, client: Client) -> None:
    """Japan is "Japon" in French and "日本" in Chinese: its place in the order moves with the language."""
    from hrcoop.recommendations.search.selectors import SearchParams, search

    def order(language: str) -> list[str]:
        with translation.override(language):
            result = search(SearchParams(sort="state", filters={"state": ["JPN", "GHA", "NOR"]}))
            states = [r.state_under_review.iso3 for r in result.page(limit=50)]
        return list(dict.fromkeys(states))

    assert order("en") == ["GHA", "JPN", "NOR"]  # Ghana, Japan, Norway
    assert order("ru") == ["GHA", "NOR", "JPN"]  # Гана, Норвегия, Япония


@pytest.mark.django_db
def test_an_export_keeps_codes_and_adds_names_in_the_language_of_the_page(
    registry: Any, client: Client
) -> None:
    response = client.get("/fr/recommendations/export/csv/", {"state": "FJI", "issue": "death-penalty"})
    _note, rows = read_csv_export(b"".join(response.streaming_content).decode("utf-8-sig"))
    [row] = rows
    assert row["État examiné"] == "Fidji"
    assert row["Thèmes"] == "Peine de mort" and row["Thèmes (codes)"] == "death-penalty"
    assert row["Réponse"] == "Prise en note" and row["Réponse (code)"] == "noted"
    assert row["Catégorie d'action"] == "Action spécifique" and row["Catégorie d'action (code)"] == "5"
    assert row["Session"] == "EPU 20" and row["Session (numéro)"] == "20"


@pytest.mark.django_db
def test_the_api_returns_the_names_beside_the_codes(registry: Any, client: Client) -> None:
    body = client.get("/api/recommendations/", {"state": "FJI", "issue": "death-penalty"}).json()
    [record] = body["results"]
    assert record["state_under_review"]["names"]["ar"] == "فيجي"
    issue = next(c for c in record["classifications"] if c["kind"] == "issue")
    assert (issue["code"], issue["name"], issue["names"]["fr"]) == (
        "death-penalty",
        "Death penalty",
        "Peine de mort",
    )


@pytest.mark.django_db
def test_the_secretariat_names_an_organisation_in_each_language_in_the_admin(
    reference_data: None, client: Client
) -> None:
    from hrcoop.core.audit import events_for
    from hrcoop.core.models import User

    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    form = client.get("/admin/reference/organisation/add/").content.decode()
    assert 'name="name_fr"' in form and 'name="name_zh_hans"' in form and 'name="names"' not in form
    names = {
        "ar": "منظمة الدول الأمريكية",
        "fr": "Organisation des États américains",
        "zh_hans": "美洲国家组织",
    }
    response = client.post(
        "/admin/reference/organisation/add/",
        {
            "code": "OAS2",
            "name": "Organization of American States",
            **{f"name_{k}": v for k, v in names.items()},
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(code="OAS2")
    assert organisation.names == {"ar": names["ar"], "fr": names["fr"], "zh-hans": names["zh_hans"]}
    with translation.override("fr"):
        assert organisation.display_name == "Organisation des États américains"
    with translation.override("ru"):  # no Russian name given: the English one
        assert organisation.display_name == "Organization of American States"

    change = f"/admin/reference/organisation/{organisation.pk}/change/"
    assert "Organisation des États américains" in client.get(change).content.decode()
    client.post(
        change, {"code": "OAS2", "name": organisation.name, "name_ru": "Организация американских государств"}
    )
    organisation.refresh_from_db()
    assert organisation.names == {"ru": "Организация американских государств"}
    [_created, changed] = events_for(organisation).order_by("pk")
    assert changed.data["after"]["names"] == {"ru": "Организация американских государств"}


@pytest.mark.django_db
def test_facet_values_with_equal_counts_follow_their_names_in_the_page_language(
    registry: Any, client: Client
) -> None:
    """Norway and New Zealand have five recommendations each: "New Zealand" comes first in English,
    "Norvège" before "Nouvelle-Zélande" in French."""

    def states(prefix: str) -> list[str]:
        html = client.get(f"{prefix}/recommendations/search/").content.decode()
        return re.findall(r'name="state" value="([A-Z]{3})"', html)

    english, french = states(""), states("/fr")
    assert english.index("NZL") < english.index("NOR")
    assert french.index("NOR") < french.index("NZL")
