"""gunicorn on loopback and threads of clients that drive it, for the benchmarks that measure HTTP.

Shared by ``search.py http`` and ``load.py``. The clients use the standard library only (urllib in
threads): the figures then include no client library's own pooling or retries. Nothing here imports
Django, so a benchmark may point ``DATABASE_URL`` at its own database before it sets Django up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(
    url: str,
    *,
    method: str = "GET",
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 120,
) -> Answer:
    """One request; an HTTP error status is an answer like any other (the caller judges it)."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read())


@dataclass(frozen=True)
class Sample:
    kind: str
    ms: float
    ok: bool
    detail: str = ""


# One step of one client: ``step(client, n)`` makes one request (or a few that belong together) and says
# what kind it was, whether the answer was the expected one, and if not, what came back.
Step = Callable[[int, int], tuple[str, bool, str]]


def drive(step: Step, *, seconds: float, clients: int) -> list[Sample]:
    """``clients`` threads each call ``step`` again and again for ``seconds``; every call is timed.

    An exception in a step (a refused connection, a timeout) is a failed sample of kind ``exception``."""
    samples: list[Sample] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        mine: list[Sample] = []
        n = 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                kind, ok, detail = step(number, n)
            except Exception as exc:
                kind, ok, detail = "exception", False, f"{type(exc).__name__}: {exc}"
            mine.append(Sample(kind, (time.perf_counter() - started) * 1000, ok, detail))
            n += 1
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))] if ordered else 0.0


BARE = "/bench/bare/"  # bench/floor_urls.py: Django's whole stack, then nothing


def get_all(base: str, paths: list[str], *, seconds: float, clients: int) -> list[Sample]:
    """``clients`` threads GETting ``paths`` in turn for ``seconds``; a sample is ok on a 200."""

    def step(client: int, n: int) -> tuple[str, bool, str]:
        answer = fetch(base + paths[(client + n) % len(paths)], timeout=30)
        return "get", answer.status == 200, str(answer.status)

    return drive(step, seconds=seconds, clients=clients)


@contextmanager
def gunicorn(
    *,
    workers: int,
    port: int,
    env: Mapping[str, str] | None = None,
    shipped_config: bool = False,
    log: Path | None = None,
) -> Iterator[str]:
    """A gunicorn serving the platform on ``port``; yields its base URL once it answers.

    ``shipped_config`` runs it with the production configuration (``hrcoop.config.gunicorn``: threads,
    timeouts, worker recycling) with its access log off; otherwise with bare sync workers, the
    application preloaded. A secret key is made up if the environment has none (the server refuses to
    start without one). ``log`` receives the server's output instead of the terminal.

    It serves the platform with bench/floor_settings.py, which adds one bare view (``BARE``): the floor
    of every HTTP benchmark, under the same server, workers and middleware."""
    environment = {
        "HRCOOP_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HRCOOP_SECRET_KEY": os.environ.get("HRCOOP_SECRET_KEY") or os.urandom(32).hex(),
        **os.environ,
        # Over the benchmark's own (it set Django up with the platform's settings before starting this).
        "DJANGO_SETTINGS_MODULE": "floor_settings",
        **(env or {}),
    }
    options = (
        ["-c", "python:hrcoop.config.gunicorn", "--access-logfile", "/dev/null"]
        if shipped_config
        else ["--preload", "--timeout", "300"]
    )
    output = log.open("ab") if log is not None else None
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hrcoop.config.wsgi",
            *options,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--pythonpath",
            str(Path(__file__).resolve().parent),
        ],
        env=environment,
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine takes a minute to import the platform
        while True:
            try:
                if fetch(base + BARE, timeout=5).status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start (exit {server.returncode})")
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer on {base} within 300 s")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        if output is not None:
            output.close()
