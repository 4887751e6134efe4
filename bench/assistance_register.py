"""Benchmark: the public register's CSV export and API list over 2,000 requests.

The CSV goes through ``selectors.request_record`` for every row (redaction in one place) and the API
list additionally through DRF; the floor, measured in the same run, is writing the same rows' columns
straight from ``values_list`` into ``csv.writer``, which any export has to pay.

Runs on a throwaway SQLite database in a temporary folder:

    .venv/bin/python bench/assistance_register.py
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
os.environ["HRCOOP_VAR_DIR"] = tempfile.mkdtemp(prefix="hrcoop-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
os.environ.pop("DATABASE_URL", None)
os.environ["HRCOOP_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("HRCOOP_SECRET_KEY", secrets.token_urlsafe(50))  # the test client signs cookies

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField, Status  # noqa: E402
from hrcoop.reference.models import Fund, State  # noqa: E402
from hrcoop.reference.services import load_reference_data  # noqa: E402

ROWS = 2_000


def setup() -> None:
    call_command("migrate", verbosity=0)
    # Pages name their static files by fingerprint, from the manifest collectstatic writes (into this
    # run's own folder), as a deployed server does.
    call_command("collectstatic", interactive=False, verbosity=0)
    load_reference_data()
    states = list(State.objects.all()[:100])
    funds = list(Fund.objects.all())
    statuses = [s for s in Status.values if s != Status.DRAFT]
    now = timezone.now()
    AssistanceRequest.objects.bulk_create(
        AssistanceRequest(
            public_id=f"AR-B{number:07d}",
            requesting_state=states[number % len(states)],
            fund=funds[number % len(funds)],
            title=f"Request number {number}",
            need="A need " * 20,
            amount_requested=1_000_000 + number,
            currency="USD",
            status=statuses[number % len(statuses)],
            submitted_at=now,
            status_changed_at=now,
            confidential_fields=[ConfidentialField.NEED] if number % 3 == 0 else [],
        )
        for number in range(ROWS)
    )


def timed(label: str, action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label:<46} {seconds * 1000:8.1f} ms")
    return seconds


def floor() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = AssistanceRequest.objects.exclude(status=Status.DRAFT).values_list(
        "public_id", "requesting_state__iso3", "requesting_state__name", "fund_id", "title", "status",
        "submitted_at", "status_changed_at", "due_date", "amount_requested", "currency", "need",
    )  # fmt: skip
    for row in rows.iterator(chunk_size=500):
        writer.writerow(row)


def export() -> None:
    response = Client().get("/assistance/register.csv")  # streams nothing: the body is built in full
    assert response.status_code == 200
    assert response.content.count(b"\n") > ROWS * 0.9


def api_pages() -> None:
    client = Client()
    url: str | None = "/api/assistance/requests/?page_size=500"
    while url:
        body = client.get(url).json()
        url = body["next"]


if __name__ == "__main__":
    setup()
    Client().get("/assistance/process/")  # the first request imports every app's URLs (and their models)
    print(f"{ROWS:,} requests in the register")
    base = timed("floor: values_list -> csv.writer", floor)
    csv_time = timed("register.csv (request_record per row)", export)
    api_time = timed("API list, all pages of 500", api_pages)
    print(f"CSV export {csv_time / base:.1f}x the floor; API list {api_time / base:.1f}x the floor")
