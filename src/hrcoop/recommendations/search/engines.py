"""The one place where SQLite and PostgreSQL differ for search (DESIGN.md §2): one class per engine.

Both index the same ready-made tokens of ``SearchDocument`` (see ``text``) and compile the same query
tree (see ``query``), so the same query finds the same records on both:

* SQLite: a contentless FTS5 table ``search_fts(stems, words, doc)`` kept in step by triggers on
  ``search_searchdocument``. ``doc`` holds one constant token so that a query made only of NOT
  (which FTS5 cannot express alone) becomes "every document NOT ...".
* PostgreSQL: a generated ``tsvector`` column (stems weighted A, words weighted B, configuration
  ``simple`` because the tokens are already stemmed) with a GIN index.

Each engine answers two SQL fragments: the ids that match, and the ids with a relevance score.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar, Protocol

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from hrcoop.recommendations.search.query import Node, Not, Or, Phrase, Term

MAX_PHRASE_VARIANTS = 32
_EVERY = "doc"  # the constant token of the SQLite ``doc`` column


class Engine(Protocol):
    vendor: ClassVar[str]

    def install_sql(self) -> list[str]: ...

    def uninstall_sql(self) -> list[str]: ...

    def compile(self, node: Node) -> str: ...

    def ids_sql(self, node: Node) -> tuple[str, list[Any]]: ...

    def scored_sql(self, node: Node) -> tuple[str, list[Any]]: ...


def phrase_variants(phrase: Phrase) -> list[tuple[str, ...]]:
    """The word sequences a phrase stands for, fewest alternatives kept first when there are too many."""
    positions = [list(p) for p in phrase.positions]
    width = max(len(p) for p in positions)
    while width > 1 and _product(positions, width) > MAX_PHRASE_VARIANTS:
        width -= 1
    return list(itertools.islice(itertools.product(*(p[:width] for p in positions)), MAX_PHRASE_VARIANTS))


def _product(positions: list[list[str]], width: int) -> int:
    total = 1
    for p in positions:
        total *= min(len(p), width)
    return total


def _split_negatives(children: tuple[Node, ...]) -> tuple[list[Node], list[Node]]:
    positives: list[Node] = [c for c in children if not isinstance(c, Not)]
    negatives = [c.child for c in children if isinstance(c, Not)]
    return positives, negatives


class SqliteEngine:
    vendor: ClassVar[str] = "sqlite"
    TABLE = "search_fts"

    def install_sql(self) -> list[str]:
        row = "new.recommendation_id, new.stems, new.words, 'doc'"
        old = "'delete', old.recommendation_id, old.stems, old.words, 'doc'"
        columns = f"{self.TABLE}(rowid, stems, words, doc)"
        delete_columns = f"{self.TABLE}({self.TABLE}, rowid, stems, words, doc)"
        return [
            f"CREATE VIRTUAL TABLE {self.TABLE} USING fts5(stems, words, doc, content='', "
            "tokenize='unicode61 remove_diacritics 0')",
            f"INSERT INTO {columns} SELECT recommendation_id, stems, words, 'doc' FROM search_searchdocument",
            "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN "
            f"INSERT INTO {columns} VALUES ({row}); END",
            "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN "
            f"INSERT INTO {delete_columns} VALUES ({old}); END",
            "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN "
            f"INSERT INTO {delete_columns} VALUES ({old}); INSERT INTO {columns} VALUES ({row}); END",
        ]

    def uninstall_sql(self) -> list[str]:
        return [f"DROP TRIGGER IF EXISTS search_fts_{t}" for t in ("ai", "ad", "au")] + [
            f"DROP TABLE IF EXISTS {self.TABLE}"
        ]

    @staticmethod
    def _quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def compile(self, node: Node) -> str:
        if isinstance(node, Term):
            if node.prefix:
                return f"(words : {self._quote(node.prefix)}*)"
            return "(stems : (" + " OR ".join(self._quote(s) for s in node.stems) + "))"
        if isinstance(node, Phrase):
            variants = phrase_variants(node)
            return "(stems : (" + " OR ".join(self._quote(" ".join(v)) for v in variants) + "))"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.compile(c) for c in node.children) + ")"
        if isinstance(node, Not):
            return f"((doc : {_EVERY}) NOT {self.compile(node.child)})"
        positives, negatives = _split_negatives(node.children)
        positive = " AND ".join(self.compile(c) for c in positives) if positives else f"doc : {_EVERY}"
        if not negatives:
            return f"({positive})"
        negative = " OR ".join(self.compile(c) for c in negatives)
        return f"(({positive}) NOT ({negative}))"

    def ids_sql(self, node: Node) -> tuple[str, list[Any]]:
        return f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s", [self.compile(node)]

    def scored_sql(self, node: Node) -> tuple[str, list[Any]]:
        return (
            f"SELECT rowid AS id, -bm25({self.TABLE}) AS score FROM {self.TABLE} WHERE {self.TABLE} MATCH %s",
            [self.compile(node)],
        )


class PostgresEngine:
    vendor: ClassVar[str] = "postgresql"

    def install_sql(self) -> list[str]:
        return [
            "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('simple'::regconfig, stems), 'A') || "
            "setweight(to_tsvector('simple'::regconfig, words), 'B')) STORED",
            "CREATE INDEX search_searchdocument_tsv ON search_searchdocument USING gin (tsv)",
        ]

    def uninstall_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS search_searchdocument_tsv",
            "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
        ]

    @staticmethod
    def _lexeme(token: str, weight: str) -> str:
        return "'" + token.replace("'", "''").replace("\\", "\\\\") + "':" + weight

    def _alternatives(self, stems: tuple[str, ...]) -> str:
        return "(" + " | ".join(self._lexeme(s, "A") for s in stems) + ")"

    def compile(self, node: Node) -> str:
        if isinstance(node, Term):
            if node.prefix:
                return self._lexeme(node.prefix, "*B")
            return self._alternatives(node.stems)
        if isinstance(node, Phrase):
            # The same variants as SQLite, so that a very long phrase is cut the same way on both.
            variants = phrase_variants(node)
            return (
                "("
                + " | ".join("(" + " <-> ".join(self._lexeme(t, "A") for t in v) + ")" for v in variants)
                + ")"
            )
        if isinstance(node, Or):
            return "(" + " | ".join(self.compile(c) for c in node.children) + ")"
        if isinstance(node, Not):
            return f"!{self.compile(node.child)}"
        return "(" + " & ".join(self.compile(c) for c in node.children) + ")"

    def ids_sql(self, node: Node) -> tuple[str, list[Any]]:
        return (
            "SELECT recommendation_id FROM search_searchdocument WHERE tsv @@ to_tsquery('simple', %s)",
            [self.compile(node)],
        )

    def scored_sql(self, node: Node) -> tuple[str, list[Any]]:
        # ts_rank (term frequencies, like SQLite's bm25) rather than ts_rank_cd (cover density): the
        # latter walks every variant of a stemmed phrase in every matching document, 270 ms for
        # "national human rights institution" at 41k records against 16 ms.
        return (
            "SELECT d.recommendation_id AS id, ts_rank(d.tsv, q) AS score "
            "FROM search_searchdocument d, to_tsquery('simple', %s) q WHERE d.tsv @@ q",
            [self.compile(node)],
        )


ENGINES: dict[str, Engine] = {e.vendor: e for e in (SqliteEngine(), PostgresEngine())}


def engine(connection: BaseDatabaseWrapper | None = None) -> Engine:
    """The search engine of a database connection (the default one unless given)."""
    vendor = (connection or default_connection).vendor
    try:
        return ENGINES[vendor]
    except KeyError:
        raise RuntimeError(f"full-text search supports SQLite and PostgreSQL, not {vendor}") from None
