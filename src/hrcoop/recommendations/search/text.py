"""Text analysis shared by indexing and querying, in Python so that SQLite and PostgreSQL agree.

Each word becomes two tokens: its *stem* (Snowball, in the language of the text, accents removed),
used for words and phrases, and its folded surface *word*, used for ``prefix*`` queries (a stem can be
shorter than the prefix a person types). The databases only ever match ready-made tokens, so neither
engine's own stemmer or parser decides what matches. Chinese, Japanese and Korean have no spaces between
words: each character is a token and a word typed in a query becomes a phrase of characters
(character n-grams).

A query does not know the language of the records it will meet, so a query word is stemmed by every
stemmer of its script (``query_stems``): "women" is looked up as the English "woman", the French and
Spanish forms; the records themselves are stemmed in their own language only. A phrase is looked up
in each language's reading of all its words (``phrase_stems``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Language code (as stored on a record) -> Snowball algorithm.
STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
# Query words are stemmed with every stemmer of their script.
LATIN_LANGUAGES = ("en", "fr", "es")

# English forms the Snowball algorithm leaves apart but readers expect together (woman/women).
IRREGULAR = {
    "en": {"women": "woman", "men": "man", "children": "child", "people": "person", "peoples": "person"}
}

_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")


def fold(text: str) -> str:
    """Lower case without accents or Arabic vowel marks: "Ratificación" -> "ratificacion"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c != "\u0640")


def _split_cjk(word: str) -> list[str]:
    """Split a run of text into words, each CJK character on its own."""
    if not _CJK.search(word):
        return [word]
    parts: list[str] = []
    buffer = ""
    for char in word:
        if _CJK.match(char):
            if buffer:
                parts.append(buffer)
                buffer = ""
            parts.append(char)
        else:
            buffer += char
    if buffer:
        parts.append(buffer)
    return parts


def words(text: str) -> list[str]:
    """The words of ``text`` in order, lower case, accents kept (stemmers need them)."""
    out: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        out.extend(_split_cjk(match.group()))
    return out


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    algorithm = STEMMERS.get(language)
    return snowballstemmer.stemmer(algorithm) if algorithm else None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The index form of one lower-case word in ``language``: stemmed, then folded.

    Two small repairs make derived forms meet: "ratifi" (ratify) and "ratif" (ratification) both
    become "ratif"; Spanish "ratific" (ratificar) and "ratif" (ratificación) likewise.
    """
    word = IRREGULAR.get(language, {}).get(word, word)
    stemmer = _stemmer(language)
    result = stemmer.stemWord(word) if stemmer else word
    if language in ("en", "fr") and result.endswith("fi"):
        result = result[:-1]
    elif language == "es" and result.endswith("ific"):
        result = result[:-2]
    return fold(result) or fold(word)


def base_language(language: str) -> str:
    return (language or "en").lower().split("-")[0]


def document_tokens(text: str, language: str) -> tuple[str, str]:
    """(stems, words) of a record's text, space-separated, in the same order."""
    lang = base_language(language)
    tokens = words(text)
    return " ".join(stem(w, lang) for w in tokens), " ".join(fold(w) for w in tokens)


def _script_languages(word: str) -> tuple[str, ...]:
    if re.search(r"[\u0600-\u06ff]", word):
        return ("ar",)
    if re.search(r"[\u0400-\u04ff]", word):
        return ("ru",)
    if re.search(r"[a-z]", fold(word)):
        return LATIN_LANGUAGES
    return ("",)


def query_stems(word: str) -> list[str]:
    """Every index form a query word may have in a record, whatever its language; English first."""
    forms = [stem(word, lang) for lang in _script_languages(word)]
    return [f for i, f in enumerate(forms) if f and f not in forms[:i]]


def phrase_stems(words: list[str]) -> list[tuple[str, ...]]:
    """The index forms a phrase of query words may have in a record: one sequence per language.

    A record is stemmed in its own language, so the words of a phrase it contains share one stemmer:
    the English, French and Spanish readings of "national human rights institution" are three
    sequences, where mixing each word's readings made 24 (and an 8x slower phrase match).
    """
    languages = list(dict.fromkeys(lang for w in words for lang in _script_languages(w)))
    variants: list[tuple[str, ...]] = []
    for lang in languages:
        variant = tuple(stem(w, lang) if lang in _script_languages(w) else query_stems(w)[0] for w in words)
        if variant not in variants:
            variants.append(variant)
    return variants
