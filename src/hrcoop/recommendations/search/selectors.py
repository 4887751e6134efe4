"""Reads of search: one ``search`` for the page, the API and the exports, so all three agree.

The registry is public, so no read here depends on who asks; when confidential records appear, the
base queryset below is where the actor's view is applied.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import BooleanField, F, Min, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from hrcoop.core.batches import batched
from hrcoop.core.errors import InvalidInput
from hrcoop.recommendations import figures
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.reference_cache import ReferenceRows
from hrcoop.recommendations.registry_version import RegistryKeys, registry_keys
from hrcoop.recommendations.search import query as query_language
from hrcoop.recommendations.search.engines import FacetTokens, engine
from hrcoop.recommendations.search.facets import FACETS, FACETS_BY_KEY, FacetValue, values_counted
from hrcoop.recommendations.search.text import _CJK, base_language, fold, stem
from hrcoop.recommendations.selectors import kept_under, records_in_order
from hrcoop.reference.translations import name_in_language

T = TypeVar("T")

SORTS = ("relevance", "newest", "oldest", "state", "session", "recommending_state")
MODES = ("text", "semantic")
SEMANTIC_LIMIT = 200  # a semantic search ranks everything; the first 200 are its results
# The orders an index of the records serves (``recommendation_newest_first``, read either way).
INDEXED_ORDERS = ("newest",)


@dataclass(frozen=True)
class SortKey:
    """One key of an order: an expression, its direction, and where its NULLs go (None: where the
    database puts them, as the ``recommendation_newest_first`` index does)."""

    expression: Any
    descending: bool = False
    nulls_last: bool | None = None

    def placed(self) -> SortKey:
        """The same key with its NULLs placed as the database places them by default."""
        if self.nulls_last is not None:
            return self
        largest = connection.features.nulls_order_largest
        return replace(self, nulls_last=not self.descending if largest else self.descending)

    def reversed(self) -> SortKey:
        """The key read backwards (NULLs at the other end)."""
        nulls_last = None if self.nulls_last is None else not self.nulls_last
        return replace(self, descending=not self.descending, nulls_last=nulls_last)

    def ordering(self, name: str) -> OrderBy:
        nulls = (
            {"nulls_last": True}
            if self.nulls_last
            else {"nulls_first": True}
            if self.nulls_last is False
            else {}
        )
        return OrderBy(F(name), descending=self.descending, **nulls)


def order_keys(sort: str) -> list[SortKey]:
    """The keys of each order of results other than relevance, the record's id last.

    States sort by their name in the page's language (``name_in_language``); a joint recommendation
    sorts under the first of its recommending States in alphabetical order. ``session_id``, not the
    session: ordering by the relation would join the sessions and sort every match.
    """
    state_name = name_in_language("state_under_review")
    if sort == "state":
        return [SortKey(state_name), SortKey(F("date"), True, True), SortKey(F("pk"), True)]
    if sort == "session":
        return [SortKey(F("session__number"), nulls_last=True), SortKey(state_name), SortKey(F("pk"))]
    if sort == "recommending_state":
        first = Min(name_in_language("recommending_states"))
        return [SortKey(first, nulls_last=True), SortKey(F("pk"))]
    if sort == "oldest":
        return [SortKey(F("date"), nulls_last=True), SortKey(F("session_id")), SortKey(F("pk"))]
    return [SortKey(F("date"), True, True), SortKey(F("session_id"), True), SortKey(F("pk"), True)]


ORDERS = ("newest", "oldest", "state", "session", "recommending_state")


def _seek_name(index: int, keys: list[SortKey]) -> str:
    """The name a key is annotated (and filtered) under: the id is the record's own ``pk``."""
    return "pk" if index == len(keys) - 1 else f"_seek{index}"


def _after(keys: list[SortKey], names: list[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``keys`` (each with its NULLs placed): for some
    key, equal on every key before it and after on it. NULLs are equal to one another and sort at
    their end of the order."""
    if len(values) != len(keys):
        raise InvalidInput(
            _("The cursor does not fit this order; follow next/previous links."), where="cursor"
        )
    nothing = Q(pk__in=[])
    condition = nothing
    equal = Q()
    for key, name, value in zip(keys, names, values, strict=True):
        if value is None:
            beyond = nothing if key.nulls_last else Q(**{f"{name}__isnull": False})
            same = Q(**{f"{name}__isnull": True})
        else:
            beyond = Q(**{f"{name}__{'lt' if key.descending else 'gt'}": value})
            if key.nulls_last:
                beyond |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal & beyond
        equal &= same
    return condition


def _json_key(values: tuple[Any, ...]) -> list[Any]:
    """A row's key as JSON keeps it (dates as ISO text, which their fields read back)."""
    return [v.isoformat() if isinstance(v, datetime.date) else v for v in values]


def seek_position(result: SearchResult, position: Mapping[str, Any]) -> tuple[list[Any] | None, bool]:
    """(key, backward) of a decoded cursor ``{"o": order, "k": key, "b": backward}``; a cursor made
    for another order (the sort changed, or a query was added to a date-ordered search) is refused
    rather than read as a key it is not."""
    if not position:
        return None, False
    key = position.get("k")
    if position.get("o") != result.order_name or not isinstance(key, list) or len(key) != result.key_length:
        raise InvalidInput(
            _("The cursor belongs to another order of results; follow the next and previous links."),
            where="cursor",
        )
    return key, bool(position.get("b"))


def cursor_positions(result: SearchResult, page: SeekPage) -> tuple[dict[str, Any], dict[str, Any]]:
    """The positions of the pages before and after ``page``, to be encoded as cursors."""
    order = result.order_name
    return {"o": order, "k": page.keys[0], "b": True}, {"o": order, "k": page.keys[-1]}


@dataclass
class SeekPage:
    """The ids of a page in display order, the seek key of each, and whether rows follow it in the
    direction it was read."""

    ids: list[int]
    keys: list[list[Any]]
    more: bool


def base_queryset() -> QuerySet[Recommendation]:
    return Recommendation.objects.all()


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    mode: str = "text"

    @classmethod
    def from_query_dict(cls, data: Mapping[str, Any]) -> SearchParams:
        """Read the parameters of a page or API URL (``QueryDict`` or a plain mapping of lists)."""

        def values(key: str) -> list[str]:
            getlist = getattr(data, "getlist", None)
            raw = getlist(key) if getlist else data.get(key, [])
            raw = [raw] if isinstance(raw, str) else list(raw)
            return [part for item in raw for part in str(item).split(",")]

        q_values = values("q")
        q = " ".join(q_values) if "q" in data else ""
        sort = (values("sort") or ["relevance"])[0] or "relevance"
        mode = (values("mode") or ["text"])[0] or "text"
        if sort not in SORTS:
            raise InvalidInput(
                _("sort must be one of %(choices)s, not %(value)r.")
                % {"choices": ", ".join(SORTS), "value": sort},
                where="sort",
            )
        if mode not in MODES:
            raise InvalidInput(
                _("mode must be one of %(choices)s, not %(value)r.")
                % {"choices": ", ".join(MODES), "value": mode},
                where="mode",
            )
        filters = {}
        for facet in FACETS:
            chosen = facet.clean(values(facet.key))
            if chosen:
                filters[facet.key] = chosen
        return cls(q=q, filters=filters, sort=sort, mode=mode)

    def query_items(self) -> list[tuple[str, str]]:
        """The parameters as URL pairs, for shareable links."""
        items = [("q", self.q)] if self.q else []
        items += [(key, v) for key, values in self.filters.items() for v in values]
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        if self.mode != "text":
            items.append(("mode", self.mode))
        return items


def _rows(sql: str, params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class SearchResult:
    """The records a search finds, counted, paged, streamed, faceted and highlighted on demand."""

    def __init__(self, params: SearchParams) -> None:
        self.params = params
        self.node = query_language.parse(params.q) if params.mode == "text" else None
        # Per chosen facet, the index tokens of its values; a facet whose values no record can carry
        # (an unknown State or label) leaves nothing to find.
        self.chosen_tokens = {
            key: FACETS_BY_KEY[key].tokens(values, self.reference) for key, values in params.filters.items()
        }
        self.facet_tokens = list(self.chosen_tokens.values())
        self.nothing = any(not tokens for tokens in self.facet_tokens)
        self.queryset = base_queryset()
        if self.nothing:
            self.queryset = self.queryset.none()
        elif self.indexed:
            self.queryset = self._matching(many=False)

    def _matching(self, *, many: bool) -> QuerySet[Recommendation]:
        """The records the index matches (``many``: when a great many do, see the engines)."""
        meta = Recommendation._meta
        key = f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(meta.pk.column)}"
        sql, params = engine().matching_condition(key, self.node, self.facet_tokens, many=many)
        return base_queryset().filter(RawSQL(sql, params, output_field=BooleanField()))

    @cached_property
    def keys(self) -> RegistryKeys:
        """The registry's versions, read once per search (one statement)."""
        return registry_keys()

    @cached_property
    def reference(self) -> ReferenceRows:
        """The reference rows that name facet values and records, read once per search."""
        return ReferenceRows(self.keys.reference)

    def _kept(self, name: str, sql: str, params: Any, compute: Callable[[], T]) -> T:
        """``compute()``, which runs ``sql`` over the index, kept in the shared cache per the statement
        and the records' version (the index's catch-up raises it too): a search asked again costs one
        cache read until the records change. At a million records, on PostgreSQL, ranking the 132,300
        matches of "women" takes 0.7 s, counting them 0.5 s and their facets 0.46 s; a popular search is
        asked often."""
        digest = hashlib.sha256(repr((sql, list(params))).encode()).hexdigest()
        return kept_under(self.keys.records, f"search:{name}:{digest}", compute)

    @property
    def indexed(self) -> bool:
        """Whether the index answers (a text query or a facet), rather than every record."""
        return self.node is not None or bool(self.facet_tokens)

    @cached_property
    def semantic_hits(self) -> list[tuple[int, float]]:
        return self._semantic_hits(self.facet_tokens)

    def _semantic_hits(self, facet_tokens: FacetTokens) -> list[tuple[int, float]]:
        """The records nearest in meaning among those that carry ``facet_tokens``."""
        from hrcoop.recommendations.search.embeddings import nearest

        if not self.params.q.strip() or any(not tokens for tokens in facet_tokens):
            return []
        allowed = None
        if facet_tokens:
            sql, sql_params = engine().ids_sql(None, facet_tokens)
            with connection.cursor() as cursor:
                cursor.execute(sql, sql_params)
                allowed = {row[0] for row in cursor.fetchall()}
        return nearest(self._query_vector, limit=SEMANTIC_LIMIT, allowed=allowed)

    @cached_property
    def _query_vector(self) -> Any:
        """The query's vector, encoded once however many facets are counted."""
        from hrcoop.recommendations.search.embeddings import encode

        return encode([self.params.q[: query_language.MAX_QUERY_LENGTH]])[0]

    @property
    def semantic(self) -> bool:
        return self.params.mode == "semantic" and bool(self.params.q.strip())

    @cached_property
    def count(self) -> int:
        if self.semantic:
            return len(self.semantic_hits)
        if self.nothing:
            return 0
        if self.indexed:
            # The index holds one row per record (the search services keep it so): count there, not
            # through a join with every record.
            sql, sql_params = engine().ids_sql(self.node, self.facet_tokens)
            counting = f"SELECT COUNT(*) FROM ({sql}) m"
            [(count,)] = self._kept("count", counting, sql_params, lambda: _rows(counting, sql_params))
            return int(count)
        return self.queryset.count()

    def _ranked_ids(self, limit: int | None, offset: int) -> list[int]:
        assert self.node is not None
        if self.nothing:
            return []
        scored, scored_params = engine().scored_sql(self.node, self.facet_tokens)
        # A page also brings the number of all matches (a window over them, before LIMIT): one pass
        # over the matches where counting them separately made two.
        paged = limit is not None and engine().counts_in_page_window
        sql = f"SELECT m.id{', COUNT(*) OVER ()' if paged else ''} FROM ({scored}) m"
        params: list[Any] = list(scored_params)
        sql += " ORDER BY m.score DESC, m.id"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        rows = _rows(sql, params)
        if paged and rows:
            self.__dict__.setdefault("count", rows[0][1])  # fills the cached ``count``
        return [row[0] for row in rows]

    def _ordered(self, limit: int | None) -> QuerySet[Recommendation]:
        """The matches in the order asked for, each key of the order annotated (``_seek0``...)."""
        queryset = self.queryset
        if self.indexed and not self.nothing and self._read_in_order(limit):
            queryset = self._matching(many=True)
        keys = self.sort_keys
        queryset = queryset.annotate(**{f"_seek{i}": key.expression for i, key in enumerate(keys[:-1])})
        return queryset.order_by(*(key.ordering(_seek_name(i, keys)) for i, key in enumerate(keys)))

    def _read_in_order(self, limit: int | None) -> bool:
        """Whether to find a page by reading the records in the order asked for and keeping the
        matches (the engines' ``many`` plan), rather than fetching every match by key and sorting.

        Decided from the data: reading in order suits only an order an index serves, and costs
        about ``limit * records / matches`` rows if the matches are spread over the registry, where
        fetching and sorting costs ``matches``; so it is chosen when ``matches**2 > limit * records``
        (about 930 matches for a page of 21 at 41,000 records, 4,600 at a million). Few matches are
        fetched by key even where reading in order looks cheap: a State whose records are all old was
        read newest first for 1.7 s at a million. Measured at 41k on PostgreSQL, newest first
        (``bench/search.py plans``): of 9 facet searches the 6 of 4,549 to 14,555 matches read in
        order, 7 to 35 times faster than fetching by key, which the fixed threshold of 20,000 this
        replaces made them do; the one of 21,199 reads in order as before, though by key was faster
        there (190 ms against 120); the two of 163 and 269 matches are fetched by key (4-6 ms either
        way).
        """
        if self.order_name not in INDEXED_ORDERS or limit is None:
            return False
        return self.count**2 > limit * kept_under(
            self.keys.records, "search:records", Recommendation.objects.count
        )

    @cached_property
    def sort_keys(self) -> list[SortKey]:
        """The order of the results as seek keys, the record's id last (it makes every key unique)."""
        return order_keys(self.params.sort)

    @property
    def order_name(self) -> str:
        """What a seek key is a key of: "relevance" or one of the orders of ``order_keys``."""
        return (
            "relevance" if self.by_relevance else self.params.sort if self.params.sort in ORDERS else "newest"
        )

    @property
    def key_length(self) -> int:
        return 2 if self.by_relevance else len(self.sort_keys)

    def seek(
        self, *, limit: int, after: list[Any] | None = None, backward: bool = False, offset: int = 0
    ) -> SeekPage:
        """The ``limit`` results that follow the key ``after`` (from the first when None), or with
        ``backward`` the ``limit`` that precede it (from the last when None): a page whose cost does
        not grow with its depth, as the database skips to the key rather than counting rows up to an
        offset. ``offset`` is for a page asked for by its number, which has no key to start from.

        Keys are those of ``SeekPage.keys``, made by an earlier call with the same parameters; not for
        a semantic search (its at most ``SEMANTIC_LIMIT`` results are paged by position).
        """
        assert not self.semantic
        if self.nothing:
            return SeekPage([], [], more=False)
        if self.by_relevance:
            rows = self._ranked_seek(limit + 1, after, backward=backward, offset=offset)
        else:
            rows = self._ordered_seek(limit + 1, after, backward=backward, offset=offset)
        more = len(rows) > limit
        rows = rows[:limit]
        if backward:
            rows.reverse()
        return SeekPage([row[0] for row in rows], [_json_key(row[1:]) for row in rows], more=more)

    def _ordered_seek(
        self, limit: int, after: list[Any] | None, *, backward: bool, offset: int
    ) -> list[tuple[Any, ...]]:
        keys = [key.placed() for key in self.sort_keys]
        if backward:
            keys = [key.reversed() for key in keys]
        queryset = self._ordered(offset + limit)
        names = [_seek_name(i, keys) for i in range(len(keys))]
        if after is not None:
            queryset = queryset.filter(_after(keys, names, after))
        queryset = queryset.order_by(*(key.ordering(name) for key, name in zip(keys, names, strict=True)))
        return list(queryset.values_list("pk", *names)[offset : offset + limit])

    def _ranked_seek(
        self, limit: int, after: list[Any] | None, *, backward: bool, offset: int
    ) -> list[tuple[Any, ...]]:
        """Rows (id, score, id) in relevance order past ``after`` = [score, id], the key of a row.

        Scores are doubles that travel exactly (JSON keeps every bit of one), so "score below, or equal
        and id above" finds the next row whatever the ties. On PostgreSQL the window that counts the
        matches is computed before the seek condition, so the page still brings the number of all
        matches.
        """
        assert self.node is not None
        scored, scored_params = engine().scored_sql(self.node, self.facet_tokens)
        window = engine().counts_in_page_window
        # As a double: PostgreSQL's ts_rank is a real, which travels as its shortest decimal text and
        # would come back as a different double, so an equal score would no longer compare equal.
        total = ", COUNT(*) OVER () AS total" if window else ""
        inner = f"SELECT m.id, CAST(m.score AS DOUBLE PRECISION) AS score{total} FROM ({scored}) m"
        sql = f"SELECT w.id, w.score{', w.total' if window else ''} FROM ({inner}) w"
        params: list[Any] = list(scored_params)
        if after is not None:
            score, last_id = after
            below, beyond = (">", "<") if backward else ("<", ">")
            sql += f" WHERE (w.score {below} %s OR (w.score = %s AND w.id {beyond} %s))"
            params += [score, score, last_id]
        sql += " ORDER BY w.score, w.id DESC" if backward else " ORDER BY w.score DESC, w.id"
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
        rows = self._kept("ranked", sql, params, lambda: _rows(sql, params))
        if window and rows:
            self.__dict__.setdefault("count", rows[0][2])  # fills the cached ``count``
        return [(pk, score, pk) for pk, score, *_ in rows]

    @property
    def by_relevance(self) -> bool:
        return self.params.sort == "relevance" and self.node is not None

    def ids(self, *, limit: int | None = None, offset: int = 0) -> list[int]:
        """Ids of the results in order (all of them when ``limit`` is None)."""
        if self.semantic:
            hits = [pk for pk, _ in self.semantic_hits]
            return hits[offset : None if limit is None else offset + limit]
        if self.by_relevance:
            return self._ranked_ids(limit, offset)
        ordered = self._ordered(None if limit is None else offset + limit).values_list("pk", flat=True)
        return list(ordered[offset : offset + limit] if limit is not None else ordered)

    def page(self, *, limit: int, offset: int = 0) -> list[Recommendation]:
        return records_in_order(self.ids(limit=limit, offset=offset), rows=self.reference)

    def iterate(self) -> Iterator[Recommendation]:
        """Every result, in order, a batch of records at a time (``core.batches``): memory stays flat
        for exports but for the ids, read in one statement so that the order is computed once."""
        for batch in batched(self.ids()):
            yield from records_in_order(batch, rows=self.reference)

    def facets(self, keys: list[str] | None = None) -> list[tuple[str, Any, list[FacetValue]]]:
        """(key, label, values with counts) of each facet (of ``keys``, or all).

        Disjunctive: a facet without a choice is counted over the results; a facet with one is counted
        over the results of the query and every *other* facet's choice, so that its other values stay
        on offer, each with the number of results it would add (values of a facet are OR-ed). That is
        one more count per facet with a choice, and none for the others.
        """
        return [
            (
                facet.key,
                facet.label,
                facet.counts(
                    self._counted(facet.key), self.params.filters.get(facet.key, []), self.reference
                ),
            )
            for facet in FACETS
            if keys is None or facet.key in keys
        ]

    def _counted(self, key: str) -> Mapping[str, int]:
        """Value -> count of facet ``key``, over the results of every choice but its own."""
        if key not in self.chosen_tokens:
            return self._counted_over_results.get(key, {})
        others = [tokens for other, tokens in self.chosen_tokens.items() if other != key]
        return values_counted(self._facet_token_counts(others), self.reference).get(key, {})

    @cached_property
    def _counted_over_results(self) -> dict[str, dict[str, int]]:
        """Every facet's values counted over the results: one pass for all the facets without a choice."""
        return values_counted(self._facet_token_counts(self.facet_tokens), self.reference)

    def _facet_token_counts(self, facet_tokens: FacetTokens) -> Mapping[str, int]:
        """How many records carry each facet token among those the query and ``facet_tokens`` find."""
        if any(not tokens for tokens in facet_tokens):
            return {}
        if self.semantic:
            hits = self._semantic_hits(facet_tokens)
            return engine().facet_token_counts(None, ids=[pk for pk, _ in hits])
        if self.node is not None or facet_tokens:
            # Kept per query and choices: a change of reference rows or of other apps' data leaves it.
            sql, params = engine().ids_sql(self.node, facet_tokens)
            count = engine().facet_token_counts
            return self._kept("facet-tokens", sql, params, lambda: dict(count(self.node, facet_tokens)))
        # The whole registry, as the search page shows it before anything is asked (and as a lone
        # chosen facet's own values are counted): kept by a task after each change (``figures``).
        return cast(Mapping[str, int], figures.kept(figures.FACET_TOKENS))

    @cached_property
    def _marks(self) -> tuple[set[str], set[str]]:
        return query_language.positive_terms(self.node)

    def highlight(self, text: str, language: str) -> SafeString:
        """The text with every word that made it match wrapped in ``<mark>``; the rest escaped."""
        stems, prefixes = self._marks
        if not stems and not prefixes:
            return mark_safe(escape(text))
        lang = base_language(language)
        out: list[str] = []
        last = 0
        for match in re.finditer(r"[^\W_]+", text):
            pieces = [
                (match.start() + i, match.start() + i + 1)
                for i, c in enumerate(match.group())
                if _CJK.match(c)
            ]
            spans = pieces or [match.span()]
            for start, end in spans:
                word = text[start:end].casefold()
                hit = stem(word, lang) in stems or any(fold(word).startswith(p) for p in prefixes)
                if hit:
                    out.append(escape(text[last:start]))
                    out.append(f"<mark>{escape(text[start:end])}</mark>")
                    last = end
        out.append(escape(text[last:]))
        return mark_safe("".join(out))


def search(params: SearchParams) -> SearchResult:
    return SearchResult(params)


def similar_to(recommendation: Recommendation, *, limit: int = 5) -> list[tuple[Recommendation, float]]:
    """The recommendations whose meaning is closest, in any language; [] until its vector exists."""
    from hrcoop.recommendations.search.embeddings import dequantise, nearest
    from hrcoop.recommendations.search.models import Embedding

    blob = Embedding.objects.filter(pk=recommendation.pk).values_list("vector", flat=True).first()
    if blob is None:
        return []
    hits = nearest(dequantise(bytes(blob)), limit=limit, exclude={recommendation.pk})
    records = {r.pk: r for r in records_in_order([pk for pk, _ in hits])}
    return [(records[pk], score) for pk, score in hits if pk in records]
