"""The Reports page: the secretariat builds (progress, preview), publishes; anyone downloads the published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, Forbidden
from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role
from hrcoop.reports import services
from hrcoop.reports.models import ReportBuild
from tests.conftest import run_cli
from tests.reports.conftest import Year

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_secretariat_builds_previews_and_publishes_and_the_public_downloads(
    year_2021: Year, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    secretariat, public = Client(), Client()
    secretariat.force_login(year_2021.secretariat)
    page = reverse("reports:page")
    assert "Build a report" in secretariat.get(page).content.decode()
    assert "Build a report" not in public.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        answer = secretariat.post(
            page, {"kind": "cooperation", "year": "2021", "language": "fr", "fund": "VFTC"}
        )
    build = ReportBuild.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("reports:build", args=[build.pk])
    assert (build.status, build.progress, build.language) == (ReportBuild.Status.BUILT, 100, "fr")
    assert len(build.data_version) == 16

    preview = secretariat.get(reverse("reports:build", args=[build.pk])).content.decode()
    assert "Publish this report" in preview and "<iframe" in preview
    html = secretariat.get(reverse("reports:file", args=[build.pk, "html"]))
    assert "Mise en œuvre et renforcement" in b"".join(html.streaming_content).decode()  # type: ignore[attr-defined]
    # Before publication the public sees nothing of it, not even that it exists.
    assert public.get(reverse("reports:build", args=[build.pk])).status_code == 404
    assert public.get(reverse("reports:file", args=[build.pk, "pdf"])).status_code == 404
    assert public.post(reverse("reports:publish", args=[build.pk])).status_code == 403

    secretariat.post(reverse("reports:publish", args=[build.pk]))
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.PUBLISHED
    listing = public.get(page).content.decode()
    assert build.data_version in listing and reverse("reports:file", args=[build.pk, "pdf"]) in listing
    pdf = public.get(reverse("reports:file", args=[build.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    actions = [event.action for event in events_for(build)]
    assert actions == ["reports.build_requested", "reports.built", "reports.published"]


def test_a_running_build_shows_its_progress_and_reloads(year_2021: Year) -> None:
    build = services.request_build(
        kind="fund-update", year=2021, language="ar", fund="VFTC", actor=year_2021.secretariat
    )
    client = Client()
    client.force_login(year_2021.secretariat)
    page = client.get(reverse("reports:build", args=[build.pk])).content.decode()
    assert '<progress id="build-progress" max="100" value="0">' in page
    assert 'http-equiv="refresh"' in page


def test_only_the_secretariat_builds_and_only_a_built_report_is_published(year_2021: Year) -> None:
    focal = year_2021.focal["FJI"]
    with pytest.raises(Forbidden):
        services.request_build(kind="cooperation", year=2021, language="en", actor=focal)
    assert not ReportBuild.objects.exists()
    build = services.request_build(kind="cooperation", year=2021, language="en", actor=year_2021.secretariat)
    with pytest.raises(Conflict):
        services.publish(build, actor=year_2021.secretariat)  # still queued
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.QUEUED and build.published_at is None


def test_a_build_that_fails_says_why(year_2021: Year) -> None:
    build = services.request_build(
        kind="country", year=2021, language="en", state="XXX", actor=year_2021.secretariat
    )
    services.run_build(build.pk)
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.FAILED and "XXX" in build.error


def test_bad_input_on_the_form_is_refused_and_nothing_is_queued(year_2021: Year) -> None:
    client = Client()
    client.force_login(year_2021.secretariat)
    answer = client.post(
        reverse("reports:page"), {"kind": "country", "year": "2021", "language": "en", "fund": "VFTC"}
    )
    assert answer.status_code == 200 and "needs a State" in answer.content.decode()
    answer = client.post(
        reverse("reports:page"), {"kind": "cooperation", "year": "1990", "language": "en", "fund": "VFTC"}
    )
    assert answer.status_code == 200
    assert not ReportBuild.objects.exists()


def test_the_command_writes_html_and_pdf(
    year_2021: Year, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    code, out, _err = run_cli(
        capsys,
        "report",
        "country",
        "--state",
        "FJI",
        "--year",
        "2021",
        "--lang",
        "fr",
        "--out",
        str(tmp_path),
    )
    assert code == 0, out
    assert (tmp_path / "country-2021-FJI-fr.pdf").read_bytes().startswith(b"%PDF")
    assert "Profil de pays : Fiji" in (tmp_path / "country-2021-FJI-fr.html").read_text()
    code, _out, err = run_cli(
        capsys, "report", "cooperation", "--year", "2021", "--lang", "xx", "--out", str(tmp_path)
    )
    assert code == 2 and "six UN languages" in err


def test_a_user_without_a_role_cannot_publish(year_2021: Year) -> None:
    build = services.request_build(kind="cooperation", year=2021, language="en", actor=year_2021.secretariat)
    services.run_build(build.pk)
    stranger = User.objects.create_user("stranger")
    grant_role(stranger, Role.STATE_FOCAL_POINT, scope="FJI", actor=None)
    with pytest.raises(Forbidden):
        services.publish(build, actor=stranger)
