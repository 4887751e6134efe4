"""The one place where SQLite and PostgreSQL differ for search (DESIGN.md §2): one class per engine.

Both index the same ready-made tokens of ``SearchDocument`` (see ``text``) and compile the same query
tree (see ``query``), so the same query finds the same records on both:

* SQLite: a contentless FTS5 table ``search_fts(stems, words, doc, facets)`` kept in step by
  triggers on ``search_searchdocument``. ``doc`` holds one constant token so that a query made only
  of NOT (which FTS5 cannot express alone) becomes "every document NOT ...". The table keeps no
  document lengths (``columnsize=0``): BM25 then ranks by term frequency and rarity alone, as
  PostgreSQL's ``ts_rank`` does, and skips one lookup per match (a common word over a million records:
  250 ms to 45 ms).
* PostgreSQL: a narrow table ``search_vector`` kept in step by a trigger on
  ``search_searchdocument``, with a GIN index on each of its two columns: ``text`` (stems weighted
  A, words weighted B, configuration ``simple`` because the tokens are already stemmed) and
  ``facets`` (the facet tokens, without positions). A query that matches many records reads every
  match from the table; these rows are half the size of the documents, which also hold the token
  strings. Text and facets in one row let the two indexes be intersected before any row is read.

Each engine answers two SQL fragments, the ids that match and the ids with a relevance score, and
counts the facet tokens of the matches (the numbers beside each facet value). All take the text
query (or None) and the facet choices (``FacetTokens``: groups of tokens, any token of a group and
every group), so that text and facets are answered by the index in one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

from hrcoop.core.batches import batched
from hrcoop.recommendations.search.query import Node, Not, Or, Phrase, Term

_EVERY = "doc"  # the constant token of the SQLite ``doc`` column
FACET_COUNT_CHUNK = 10_000  # documents whose facet tokens are counted at a time (SQLite)

# The chosen facets: for each facet the tokens of its chosen values (a record needs one of each).
FacetTokens = Sequence[Sequence[str]]


class Engine(Protocol):
    vendor: ClassVar[str]
    # Whether a ranked page should bring the number of all matches (a window over them) rather than
    # have them counted apart.
    counts_in_page_window: ClassVar[bool]

    def compile(self, node: Node) -> str: ...

    def ids_sql(self, node: Node | None, facets: FacetTokens = ()) -> tuple[str, list[Any]]: ...

    def scored_sql(self, node: Node, facets: FacetTokens = ()) -> tuple[str, list[Any]]: ...

    def matching_condition(
        self, key: str, node: Node | None, facets: FacetTokens, *, many: bool
    ) -> tuple[str, list[Any]]: ...

    def facet_token_counts(
        self, node: Node | None, facets: FacetTokens = (), *, ids: Sequence[int] | None = None
    ) -> Counter[str]: ...


def _split_negatives(children: tuple[Node, ...]) -> tuple[list[Node], list[Node]]:
    positives: list[Node] = [c for c in children if not isinstance(c, Not)]
    negatives = [c.child for c in children if isinstance(c, Not)]
    return positives, negatives


class SqliteEngine:
    vendor: ClassVar[str] = "sqlite"
    # FTS5 counts from its doclists: 132,000 matches in 19 ms, where a window over the ranked rows
    # added 190 ms.
    counts_in_page_window: ClassVar[bool] = False
    TABLE = "search_fts"  # kept in step with the documents by triggers (migration search 0003)

    @staticmethod
    def _quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def compile(self, node: Node) -> str:
        if isinstance(node, Term):
            if node.prefix:
                return f"(words : {self._quote(node.prefix)}*)"
            return "(stems : (" + " OR ".join(self._quote(s) for s in node.stems) + "))"
        if isinstance(node, Phrase):
            return "(stems : (" + " OR ".join(self._quote(" ".join(v)) for v in node.variants) + "))"
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

    def _match(self, node: Node | None, facets: FacetTokens) -> str:
        parts = [self.compile(node)] if node is not None else []
        parts += ["(facets : (" + " OR ".join(self._quote(t) for t in group) + "))" for group in facets]
        return " AND ".join(parts)

    def ids_sql(self, node: Node | None, facets: FacetTokens = ()) -> tuple[str, list[Any]]:
        return f"SELECT rowid FROM {self.TABLE} WHERE {self.TABLE} MATCH %s", [self._match(node, facets)]

    def matching_condition(
        self, key: str, node: Node | None, facets: FacetTokens, *, many: bool
    ) -> tuple[str, list[Any]]:
        """A condition on the records' ``key`` column: that the record matches, for a query that
        orders records by their own columns.

        SQLite cannot know how many rows FTS5 will return. For many, comparing an expression of the
        key ("id + 0") rather than the key makes it read the records in the query's order and keep the
        matching ones, rather than fetch every match by rowid and sort them all: 104,000 matches newest
        first, 630 ms to 244 ms.
        """
        sql, params = self.ids_sql(node, facets)
        return (f"{key} + 0 IN ({sql})" if many else f"{key} IN ({sql})"), params

    def facet_token_counts(
        self, node: Node | None, facets: FacetTokens = (), *, ids: Sequence[int] | None = None
    ) -> Counter[str]:
        """How many matching records carry each facet token (every record when nothing is asked).

        The matches' token strings are counted here, a chunk at a time: SQLite has no aggregate that
        splits a string, and FTS5 keeps no per-term counts over a set of matches.
        """
        sql = "SELECT facets FROM search_searchdocument"
        if ids is not None:  # a list of ids, a batch at a time: SQLite caps the parameters of a statement
            statements = [
                (f"{sql} WHERE recommendation_id IN ({', '.join(['%s'] * len(batch))})", batch)
                for batch in batched(ids)
            ]
        elif node is not None or facets:
            matching, params = self.ids_sql(node, facets)
            statements = [(f"{sql} WHERE recommendation_id IN ({matching})", params)]
        else:
            statements = [(sql, [])]
        counts: Counter[str] = Counter()
        with default_connection.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
                while rows := cursor.fetchmany(FACET_COUNT_CHUNK):
                    counts.update(" ".join(row[0] for row in rows).split())
        return counts

    def scored_sql(self, node: Node, facets: FacetTokens = ()) -> tuple[str, list[Any]]:
        # Weights of stems, words, doc, facets: a facet token says nothing about relevance.
        return (
            f"SELECT rowid AS id, -bm25({self.TABLE}, 1, 1, 1, 0) AS score "
            f"FROM {self.TABLE} WHERE {self.TABLE} MATCH %s",
            [self._match(node, facets)],
        )


class PostgresEngine:
    vendor: ClassVar[str] = "postgresql"
    # Counting apart would read every match from the table a second time.
    counts_in_page_window: ClassVar[bool] = True

    TABLE = "search_vector"  # kept in step with the documents by triggers (migration search 0004)

    @staticmethod
    def _lexeme(token: str, weight: str) -> str:
        quoted = "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"
        return f"{quoted}:{weight}" if weight else quoted

    def _alternatives(self, stems: tuple[str, ...]) -> str:
        return "(" + " | ".join(self._lexeme(s, "A") for s in stems) + ")"

    def compile(self, node: Node) -> str:
        if isinstance(node, Term):
            if node.prefix:
                return self._lexeme(node.prefix, "*B")
            return self._alternatives(node.stems)
        if isinstance(node, Phrase):
            sequences = ("(" + " <-> ".join(self._lexeme(t, "A") for t in v) + ")" for v in node.variants)
            return "(" + " | ".join(sequences) + ")"
        if isinstance(node, Or):
            return "(" + " | ".join(self.compile(c) for c in node.children) + ")"
        if isinstance(node, Not):
            return f"!{self.compile(node.child)}"
        return "(" + " & ".join(self.compile(c) for c in node.children) + ")"

    def _where(self, node: Node | None, facets: FacetTokens) -> tuple[str, list[Any]]:
        conditions, params = [], []
        if node is not None:
            conditions.append("text @@ to_tsquery('simple', %s)")
            params.append(self.compile(node))
        if facets:
            conditions.append("facets @@ to_tsquery('simple', %s)")
            params.append(
                " & ".join("(" + " | ".join(self._lexeme(t, "") for t in group) + ")" for group in facets)
            )
        return " AND ".join(conditions), params

    def ids_sql(self, node: Node | None, facets: FacetTokens = ()) -> tuple[str, list[Any]]:
        where, params = self._where(node, facets)
        return f"SELECT recommendation_id FROM {self.TABLE} WHERE {where}", params

    def matching_condition(
        self, key: str, node: Node | None, facets: FacetTokens, *, many: bool
    ) -> tuple[str, list[Any]]:
        # The planner estimates the matches as if they were spread evenly over the records, and for a
        # few thousand read the records newest first to find twenty: a State whose records are all
        # old took 1.7 s at a million. Few matches are therefore handed over as an array, whose
        # records are fetched by key and sorted (7,833 matches at 41k: 13 ms, where joining the
        # unnested array took 21); many are left to the planner, which reads in order.
        sql, params = self.ids_sql(node, facets)
        return (f"{key} IN ({sql})" if many else f"{key} = ANY(ARRAY({sql}))"), params

    def facet_token_counts(
        self, node: Node | None, facets: FacetTokens = (), *, ids: Sequence[int] | None = None
    ) -> Counter[str]:
        """How many matching records carry each facet token (every record when nothing is asked).

        ``ts_stat`` counts the documents of each lexeme of the matches' facet vectors in the server:
        132,000 matches in 0.5 s, where joining the facet tables per facet took 6.5 s. It takes its
        query as text, so the parameters are bound into it by the driver's own quoting.
        """
        sql, params = f"SELECT facets FROM {self.TABLE}", []
        if ids is not None:
            sql += " WHERE recommendation_id = ANY(%s)"
            params = [list(ids)]
        elif node is not None or facets:
            where, params = self._where(node, facets)
            sql += f" WHERE {where}"
        with default_connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, ndoc FROM ts_stat(%s)",
                [default_connection.ops.compose_sql(sql, params)],  # type: ignore[attr-defined]
            )
            return Counter(dict(cursor.fetchall()))

    def scored_sql(self, node: Node, facets: FacetTokens = ()) -> tuple[str, list[Any]]:
        # ts_rank (term frequencies, like SQLite's bm25) rather than ts_rank_cd (cover density): the
        # latter walks every variant of a stemmed phrase in every matching document, 270 ms for
        # "national human rights institution" at 41k records against 16 ms.
        # OFFSET 0 keeps the planner from pulling this subquery up: the score is then computed here,
        # and the window that counts the matches holds (id, score) rather than every matching row
        # with its vector, which spilled 73 MB to disk for "women" at a million records (430 to 355 ms).
        where, params = self._where(node, facets)
        return (
            "SELECT recommendation_id AS id, ts_rank(text, to_tsquery('simple', %s)) AS score "
            f"FROM {self.TABLE} WHERE {where} OFFSET 0",
            [self.compile(node), *params],
        )


ENGINES: dict[str, Engine] = {e.vendor: e for e in (SqliteEngine(), PostgresEngine())}


def engine(connection: BaseDatabaseWrapper | None = None) -> Engine:
    """The search engine of a database connection (the default one unless given)."""
    vendor = (connection or default_connection).vendor
    try:
        return ENGINES[vendor]
    except KeyError:
        raise RuntimeError(f"full-text search supports SQLite and PostgreSQL, not {vendor}") from None
