"""Load benchmark: gunicorn + PostgreSQL on loopback, many clients mixing reads and writes, then a check
that no write was lost or doubled.

    .venv/bin/python bench/load.py                          # 50 clients for 60 s, 2 workers
    .venv/bin/python bench/load.py --clients 10 --seconds 15 --keep

It creates its own database (``hrcoop_bench_load_<pid>`` on the server ``DATABASE_URL`` names, by
default the local one), loads the demo into it (``hrcoop init --demo``), gives the demo's focal point
and secretariat API tokens (through ``hrcoop.core.tokens``, as a person would), starts gunicorn with the
shipped configuration (``hrcoop.config.gunicorn``), warms it up and measures, with the same clients:

* the floor: ``/health/live``, a view that does nothing, under the same server and middleware;
* the mix, each client choosing at random each time:
  - searches: the search page and the search API;
  - register reads: the requests' register, list and pages (page and API), the funds' pages, and
    recommendation pages;
  - workflow writes: the focal point creates a request through the API, edits it (with the version it
    read), records the State's consent and submits it: one step per turn; a client takes the request
    furthest along that no other client holds (so that every step is exercised even in a short run),
    and creates one when none waits;
  - ledger writes: the secretariat records pledges and receipts through the funds API, each with a new
    idempotency key; one in four is sent again with the same key (after its answer, or at the same time
    from a second thread), as a client that lost an answer would.

Every answer other than the expected status is an error (a 5xx always is). Then the database is checked
against what the clients were told: each write answered with success exists exactly once, with the
content of its last successful edit; each retried key made one posting and every answer for it named
that posting; nothing else was written; ``hrcoop funds verify`` and ``hrcoop audit verify`` pass. The
exit status is 1 if there was an error or a check failed. The database is dropped unless ``--keep``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _database import bench_database  # the benchmark's own folder is on sys.path
from _http import Answer, Sample, drive, fetch, gunicorn, percentile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
HRCOOP = Path(sys.executable).with_name("hrcoop")

SEARCHES = [
    {"q": "women"},
    {"q": "torture"},
    {"q": "Roma"},
    {"q": '"national mechanism"'},
    {"q": "children OR education"},
    {"q": "discrimination -women"},
    {"q": "", "state": "SVN"},
    {"q": "violence", "response": "supported"},
]
# kind -> share of the turns
MIX = {"search": 35, "register read": 40, "workflow write": 13, "ledger write": 12}
RETRY_SHARE = 0.25
WRITE_PREFIX = "Load test"
KEY_PREFIX = "load-"


@dataclass
class World:
    """What the clients need to know about the seeded database."""

    base: str
    focal_point: dict[str, str]
    secretariat: dict[str, str]
    fund: str
    donor: int
    reads: list[str]


@dataclass
class Ledger:
    """What the clients were told about the ledger: the key of each success and every id it was answered."""

    answers: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    kinds: dict[str, str] = field(default_factory=dict)
    retried: set[str] = field(default_factory=set)


@dataclass
class Requests:
    """What the clients were told about assistance requests: created, last edit, consent, submitted."""

    created: dict[str, str] = field(default_factory=dict)  # public id -> title
    objectives: dict[str, str] = field(default_factory=dict)
    submitted: set[str] = field(default_factory=set)


STAGES = ("edit", "consent", "submit")


@dataclass
class Draft:
    """A request going through the workflow: its next step, and the version last read."""

    public_id: str
    version: int
    stage: str


class Mix:
    """One step of the mixed load per call; remembers every success it was answered."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.ledger = Ledger()
        self.requests = Requests()
        self.lock = threading.Lock()
        self.drafts: list[Draft] = []  # waiting for their next step, held by no client
        self.pledges: dict[int, int] = {}  # client -> a pledge it made, for its receipts
        self.turn = 0

    def __call__(self, client: int, n: int) -> tuple[str, bool, str]:
        rng = random.Random(client * 1_000_003 + n)
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "search":
            return kind, *self._search(rng)
        if kind == "register read":
            return kind, *self.read(rng)
        if kind == "workflow write":
            return kind, *self._workflow(client, n)
        return kind, *self._ledger(client, n, rng)

    def _get(self, path: str, headers: dict[str, str] | None = None) -> tuple[bool, str]:
        answer = fetch(self.world.base + path, headers=headers)
        return answer.status == 200, f"GET {path}: {answer.status}"

    def _search(self, rng: random.Random) -> tuple[bool, str]:
        query = urllib.parse.urlencode(rng.choice(SEARCHES))
        if rng.random() < 0.5:
            return self._get(f"/recommendations/search/?{query}")
        return self._get(f"/api/recommendations/?{query}&page_size=20")

    def read(self, rng: random.Random) -> tuple[bool, str]:
        return self._get(rng.choice(self.world.reads))

    def _send(self, method: str, path: str, data: dict[str, Any], token: dict[str, str]) -> Answer:
        return fetch(self.world.base + path, method=method, data=data, headers=token)

    def _take_draft(self) -> Draft | None:
        with self.lock:
            if not self.drafts:
                return None
            furthest = max(self.drafts, key=lambda d: STAGES.index(d.stage))
            self.drafts.remove(furthest)
            return furthest

    def _workflow(self, client: int, n: int) -> tuple[bool, str]:
        """The next step of a waiting request (edit, consent, submit), or a new request."""
        draft = self._take_draft()
        return self._create(client, n) if draft is None else self._advance(draft, client, n)

    def _create(self, client: int, n: int) -> tuple[bool, str]:
        title = f"{WRITE_PREFIX} c{client} n{n}"
        body = {
            "state": "SVN",
            "fund": self.world.fund,
            "title": title,
            "need": "Measured under load.",
            "amount": "12,000.00",
            "currency": "USD",
            "duration_months": 12,
        }
        answer = self._send("POST", "/api/assistance/requests/", body, self.world.focal_point)
        if answer.status != 201:
            return False, f"create: {answer.status} {answer.body[:200]!r}"
        record = answer.json()
        with self.lock:
            self.requests.created[record["public_id"]] = title
            self.drafts.append(Draft(record["public_id"], record["version"], "edit"))
        return True, ""

    def _advance(self, draft: Draft, client: int, n: int) -> tuple[bool, str]:
        token = self.world.focal_point
        path = f"/api/assistance/requests/{draft.public_id}/"
        if draft.stage == "edit":
            objectives = f"Objectives written at turn {n} of client {client}."
            answer = self._send("PATCH", path, {"objectives": objectives, "version": draft.version}, token)
        elif draft.stage == "consent":
            consent = {
                "given_by": "Ministry of Foreign Affairs",
                "given_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat(),
                "reference": f"Note verbale {client}/{n}",
            }
            answer = self._send("POST", path + "consent/", consent, token)
        else:
            answer = self._send(
                "POST", path + "transitions/", {"step": "submit", "version": draft.version}, token
            )
        if answer.status != 200:
            return False, f"{draft.stage}: {answer.status} {answer.body[:200]!r}"
        with self.lock:
            if draft.stage == "edit":
                self.requests.objectives[draft.public_id] = objectives
            if draft.stage == "submit":
                self.requests.submitted.add(draft.public_id)
            else:
                following = STAGES[STAGES.index(draft.stage) + 1]
                self.drafts.append(Draft(draft.public_id, answer.json()["version"], following))
        return True, ""

    def _ledger(self, client: int, n: int, rng: random.Random) -> tuple[bool, str]:
        """A pledge, or a receipt on this client's last pledge; sometimes sent twice with one key."""
        key = f"{KEY_PREFIX}c{client}-n{n}"
        day = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()  # never "future"
        pledge = self.pledges.get(client)
        if pledge is None or rng.random() < 0.3:
            kind, path = "pledge", "/api/funds/pledges/"
            body: dict[str, Any] = {
                "fund": self.world.fund,
                "donor": self.world.donor,
                "amount": "1,000.00",
                "currency": "USD",
                "pledged_on": day,
                "note": f"pledge {key}",
            }
        else:
            kind, path = "receipt", "/api/funds/receipts/"
            body = {"pledge": pledge, "amount": "10.00", "currency": "USD", "received_on": day}
        body["idempotency_key"] = key
        retry = rng.random() < RETRY_SHARE
        at_once = retry and rng.random() < 0.5
        answers: list[Answer] = []
        if at_once:  # the same event sent by two threads at the same moment
            twin = threading.Thread(
                target=lambda: answers.append(self._send("POST", path, body, self.world.secretariat))
            )
            twin.start()
            answers.append(self._send("POST", path, body, self.world.secretariat))
            twin.join()
        else:
            answers.append(self._send("POST", path, body, self.world.secretariat))
            if retry:
                answers.append(self._send("POST", path, body, self.world.secretariat))
        failed = [a for a in answers if a.status != 201]
        ids = {a.json()["id"] for a in answers if a.status == 201}
        with self.lock:
            if ids:
                self.ledger.answers[key] |= ids
                self.ledger.kinds[key] = kind
            if retry:
                self.ledger.retried.add(key)
        if failed:
            return False, f"{kind}: {failed[0].status} {failed[0].body[:200]!r}"
        if kind == "pledge":
            self.pledges[client] = ids.pop()
        return True, ""


def seed() -> World:
    """The demo, loaded as ``make run`` does; API tokens for the focal point and the secretariat."""
    started = time.perf_counter()
    subprocess.run([str(HRCOOP), "init", "--demo"], check=True, capture_output=True)
    import django

    django.setup()
    from django.db import connections

    from hrcoop.assistance.models import AssistanceRequest
    from hrcoop.core.models import ApiToken, User
    from hrcoop.core.tokens import create_token
    from hrcoop.demo.workspace import FOCAL_POINT, SUPPORT_FUND
    from hrcoop.funds.models import Donor
    from hrcoop.recommendations.models import Recommendation

    def token(username: str) -> dict[str, str]:
        user = User.objects.get(username=username)
        _, key = create_token(
            user,
            actor=None,
            name="load benchmark",
            scopes=[ApiToken.Scope.READ, ApiToken.Scope.WRITE],
            days=1,
        )
        return {"Authorization": f"Token {key}"}

    public = [
        r.public_id
        for r in AssistanceRequest.objects.exclude(status="draft")
        if "amount" not in r.confidential_fields
    ]
    recommendations = list(Recommendation.objects.order_by("pk").values_list("public_id", flat=True)[:200:20])
    reads = [
        "/assistance/",
        "/api/assistance/requests/",
        "/funds/",
        f"/funds/{SUPPORT_FUND}/",
        f"/api/funds/{SUPPORT_FUND}/",
        *(f"/assistance/requests/{p}/" for p in public),
        *(f"/api/assistance/requests/{p}/" for p in public),
        *(f"/recommendations/{p}/" for p in recommendations),
    ]
    world = World(
        base="",
        focal_point=token(FOCAL_POINT),
        secretariat=token("demo-secretariat"),
        fund=SUPPORT_FUND,
        donor=Donor.objects.order_by("pk").values_list("pk", flat=True)[0],
        reads=reads,
    )
    connections.close_all()
    print(
        f"seeded the demo in {time.perf_counter() - started:.0f} s: {len(public)} public requests, "
        f"{len(recommendations)} recommendation pages, {len(reads)} read paths"
    )
    return world


def report(name: str, samples: list[Sample], seconds: float) -> None:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    print(f"\n{name}: {len(samples) / seconds:.1f} turns/s over {seconds:.0f} s")
    print(f"  {'kind':<16} {'turns':>7} {'per s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind, group in sorted(by_kind.items()):
        times = [s.ms for s in group]
        errors = sum(not s.ok for s in group)
        print(
            f"  {kind:<16} {len(group):>7} {len(group) / seconds:>7.1f} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.99):>8.1f} {errors:>7}"
        )
    shown: set[str] = set()
    for sample in samples:
        if not sample.ok and sample.detail not in shown and len(shown) < 10:
            shown.add(sample.detail)
            print(f"  error: {sample.kind}: {sample.detail}")


def check(mix: Mix) -> list[str]:
    """What the database holds against what the clients were told. Returns the problems."""
    from django.db.models import Count

    from hrcoop.assistance.models import AssistanceRequest
    from hrcoop.funds.models import Posting

    problems: list[str] = []
    told = mix.requests
    rows = {
        r["public_id"]: r
        for r in AssistanceRequest.objects.filter(title__startswith=WRITE_PREFIX).values(
            "public_id", "title", "objectives", "status"
        )
    }
    for title, n in (
        AssistanceRequest.objects.filter(title__startswith=WRITE_PREFIX)
        .values_list("title")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    ):
        problems.append(f"request {title!r} exists {n} times")
    problems += [
        f"request {p} was answered 201 and is not in the database" for p in told.created if p not in rows
    ]
    problems += [
        f"request {p} is in the database but no client was told it was created"
        for p in rows
        if p not in told.created
    ]
    for public_id, objectives in told.objectives.items():
        if public_id in rows and rows[public_id]["objectives"] != objectives:
            problems.append(f"request {public_id}: the last successful edit is lost")
    for public_id in told.submitted:
        if public_id in rows and rows[public_id]["status"] == "draft":
            problems.append(f"request {public_id}: answered submitted, still a draft")

    ledger = mix.ledger
    postings = {
        key: (kind, pledge, receipt)
        for key, kind, pledge, receipt in Posting.objects.filter(
            idempotency_key__startswith=KEY_PREFIX
        ).values_list("idempotency_key", "kind", "pledge_id", "receipt_id")
    }
    for key, ids in ledger.answers.items():
        if len(ids) > 1:
            problems.append(f"key {key}: one event answered with several ids {sorted(ids)}")
        if key not in postings:
            problems.append(f"key {key}: answered 201, no posting")
            continue
        kind, pledge, receipt = postings[key]
        if (pledge if kind == "pledge" else receipt) not in ids:
            problems.append(f"key {key}: the posting is not the {kind} the client was told")
    problems += [f"key {key}: posted but never answered 201" for key in postings if key not in ledger.answers]
    for command in (["funds", "verify"], ["audit", "verify"]):
        done = subprocess.run([str(HRCOOP), *command], capture_output=True, text=True)
        if done.returncode != 0:
            problems.append(f"hrcoop {' '.join(command)}: {(done.stdout + done.stderr).strip()[:500]}")
        else:
            last = done.stdout.strip().splitlines()[-1:] or ["ok"]
            print(f"hrcoop {' '.join(command)}: {last[0]}")
    retried = ledger.retried & set(ledger.answers)
    print(
        f"\nwrites answered with success: {len(told.created)} requests created, "
        f"{len(told.objectives)} edited, "
        f"{len(told.submitted)} submitted; {len(ledger.answers)} ledger events "
        f"({sum(k == 'pledge' for k in ledger.kinds.values())} pledges), {len(retried)} of them sent twice "
        f"with one key; postings with the benchmark's keys: {len(postings)}"
    )
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--floor-seconds", type=float, default=15, help="how long the floor is measured")
    parser.add_argument("--warm-up", type=float, default=15, help="seconds of reads before measuring")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with bench_database(postgres=True, label="load", keep=args.keep) as workdir:
        world = seed()
        mix = Mix(world)
        log = workdir / "gunicorn.log"
        with gunicorn(workers=args.workers, port=args.port, shipped_config=True, log=log) as base:
            world.base = base
            print(
                f"gunicorn {args.workers} workers (hrcoop.config.gunicorn), "
                f"{args.clients} clients, PostgreSQL"
            )

            def read(client: int, n: int) -> tuple[str, bool, str]:
                return "warm-up", *mix.read(random.Random(n))

            drive(read, seconds=args.warm_up, clients=4)  # each worker imports the URLconf, loads vectors

            def floor(client: int, n: int) -> tuple[str, bool, str]:
                answer = fetch(base + "/health/live")
                return "floor /health/live", answer.status == 200, str(answer.status)

            report(
                "floor", drive(floor, seconds=args.floor_seconds, clients=args.clients), args.floor_seconds
            )
            samples = drive(mix, seconds=args.seconds, clients=args.clients)
            report("mix", samples, args.seconds)
        problems = check(mix)
        server_errors = [line for line in log.read_text(errors="replace").splitlines() if " ERROR " in line]
        problems += [f"server log: {line}" for line in server_errors]
        errors = sum(not s.ok for s in samples)
        for problem in problems[:30]:
            print(f"PROBLEM {problem}")
        print(f"\n{errors} errors, {len(problems)} lost or doubled writes or failed checks")
    if errors or problems:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
