"""The query language, parsed into a small tree that each database engine compiles.

Grammar (lenient: what cannot be parsed is dropped or closed, never an error page)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          adjacent terms mean AND
    unary   := ("NOT" | "-") unary | primary
    primary := "(" query ")" | '"' words '"' | word | word*

Repairs: an unclosed quote or parenthesis is closed at the end, a stray ")" is ignored, a NOT or an
operator with nothing to apply to is dropped, control characters are spaces. Only a query longer
than ``MAX_QUERY_LENGTH``, with more than ``MAX_TERMS`` words or nested deeper than ``MAX_DEPTH`` is
refused (``InvalidInput``, a 400), because it cannot be a real search. The depth bound keeps the parser
and the engines' compilers (both recursive) far from Python's recursion limit: 240 "(" or 950 "-" used
to reach it and answer 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hrcoop.core.errors import InvalidInput
from hrcoop.recommendations.search.text import _CJK, fold, phrase_stems, query_stems, words

MAX_QUERY_LENGTH = 1000
MAX_TERMS = 64  # a bound on the work one query can ask of the database
MAX_DEPTH = 32  # parentheses and negations inside one another


@dataclass(frozen=True)
class Term:
    """One word: ``stems`` are its alternative index forms; a prefix term matches folded words."""

    stems: tuple[str, ...]
    prefix: str = ""


@dataclass(frozen=True)
class Phrase:
    """Words in this order: each word's alternative stems, and the sequences a record may hold."""

    positions: tuple[tuple[str, ...], ...]
    variants: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, parts: list[str]) -> Phrase:
        return cls(positions=tuple(tuple(query_stems(p)) for p in parts), variants=tuple(phrase_stems(parts)))


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | Phrase | And | Or | Not

_TOKEN = re.compile(r'"|\(|\)|[^\s"()]+')
_OPERATORS = {"AND", "OR", "NOT"}


def _word_node(raw: str) -> Node | None:
    """A bare query word: one term, a prefix term, or a phrase when it splits (CJK, "women's")."""
    prefix = raw.endswith("*")
    parts = words(raw)
    if not parts:
        return None
    if prefix and len(parts) == 1 and not _CJK.match(parts[0]):
        return Term(stems=(), prefix=fold(parts[0]))
    if len(parts) == 1:
        return Term(stems=tuple(query_stems(parts[0])))
    return Phrase.of(parts)


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.terms = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        nodes: list[Node] = []
        while self.peek() is not None:
            node = self.parse_or()
            if node is not None:
                nodes.append(node)
            elif self.peek() is not None:
                self.take()  # a stray ")" or operator: skip it
        return _combine(And, nodes)

    def parse_or(self) -> Node | None:
        nodes = [n for n in [self.parse_and()] if n is not None]
        while self.peek() == "OR":
            self.take()
            node = self.parse_and()
            if node is not None:
                nodes.append(node)
        return _combine(Or, nodes)

    def parse_and(self) -> Node | None:
        nodes: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token in {")", "OR"}:
                break
            if token == "AND":
                self.take()
                continue
            node = self.parse_unary()
            if node is not None:
                nodes.append(node)
        return _combine(And, nodes)

    def parse_unary(self) -> Node | None:
        token = self.peek()
        if token == "NOT" or (token is not None and token.startswith("-") and token != "-"):
            self.take()
            if token != "NOT":  # "-word": the rest of the token is the operand
                self.tokens.insert(self.pos, token[1:])
            if self.peek() in {None, ")", "OR", "AND"}:
                return None  # a lone NOT applies to nothing: drop it
            self._enter()
            child = self.parse_unary()
            self.depth -= 1
            return Not(child) if child is not None else None
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        token = self.take()
        if token == "(":
            self._enter()
            node = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.take()
            return node
        if token == '"':
            parts: list[str] = []
            while self.peek() not in {None, '"'}:
                parts.extend(words(self.take()))
            if self.peek() == '"':
                self.take()
            return self._count(self._phrase(parts))
        if token in _OPERATORS or token == ")":
            return None
        return self._count(_word_node(token))

    @staticmethod
    def _phrase(parts: list[str]) -> Node | None:
        if not parts:
            return None
        if len(parts) == 1 and not _CJK.match(parts[0]):
            return Term(stems=tuple(query_stems(parts[0])))
        return Phrase.of(parts)

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InvalidInput(
                _(
                    "The query is nested more than %(limit)d levels deep (parentheses, NOT or a leading "
                    "minus sign); simplify it."
                )
                % {"limit": MAX_DEPTH},
                where="q",
            )

    def _count(self, node: Node | None) -> Node | None:
        if node is None:
            return None
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise InvalidInput(
                _("The query has more than %(limit)d words or phrases; shorten it.") % {"limit": MAX_TERMS},
                where="q",
            )
        return node


def _combine(kind: type[And] | type[Or], nodes: list[Node]) -> Node | None:
    flat: list[Node] = []
    for node in nodes:
        if isinstance(node, And | Or) and isinstance(node, kind):
            flat.extend(node.children)
        else:
            flat.append(node)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def parse(text: str) -> Node | None:
    """The tree of a query, or None when it asks for nothing (empty, or only operators)."""
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInput(
            _("The query is %(length)s characters long; the limit is %(limit)s.")
            % {"length": f"{len(text):,}", "limit": f"{MAX_QUERY_LENGTH:,}"},
            where="q",
        )
    cleaned = "".join(" " if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0) else c for c in text)
    cleaned = (
        cleaned.replace("\u201c", '"').replace("\u201d", '"').replace("\u00ab", '"').replace("\u00bb", '"')
    )
    return _Parser(_TOKEN.findall(cleaned)).parse()


def positive_terms(node: Node | None) -> tuple[set[str], set[str]]:
    """(stems, prefixes) a matching record may contain: what highlighting marks."""
    stems: set[str] = set()
    prefixes: set[str] = set()
    if isinstance(node, Term):
        stems.update(node.stems)
        if node.prefix:
            prefixes.add(node.prefix)
    elif isinstance(node, Phrase):
        for alternatives in node.positions:
            stems.update(alternatives)
    elif isinstance(node, And | Or):
        for child in node.children:
            child_stems, child_prefixes = positive_terms(child)
            stems |= child_stems
            prefixes |= child_prefixes
    return stems, prefixes
