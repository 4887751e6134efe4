"""Issue 20 item 11: IATI from the site, and an export with nothing publishable that still succeeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from lxml import etree
from typer.testing import CliRunner

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.cli import build_app
from hrcoop.core.models import User
from hrcoop.funds import iati
from tests.funds.test_iati import schemas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_storage(settings: Any, tmp_path: Path) -> None:
    """Published files (IATI, open data) go to the test's own folder, not the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


ORGANISATION_FILES = [
    "iati-organisations-UPR-FTA.xml",
    "iati-organisations-UPR-PART.xml",
    "iati-organisations-VFTC.xml",
]


def _export(directory: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        build_app(), ["export", "iati", str(directory), "--schemas", str(schemas()), *extra]
    )


def test_nothing_publishable_writes_the_organisation_files_and_says_why(
    secretariat: User, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "iati-activities.xml").write_text("an earlier run's file")
    result = _export(out)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["activities"] == 0 and report["files"] == ORGANISATION_FILES
    assert report["note"] == (
        "no activity is publishable (no request has been funded yet): only the organisation files are written"
    )
    assert "no activity is publishable" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ORGANISATION_FILES  # the stale activity file is gone
    for name in ORGANISATION_FILES:
        iati.validate((out / name).read_bytes(), schema_dir=schemas(), name=name)


def test_only_confidential_requests_funded_is_said_too(
    secretariat: User, funded: list[AssistanceRequest], tmp_path: Path
) -> None:
    AssistanceRequest.objects.filter(pk__in=[r.pk for r in funded]).update(confidential_fields=["amount"])
    result = _export(tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "the 3 funded request(s) keep their amount confidential" in json.loads(result.stdout)["note"]


def test_the_site_offers_the_latest_validated_files_with_their_date(
    client: Client, secretariat: User, funded: list[AssistanceRequest], settings: Any, tmp_path: Path
) -> None:
    assert "No IATI file has been published yet." in client.get("/funds/").content.decode()
    result = _export(tmp_path / "out", "--site")
    assert result.exit_code == 0, result.output
    page = client.get("/funds/").content.decode()
    assert "validated against its schemas on" in page
    for name in ["iati-activities.xml", *ORGANISATION_FILES]:
        assert f'href="/funds/iati/{name}"' in page
    download = client.get("/funds/iati/iati-activities.xml")
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    xml = b"".join(download.streaming_content)
    iati.validate(xml, schema_dir=schemas(), name="iati-activities.xml")
    assert len(etree.fromstring(xml).findall("iati-activity")) == 2
    assert client.get("/funds/iati/secrets.xml").status_code == 404
    assert client.get("/funds/iati/manifest.json").status_code == 404


def test_the_secretariat_rebuilds_them_from_the_page(
    client: Client,
    secretariat: User,
    funded: list[AssistanceRequest],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(secretariat)
    settings.IATI_SCHEMAS = ""
    refused = client.post("/funds/iati/rebuild/", follow=True).content.decode()
    assert "HRCOOP_IATI_SCHEMAS" in refused and iati.published() is None
    settings.IATI_SCHEMAS = str(schemas())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/funds/iati/rebuild/")
    manifest = iati.published()
    assert manifest is not None and manifest["activities"] == 2 and manifest["validated"] is True
    assert Client().post("/funds/iati/rebuild/").status_code in (302, 403)  # not for the public
