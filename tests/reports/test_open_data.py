"""The open-data bundle: a valid Frictionless data package holding what the public may see, nothing more."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from hrcoop.reports import opendata
from tests.reports.conftest import Year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _read(name: str) -> str:
    folder = opendata.current_folder()
    with default_storage.open(f"{folder}/{name}") as handle:
        return handle.read().decode()


def test_the_bundle_is_a_valid_data_package(year_2021: Year, settings: Any) -> None:
    from frictionless import Package

    opendata.build_bundle()
    descriptor = Path(settings.MEDIA_ROOT) / str(opendata.current_folder()) / "datapackage.json"
    report = Package(str(descriptor)).validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert {r["name"] for r in package["resources"]} >= {"recommendations-csv", "assistance-requests-json"}
    assert all(r["licenses"] and r["schema"]["fields"] for r in package["resources"])
    rows = list(csv.DictReader(io.StringIO(_read("recommendations.csv"))))
    assert len(rows) == 11 and {r["response"] for r in rows} >= {"supported", "noted"}


def test_what_is_confidential_or_unpublished_never_enters_the_bundle(year_2021: Year) -> None:
    opendata.build_bundle()
    everything = "".join(_read(f"{d.name}.{fmt}") for d in opendata.DATASETS for fmt in ("csv", "json"))
    police = year_2021.requests["police"]
    requests = {r["public_id"]: r for r in json.loads(_read("assistance-requests.json"))}
    assert police.public_id in requests  # the request itself is public ...
    assert requests[police.public_id]["amount_minor_units"] is None  # ... its amount is not
    assert requests[police.public_id]["recommendations"] is None
    assert "7654321" not in everything and "names of the units" not in everything
    allocations = {r["request"]: r for r in csv.DictReader(io.StringIO(_read("fund-allocations.csv")))}
    assert allocations[police.public_id]["allocated"] == ""  # 900,000 allocated, withheld
    assert allocations[year_2021.requests["fiji"].public_id]["allocated"] == "4000000"
    assert "A draft never sent" not in everything
    assert "Quiet Foundation" not in everything and "Anonymous donor" in everything


def test_the_public_page_links_the_files(year_2021: Year) -> None:
    client = Client()
    assert "has not been built yet" in client.get(reverse("reports:open-data")).content.decode()
    opendata.build_bundle()
    opendata.build_bundle()  # a rebuild replaces the files, and the old folder is emptied
    page = client.get(reverse("reports:open-data")).content.decode()
    assert reverse("reports:open-data-file", args=["mandates.csv"]) in page
    answer = client.get(reverse("reports:open-data-file", args=["datapackage.json"]))
    assert json.loads(b"".join(answer.streaming_content))["name"] == "hrcoop-open-data"  # type: ignore[attr-defined]
    assert client.get(reverse("reports:open-data-file", args=["nothing.csv"])).status_code == 404
    assert reverse("reports:open-data") in client.get(reverse("reports:page")).content.decode()
