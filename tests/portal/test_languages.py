"""The six UN languages: pages switch language by URL prefix, and the catalogues are complete and compiled.

The catalogues in ``src/hrcoop/locale`` are read here with a small reader of our own, so the tests need
neither GNU gettext nor polib: a fresh machine runs them from the committed ``.po`` and ``.mo`` files.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]")

# Per language (as in its URL prefix and html lang): the text direction, then words the home page must
# show in that language (navigation, heading, a response label). The English of ENGLISH must be gone.
PAGES = {
    "ar": ("rtl", ["التوصيات", "الصفحة الرئيسية", "التعاون الدولي في ميدان حقوق الإنسان", "مؤيَّدة"]),
    "zh-hans": ("ltr", ["建议", "首页", "人权领域的国际合作", "部分支持"]),
    "fr": ("ltr", ["Recommandations", "Accueil", "Coopération internationale", "Appuyée en partie"]),
    "ru": ("ltr", ["Рекомендации", "Главная", "Международное сотрудничество", "Поддержана частично"]),
    "es": ("ltr", ["Recomendaciones", "Inicio", "Cooperación internacional", "Apoyada en parte"]),
}
SEARCH_PAGE = {
    "ar": ["البحث في التوصيات", "عبارات البحث", "تطبيق عوامل التصفية"],
    "zh-hans": ["搜索建议", "搜索词", "应用筛选条件"],
    "fr": ["Rechercher des recommandations", "Termes recherchés", "Appliquer les filtres"],
    "ru": ["Поиск рекомендаций", "Искомые слова", "Применить фильтры"],
    "es": ["Buscar recomendaciones", "Términos de búsqueda", "Aplicar los filtros"],
}
ENGLISH = ["Search recommendations", "Skip to content", "Sign in", "Requests for assistance"]


@dataclass
class Entry:
    """One message of a catalogue: its context, msgid (and plural msgid) and its translations, by form."""

    msgid: str
    context: str | None = None
    plural: str | None = None
    forms: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0


def read_po(path: Path) -> tuple[str, list[Entry]]:
    """The header and the entries of a .po file (obsolete ``#~`` entries are skipped, as msgfmt does)."""
    entries: list[Entry] = []
    header = ""
    current: Entry | None = None
    target: tuple[str, int] = ("", 0)
    fuzzy = False
    context: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgctxt "):
            context, target = ast.literal_eval(line[8:]), ("msgctxt", 0)
        elif line.startswith("msgid "):
            current = Entry(msgid=ast.literal_eval(line[6:]), context=context, fuzzy=fuzzy, line=number)
            entries.append(current)
            target, fuzzy, context = ("msgid", 0), False, None
        elif line.startswith('"') and target[0] == "msgctxt":
            context = (context or "") + ast.literal_eval(line)
        elif line.startswith("msgid_plural ") and current:
            current.plural, target = ast.literal_eval(line[13:]), ("plural", 0)
        elif line.startswith("msgstr") and current:
            index = int(line[7 : line.index("]")]) if line.startswith("msgstr[") else 0
            current.forms[index], target = ast.literal_eval(line[line.index(" ") + 1 :]), ("msgstr", index)
        elif line.startswith('"') and current:
            text = ast.literal_eval(line)
            if target[0] == "msgid":
                current.msgid += text
            elif target[0] == "plural":
                current.plural = (current.plural or "") + text
            else:
                current.forms[target[1]] += text
    if entries and entries[0].msgid == "":
        header = entries.pop(0).forms[0]
    return header, entries


def nplurals(header: str) -> int:
    """How many plural forms the language has, as its catalogue declares (Arabic 6, Russian 3, ...)."""
    match = re.search(r"nplurals=(\d+)", header)
    assert match, "the catalogue's header has no Plural-Forms"
    return int(match.group(1))


def catalogue_id(path: Path) -> str:
    """The locale a catalogue is for (``zh_Hans``), from its directory: the test id."""
    return path.parent.parent.name


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(PAGES))
def test_home_page_is_in_the_language_of_its_prefix(
    reference_data: None, client: Client, language: str
) -> None:
    direction, words = PAGES[language]
    with translation.override(language):
        url = reverse("portal:home")
    assert url == f"/{language}/"
    body = client.get(url).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    missing = [w for w in words if w not in body]
    assert missing == [], f"{language} home page lacks {missing}"
    left = [w for w in ENGLISH if w in body]
    assert left == [], f"{language} home page still shows English {left}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(SEARCH_PAGE))
def test_search_page_is_in_the_language_of_its_prefix(
    reference_data: None, client: Client, language: str
) -> None:
    with translation.override(language):
        url = reverse("recommendations:search")
    assert url == f"/{language}/recommendations/search/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{PAGES[language][0]}">' in body
    missing = [w for w in SEARCH_PAGE[language] if w not in body]
    assert missing == [], f"{language} search page lacks {missing}"
    left = [w for w in ENGLISH if w in body]
    assert left == [], f"{language} search page still shows English {left}"


def test_there_is_a_catalogue_for_every_language_but_english() -> None:
    expected = {translation.to_locale(code) for code, _name in settings.LANGUAGES if code != "en"}
    assert {catalogue_id(p) for p in CATALOGUES} == expected


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    header, entries = read_po(po)
    forms = nplurals(header)
    assert "fuzzy" not in header
    problems = []
    for e in entries:
        want = forms if e.plural is not None else 1
        if e.fuzzy:
            problems.append(f"line {e.line}: fuzzy")
        if len(e.forms) != want or not all(e.forms.values()):
            problems.append(f"line {e.line}: {len(e.forms)} of {want} forms, or an empty one")
        source = set(PLACEHOLDER.findall(e.msgid + (e.plural or "")))
        for text in e.forms.values():
            if set(PLACEHOLDER.findall(text)) != source:
                problems.append(
                    f"line {e.line}: placeholders {PLACEHOLDER.findall(text)} != {sorted(source)}"
                )
    assert entries and problems == []


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_every_catalogue_holds_every_message_of_the_others(po: Path) -> None:
    """A message translated into one language only (French, say, by whoever added it) shows in English to
    the readers of the others: after adding strings, every catalogue is updated (docs/contributing.md)."""

    def messages(path: Path) -> set[tuple[str | None, str]]:
        return {(e.context, e.msgid) for e in read_po(path)[1]}

    missing = sorted(set().union(*(messages(other) for other in CATALOGUES)) - messages(po), key=str)
    assert missing == [], f"{len(missing)} messages missing, e.g. {[m for _c, m in missing[:5]]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_holds_what_the_po_file_says(po: Path) -> None:
    """Compare contents, not file times: a git checkout gives both files the time of the checkout."""
    _header, entries = read_po(po)
    expected: dict[object, str] = {}
    for e in entries:
        key = e.msgid if e.context is None else f"{e.context}\x04{e.msgid}"  # how a .mo keys a context
        if e.plural is None:
            expected[key] = e.forms[0]
        else:
            expected.update({(key, i): text for i, text in e.forms.items()})
    with po.with_suffix(".mo").open("rb") as mo:
        compiled: dict[object, str] = dict(gettext.GNUTranslations(mo)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)
    stale = sorted(str(k) for k in expected.keys() ^ compiled.keys())
    differ = sorted(str(k) for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert stale == [] and differ == [], "recompile: see docs/search.md, Languages"
