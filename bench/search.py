"""Search benchmark: 20 representative queries, p50/p95 beside the same SQL replayed bare, and the
search API under 8 concurrent clients against gunicorn.

Run against a database that holds the real corpus (``hrcoop import upr-info
../shared/data/upr_info_terman/*.csv.gz``), on either engine (``DATABASE_URL`` decides)::

    python bench/search.py queries                 # p50/p95 per query kind, beside bare SQL
    python bench/search.py plans                   # the first page of facet searches by each plan, and
                                                   # the one chosen from the data
    python bench/search.py deep                    # a page 2,000 rows deep by offset and by seek key
    python bench/search.py facets                  # p50/p95 of the search page with its facet counts,
                                                   # first view and asked again, beside the bare SQL
    python bench/search.py http --seconds 30       # gunicorn, 8 clients: req/s and p99, with the API's
                                                   # cache as deployed and then with it off
    python bench/search.py expand --to 1000000     # grow a *copy* of the corpus by varying the texts

``queries`` times what the API list does for one request (parse, filter, count, one page of 20 with
its related rows) beside two floors: the SQL statements that request issued, captured with
``connection.execute_wrapper`` and replayed straight on the cursor (what our Python costs), and the
fastest of a few hand-written plans for the same answer (``hand_written_plans``: ranked with a window
count or counted apart; in date order through ``IN`` or a materialised array), so that a plan our
selector chose badly shows as a ratio above 1 against the best, not hidden in its own replay.
``http`` measures against a bare Django view under the same gunicorn (bench/floor_urls.py).
``expand`` makes new records from the real ones by prefixing each text with one of 24 openings
("Continue efforts to ...") so that term statistics stay realistic, gives them vectors of their own and
builds the vector index over all of them; it refuses a database whose name does not contain "bench".
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django
import numpy as np

from _http import BARE, get_all, gunicorn, percentile  # the benchmark's own folder is on sys.path

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hrcoop.core.versions import bump_version  # noqa: E402
from hrcoop.recommendations.figures import refresh_stale  # noqa: E402
from hrcoop.recommendations.models import Classification, Recommendation  # noqa: E402
from hrcoop.recommendations.registry_version import REGISTRY  # noqa: E402
from hrcoop.recommendations.search import vector_index  # noqa: E402
from hrcoop.recommendations.search.engines import engine  # noqa: E402
from hrcoop.recommendations.search.models import Embedding  # noqa: E402
from hrcoop.recommendations.search.selectors import SearchParams, search  # noqa: E402
from hrcoop.recommendations.search.text import document_tokens  # noqa: E402

QUERIES: list[tuple[str, str, dict[str, list[str]]]] = [
    ("words", "women", {}),
    ("words", "torture", {}),
    ("words", "children education", {}),
    ("words", "ratification", {}),
    ("words", "journalists", {}),
    ("phrase", '"death penalty"', {}),
    ("phrase", '"national human rights institution"', {}),
    ("phrase", '"freedom of expression"', {}),
    ("boolean", "torture OR ill-treatment", {}),
    ("boolean", "(women OR girls) AND violence", {}),
    ("boolean", "death -penalty", {}),
    ("boolean", "disab* NOT convention", {}),
    ("boolean", "journalist* AND (protect OR safety)", {}),
    ("facets", "", {"state": ["KEN"]}),
    ("facets", "", {"recommending_organisation": ["EU"], "response": ["noted"]}),
    ("facets", "", {"cycle": ["2"], "under_review_group": ["AFRICAN"]}),
    ("facets", "", {"issue": ["__common__"]}),
    ("text+3 facets", "women", {"cycle": ["1"], "response": ["supported"], "recommending_group": ["WEOG"]}),
    (
        "text+3 facets",
        "torture",
        {"under_review_group": ["AFRICAN"], "response": ["noted"], "action_category": ["5"]},
    ),
    (
        "text+3 facets",
        '"death penalty"',
        {"recommending_organisation": ["EU"], "cycle": ["2"], "response": ["noted"]},
    ),
]

OPENINGS = [
    "Continue efforts to", "Take further steps to", "Consider measures to", "Redouble efforts to",
    "Strengthen its commitment to", "Take concrete measures to", "Adopt a plan to", "Intensify work to",
    "Pursue its policy to", "Make every effort to", "Step up measures to", "Ensure in law and practice",
    "Adopt legislation to", "Allocate resources to", "Seek technical assistance to",
    "Work with civil society to", "Take effective measures to", "Reinforce the mechanisms to",
    "Develop a strategy to", "Set a timeline to", "Continue its cooperation to",
    "Take all necessary steps to", "Establish a mechanism to", "Promote policies to",
]  # fmt: skip


def _common_issue() -> str:
    from django.db.models import Count

    row = (
        Classification.objects.filter(kind="issue")
        .values("label__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return row["label__code"] if row else "none"


def _params(q: str, filters: dict[str, list[str]], issue: str) -> SearchParams:
    filters = {k: [issue if v == "__common__" else v for v in vs] for k, vs in filters.items()}
    return SearchParams(q=q, filters=filters)


def _one_request(params: SearchParams) -> int:
    """What the API list does: one page of 20, then the number of all results."""
    result = search(params)
    result.page(limit=20)
    return result.count


def _captured(call: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """``call()``'s result and the SQL statements it sent, with their parameters, to replay bare."""
    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, args: Any, many: bool, context: Any) -> Any:
        statements.append((sql, args))
        return execute(sql, args, many, context)

    with connection.execute_wrapper(capture):
        result = call()
    return result, statements


def _replayed_ms(statements: list[tuple[str, Any]]) -> float:
    """Milliseconds to send ``statements`` again straight on a cursor, reading every row: the floor
    our Python cannot go under."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, args in statements:
            cursor.execute(sql, args)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


PAGE = 20
DATE_ORDER = "ORDER BY r.date DESC NULLS LAST, r.session_id DESC, r.id DESC"


def _fetch_page(cursor: Any, ids: list[int]) -> None:
    """The page's records with their recommending States and accepted labels, three statements."""
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    through = Recommendation.recommending_states.through._meta.db_table
    for sql, args in (
        (f"SELECT * FROM recommendations_recommendation WHERE id IN ({marks})", ids),
        (f"SELECT recommendation_id, state_id FROM {through} WHERE recommendation_id IN ({marks})", ids),
        (
            "SELECT * FROM recommendations_classification WHERE status = %s "
            f"AND recommendation_id IN ({marks})",
            [Classification.Status.ACCEPTED, *ids],
        ),
    ):
        cursor.execute(sql, args)
        cursor.fetchall()


def hand_written_plans(params: SearchParams) -> list[Any]:
    """Hand-written ways to answer one API request (a page of 20 and the number of all matches), each
    a function that runs it on the cursor and returns the count: the floor is the fastest of them for
    each query, whatever plan our selector chose (``queries``)."""
    result = search(params)  # parsed query and facet tokens only: nothing runs yet
    node, facets, eng = result.node, result.facet_tokens, engine()
    matching, matching_args = eng.ids_sql(node, facets)
    plans: list[Any] = []

    def counted(cursor: Any) -> int:
        cursor.execute(f"SELECT COUNT(*) FROM ({matching}) m", matching_args)
        return int(cursor.fetchone()[0])

    if node is not None:  # ranked by relevance
        scored, scored_args = eng.scored_sql(node, facets)
        ranked = f"FROM ({scored}) m ORDER BY m.score DESC, m.id LIMIT {PAGE}"

        def window() -> int:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT m.id, COUNT(*) OVER () {ranked}", scored_args)
                rows = cursor.fetchall()
                _fetch_page(cursor, [row[0] for row in rows])
                return int(rows[0][1]) if rows else 0

        def apart() -> int:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT m.id {ranked}", scored_args)
                _fetch_page(cursor, [row[0] for row in cursor.fetchall()])
                return counted(cursor)

        plans += [window, apart]
    else:  # newest first, as the API lists records without a text query
        postgres = connection.vendor == "postgresql"
        membership = ["r.id IN ({})", "r.id = ANY(ARRAY({}))" if postgres else "r.id + 0 IN ({})"]
        for condition in membership:

            def in_order(condition: str = condition) -> int:
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT r.id FROM recommendations_recommendation r "
                        f"WHERE {condition.format(matching)} {DATE_ORDER} LIMIT {PAGE}",
                        matching_args,
                    )
                    _fetch_page(cursor, [row[0] for row in cursor.fetchall()])
                    return counted(cursor)

            plans.append(in_order)
    return plans


def _best_of(plans: list[Any], reps: int) -> tuple[list[float], int]:
    """The timings of the fastest plan (by median), and what it counted."""
    best: list[float] = []
    hits = 0
    for plan in plans:
        hits = plan()  # warm-up
        samples = []
        for _ in range(reps):
            started = time.perf_counter()
            plan()
            samples.append((time.perf_counter() - started) * 1000)
        if not best or statistics.median(samples) < statistics.median(best):
            best = samples
    return best, hits


def run_queries(reps: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics of a freshly imported corpus, as autovacuum would
    total = Recommendation.objects.count()
    issue = _common_issue()
    print(f"engine {connection.vendor}, {total:,} recommendations, {reps} runs per query after two warm-ups")
    print("replay: the SQL our selector issued, replayed bare; best: the fastest hand-written plan")
    print(
        f"{'kind':<14} {'query':<40} {'hits':>8} {'p50 ms':>8} {'replay':>7} {'best':>7} "
        f"{'/replay':>7} {'/best':>6}"
    )
    columns: dict[str, list[float]] = {"ours": [], "replay": [], "best": []}
    by_kind: dict[str, dict[str, list[float]]] = {}
    for kind, q, filters in QUERIES:
        params = _params(q, filters, issue)

        _one_request(params)  # warm-up (the first request of a process also loads the reference copy)
        hits, statements = _captured(lambda params=params: _one_request(params))  # the SQL to replay
        mine, floor = [], []
        for _ in range(reps):
            started = time.perf_counter()
            _one_request(params)
            mine.append((time.perf_counter() - started) * 1000)
            floor.append(_replayed_ms(statements))
        best, best_hits = _best_of(hand_written_plans(params), reps)
        if best_hits != hits:
            print(f"  note: the hand-written plans count {best_hits:,}, the selector {hits:,}")
        kinds = by_kind.setdefault(kind, {"ours": [], "replay": [], "best": []})
        for name, samples in (("ours", mine), ("replay", floor), ("best", best)):
            columns[name] += samples
            kinds[name] += samples
        label = (q + " " + " ".join(f"{k}={','.join(v)}" for k, v in params.filters.items())).strip()
        p50, r50, b50 = (statistics.median(x) for x in (mine, floor, best))
        print(
            f"{kind:<14} {label[:40]:<40} {hits:>8,} {p50:>8.1f} {r50:>7.1f} {b50:>7.1f} "
            f"{p50 / r50 if r50 else 0:>7.2f} {p50 / b50 if b50 else 0:>6.2f}"
        )
    print()
    for kind, samples in [*by_kind.items(), ("ALL", columns)]:
        (m50, m95), (r50, r95), (b50, b95) = (_percentiles(samples[n]) for n in ("ours", "replay", "best"))
        print(
            f"{kind:<14} p50 {m50:7.1f} p95 {m95:7.1f} ms | replay p50 {r50:7.1f} p95 {r95:7.1f} | "
            f"best hand-written p50 {b50:7.1f} p95 {b95:7.1f} | p95 ratios {m95 / r95:.2f} / {m95 / b95:.2f}"
        )
    print(f"engine {connection.vendor}, {total:,} recommendations")


# Facet searches of a few hundred to some twenty thousand matches at 41k: where the plan matters.
PLAN_FILTERS: list[dict[str, list[str]]] = [
    {"state": ["KEN"]},
    {"state": ["USA"]},
    {"recommending_organisation": ["EU"], "response": ["noted"]},
    {"cycle": ["2"], "under_review_group": ["AFRICAN"]},
    {"cycle": ["1"]},
    {"response": ["noted"]},
    {"under_review_group": ["AFRICAN"]},
    {"recommending_group": ["WEOG"]},
    {"issue": ["__common__"]},
]


def _median_ms(call: Any, reps: int) -> float:
    call()
    samples = []
    for _ in range(reps):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def run_plans(reps: int) -> None:
    """The first page (21 rows, newest first) of each facet search by both plans of the engines, and
    the one the selector chooses from the data (``SearchResult._read_in_order``)."""
    issue = _common_issue()
    print(f"engine {connection.vendor}, {Recommendation.objects.count():,} recommendations, newest first")
    print(f"{'filters':<56} {'hits':>7} {'by key':>8} {'in order':>9} {'chosen':>9}")
    for filters in PLAN_FILTERS:
        result = search(_params("", filters, issue))
        keys = result.sort_keys
        order = [key.ordering(name) for key, name in zip(keys, ["date", "session_id", "pk"], strict=True)]

        def page(many: bool, result: Any = result, order: list[Any] = order) -> None:
            list(result._matching(many=many).order_by(*order).values_list("pk", flat=True)[:21])

        by_key, in_order = _median_ms(lambda: page(False), reps), _median_ms(lambda: page(True), reps)
        chosen = "in order" if result._read_in_order(21) else "by key"
        label = " ".join(f"{k}={','.join(v)}" for k, v in result.params.filters.items())
        print(f"{label[:56]:<56} {result.count:>7,} {by_key:>8.1f} {in_order:>9.1f} {chosen:>9}")


def run_deep(reps: int) -> None:
    """Page 1 and a page some 2,000 rows deep, by offset and by seek key (what the API's cursor does)."""
    print(f"engine {connection.vendor}, {Recommendation.objects.count():,} recommendations, pages of 20")
    print(f"{'search':<36} {'hits':>7} {'page 1':>8} {'offset':>8} {'seek':>8}")
    for label, params in [
        ("women (relevance)", SearchParams(q="women")),
        ("ratification (relevance)", SearchParams(q="ratification")),
        ("everything, newest first", SearchParams()),
        ("response=noted, newest first", SearchParams(filters={"response": ["noted"]})),
        ("response=noted, oldest first", SearchParams(filters={"response": ["noted"]}, sort="oldest")),
    ]:
        depth = min(2000, max(0, search(params).count - 20))
        key = search(params).seek(limit=1, offset=depth - 1).keys[0]
        first = _median_ms(lambda params=params: search(params).seek(limit=20), reps)
        offset = _median_ms(lambda params=params, d=depth: search(params).seek(limit=20, offset=d), reps)
        seek = _median_ms(lambda params=params, k=key: search(params).seek(limit=20, after=k), reps)
        print(f"{label:<36} {search(params).count:>7,} {first:>8.1f} {offset:>8.1f} {seek:>8.1f}")


# Searches with several values chosen in one facet, where disjunctive counts matter most.
FACET_QUERIES: list[tuple[str, str, dict[str, list[str]]]] = [
    *QUERIES,
    ("2 values", "torture", {"state": ["UZB", "ERI"]}),
    ("2 values", "women", {"cycle": ["1", "2"], "response": ["supported"]}),
    ("2 values", "", {"recommending_organisation": ["EU", "AU"], "response": ["noted", "supported"]}),
]


def _page_with_facets(params: SearchParams) -> None:
    """What the search page does: one page of 20, the number of all results and every facet."""
    result = search(params)
    result.page(limit=20)
    result.facets()


def run_facets(reps: int) -> None:
    """The search page with its facet counts for each query, asked for the first time since the
    records changed (the cache emptied before each run) and asked again (its counts kept in the
    cache), each beside the bare replay of the SQL statements a first view makes."""
    issue = _common_issue()
    print(f"engine {connection.vendor}, {Recommendation.objects.count():,} recommendations, {reps} runs")
    print(f"{'kind':<14} {'query':<48} {'SQL':>4} {'first p50':>10} {'again p50':>10} {'bare p50':>9}")
    firsts: list[float] = []
    agains: list[float] = []
    bares: list[float] = []
    for kind, q, filters in FACET_QUERIES:
        params = _params(q, filters, issue)

        _page_with_facets(params)  # warm-up: the process's copy of the reference rows
        cache.clear()
        _, statements = _captured(lambda params=params: _page_with_facets(params))
        first, again, bare = [], [], []
        for _ in range(reps):
            cache.clear()
            started = time.perf_counter()
            _page_with_facets(params)
            first.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _page_with_facets(params)
            again.append((time.perf_counter() - started) * 1000)
            bare.append(_replayed_ms(statements))
        firsts, agains, bares = firsts + first, agains + again, bares + bare
        label = (q + " " + " ".join(f"{k}={','.join(v)}" for k, v in params.filters.items())).strip()
        print(
            f"{kind:<14} {label[:48]:<48} {len(statements):>4} {statistics.median(first):>10.1f} "
            f"{statistics.median(again):>10.1f} {statistics.median(bare):>9.1f}"
        )
    runs = (("first view", firsts), ("asked again", agains), ("bare SQL of a first view", bares))
    for name, samples in runs:
        p50, p95 = _percentiles(samples)
        print(f"ALL page with facets, {name} ({connection.vendor}): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def run_http(seconds: float, clients: int, workers: int, port: int) -> None:
    """The search API as deployed (answers cached by registry version), then with its cache off."""
    issue = _common_issue()
    paths = []
    for _, q, filters in QUERIES:
        params = _params(q, filters, issue)
        paths.append(
            "/api/recommendations/?" + urllib.parse.urlencode([*params.query_items(), ("page_size", 20)])
        )
    print(f"gunicorn {workers} workers, {clients} clients, {seconds:.0f} s each; engine {connection.vendor}")
    for setting, cache_seconds in (("as deployed", None), ("API cache off", "0")):
        env = {} if cache_seconds is None else {"HRCOOP_API_CACHE_SECONDS": cache_seconds}
        with gunicorn(workers=workers, port=port, env=env) as base:
            get_all(
                base, paths, seconds=20.0, clients=clients
            )  # every worker's first requests import the URLconf
            for name, targets in (("floor: a bare view", [BARE]), (f"search API, {setting}", paths)):
                samples = get_all(base, targets, seconds=seconds, clients=clients)
                errors = sum(not s.ok for s in samples)
                p99 = percentile([s.ms for s in samples], 0.99)
                print(f"{name:<32} {len(samples) / seconds:7.1f} req/s   p99 {p99:7.1f} ms   errors {errors}")


def expand(target: int) -> None:
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name and "1m" not in name:
        raise SystemExit(f"refusing to expand {name!r}: use a copy whose name contains 'bench'")
    base_ids = list(Recommendation.objects.filter(pk__lt=10_000_000).values_list("pk", flat=True))
    n = len(base_ids)
    copies = max(0, -(-target // n) - 1)
    top = max(base_ids)
    step = 10 ** len(str(top))
    print(f"{n:,} real records x {copies} varied copies (+{copies * n:,}); id step {step}")
    through = Recommendation.recommending_states.through._meta.db_table
    for k in range(1, copies + 1):
        opening = OPENINGS[(k - 1) % len(OPENINGS)]
        stems, words = document_tokens(opening, "en")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            shift = k * step
            cols = (
                "mechanism_id, document_symbol, paragraph, cycle_id, session_id, date, "
                "state_under_review_id, language, response, response_source, first_import_id, "
                "created_at, updated_at"
            )
            cursor.execute(
                "INSERT INTO recommendations_recommendation "
                f"(id, public_id, identity_key, source_id, text, {cols}) "
                f"SELECT id + %s, 'X{k:02d}' || public_id, substr(identity_key, 1, 61) || 'x{k:02d}', "
                f"source_id, %s || ' ' || text, {cols} FROM recommendations_recommendation WHERE id < %s",
                [shift, opening, step],
            )
            cursor.execute(
                f"INSERT INTO {through} (recommendation_id, state_id) "
                f"SELECT recommendation_id + %s, state_id FROM {through} WHERE recommendation_id < %s",
                [shift, step],
            )
            cursor.execute(
                "INSERT INTO recommendations_classification (recommendation_id, label_id, kind, status, "
                "provenance, import_run_id, person_id, model_version, confidence, created_at) "
                "SELECT recommendation_id + %s, label_id, kind, status, provenance, import_run_id, "
                "person_id, model_version, confidence, created_at FROM recommendations_classification "
                "WHERE recommendation_id < %s",
                [shift, step],
            )
            cursor.execute(
                "INSERT INTO search_searchdocument "
                "(recommendation_id, stems, words, facets, source_updated_at) "
                "SELECT d.recommendation_id + %s, %s || ' ' || d.stems, %s || ' ' || d.words, d.facets, "
                "r.updated_at "
                "FROM search_searchdocument d "
                "JOIN recommendations_recommendation r ON r.id = d.recommendation_id "
                "WHERE d.recommendation_id < %s",
                [shift, stems, words, step],
            )
        print(f"copy {k}/{copies} ({opening!r}) in {time.perf_counter() - started:.1f} s", flush=True)
    expand_vectors(copies, step)
    bump_version(REGISTRY)  # written around the services: cached API answers must not be served
    refresh_stale()  # nor the whole-registry figures of the smaller registry
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"now {Recommendation.objects.count():,} recommendations")


def expand_vectors(copies: int, step: int) -> None:
    """Give each copy's records vectors of their own, then build the vector index over all of them.

    A copy's vector is its original's blended with another real record's and normalised again: the index
    then holds as many distinct neighbourhoods as records, as a grown registry would, not 25 identical
    points per text (which would flatter its graph). Written around the services, as the rows are.
    """
    base = list(
        Embedding.objects.filter(pk__lt=step)
        .order_by("pk")
        .values_list("pk", "vector", "model", "source_updated_at")
    )
    if not base:
        print("no vectors to copy (run hrcoop search reindex first)")
        return
    stored = np.frombuffer(b"".join(bytes(row[1]) for row in base), dtype=np.int8)
    matrix = stored.reshape(len(base), vector_index.DIMENSIONS).astype(np.float32) / 127
    rng = np.random.default_rng(25)
    for k in range(1, copies + 1):
        started = time.perf_counter()
        blended = matrix + 0.35 * matrix[rng.permutation(len(matrix))]
        blended /= np.linalg.norm(blended, axis=1, keepdims=True)
        vectors = vector_index.quantised(blended)
        with transaction.atomic():
            bump_version(vector_index.VERSION_NAME)
            generation = vector_index.vectors_version()
            Embedding.objects.bulk_create(
                [
                    Embedding(
                        recommendation_id=pk + k * step,
                        vector=vectors[i].tobytes(),
                        model=model,
                        source_updated_at=at,
                        generation=generation,
                    )
                    for i, (pk, _, model, at) in enumerate(base)
                ],
                batch_size=5_000,
            )
        print(f"vectors {k}/{copies} in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    built = vector_index.build()
    print(f"vector index of {built.size:,} vectors built in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("queries")
    q.add_argument("--reps", type=int, default=5)
    f = sub.add_parser("facets")
    f.add_argument("--reps", type=int, default=5)
    p = sub.add_parser("plans")
    p.add_argument("--reps", type=int, default=5)
    d = sub.add_parser("deep")
    d.add_argument("--reps", type=int, default=5)
    h = sub.add_parser("http")
    h.add_argument("--seconds", type=float, default=30)
    h.add_argument("--clients", type=int, default=8)
    h.add_argument("--workers", type=int, default=4)
    h.add_argument("--port", type=int, default=8765)
    e = sub.add_parser("expand")
    e.add_argument("--to", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.command == "queries":
        run_queries(args.reps)
    elif args.command == "facets":
        run_facets(args.reps)
    elif args.command == "plans":
        run_plans(args.reps)
    elif args.command == "deep":
        run_deep(args.reps)
    elif args.command == "http":
        run_http(args.seconds, args.clients, args.workers, args.port)
    else:
        expand(args.to)


if __name__ == "__main__":
    main()
