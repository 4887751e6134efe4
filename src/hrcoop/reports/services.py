"""Every write of the reports app: ask for a build, build it (the background task's work), publish it.

Asking and publishing are the secretariat's and audited; the build records its progress as it goes
(plain updates, so a page polling it sees them before the build ends) and one audited event when it
ends, built or failed.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from hrcoop.core.models import Role, User
from hrcoop.core.roles import Actor, has_role
from hrcoop.reports.actions import ReportAction
from hrcoop.reports.builders.common import check_year
from hrcoop.reports.builders.fund_update import DEFAULT_FUND
from hrcoop.reports.building import KINDS, build_report, check_language, file_stem
from hrcoop.reports.models import ReportBuild
from hrcoop.reports.rendering import render_html, render_pdf


def _require_secretariat(actor: Actor) -> User:
    if not has_role(actor, Role.SECRETARIAT) or not isinstance(actor, User):
        raise Forbidden(_("only the secretariat builds and publishes reports"))
    return actor


@transaction.atomic
def request_build(
    *, kind: str, year: int, language: str, state: str = "", fund: str = "", actor: Actor
) -> ReportBuild:
    """Queue the build of a report; the background task starts once the request is committed."""
    user = _require_secretariat(actor)
    if kind not in KINDS:
        raise InvalidInput(_("unknown kind of report %(kind)r") % {"kind": kind}, where="kind")
    if kind == "country" and not state:
        raise InvalidInput(
            _("a country profile needs a State: give its ISO 3166 alpha-3 code"), where="state"
        )
    build = ReportBuild.objects.create(
        kind=kind,
        year=check_year(year),
        language=check_language(language),
        state=state.upper() if kind == "country" else "",
        fund=fund if kind == "fund-update" else "",
        requested_by=user,
        requested_at=timezone.now(),
    )
    record_event(
        actor=user,
        action=ReportAction.BUILD_REQUESTED,
        target=build,
        data={
            "kind": kind,
            "year": year,
            "language": build.language,
            "state": build.state,
            "fund": build.fund,
        },
    )
    from hrcoop.reports.tasks import build_report_files

    transaction.on_commit(lambda: build_report_files.enqueue(build.pk))
    return build


def _progress(build: ReportBuild, percent: int, status: str = ReportBuild.Status.BUILDING) -> None:
    ReportBuild.objects.filter(pk=build.pk).update(progress=percent, status=status)


def run_build(build_id: int) -> ReportBuild:
    """Build the report's document, then its HTML and PDF, recording progress between the steps."""
    build = ReportBuild.objects.get(pk=build_id)
    if build.status != ReportBuild.Status.QUEUED:
        return build  # already taken by another worker, or finished
    _progress(build, 5)
    try:
        report = build_report(
            build.kind,
            year=build.year,
            language=build.language,
            state=build.state,
            fund=build.fund or DEFAULT_FUND,
        )
        _progress(build, 50)
        html = render_html(report, built_on=timezone.localdate())
        _progress(build, 70)
        pdf = render_pdf(html)
    except DomainError as exc:
        return _finish(build, error=exc.message)
    except Exception:
        _finish(
            build, error=_("the build failed unexpectedly: the operators find the cause in the task's log")
        )
        raise
    stem = f"{file_stem(report)}-{build.pk}"
    build.html.save(f"{stem}.html", ContentFile(html.encode()), save=False)
    build.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    build.data_version = report.data_version()
    return _finish(build)


@transaction.atomic
def _finish(build: ReportBuild, *, error: str = "") -> ReportBuild:
    build.status = ReportBuild.Status.FAILED if error else ReportBuild.Status.BUILT
    build.progress = 100
    build.error = error
    build.built_at = timezone.now()
    build.save()
    record_event(
        actor=None,
        action=ReportAction.BUILD_FAILED if error else ReportAction.BUILT,
        target=build,
        data={"error": error} if error else {"data_version": build.data_version},
    )
    return build


@transaction.atomic
def publish(build: ReportBuild, *, actor: Actor) -> ReportBuild:
    """Make a built report public, after the secretariat has previewed it."""
    user = _require_secretariat(actor)
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if build.status != ReportBuild.Status.BUILT:
        raise Conflict(
            _("this report is %(status)s: only a built report can be published")
            % {"status": build.get_status_display().lower()}
        )
    build.status = ReportBuild.Status.PUBLISHED
    build.published_at = timezone.now()
    build.save(update_fields=["status", "published_at"])
    record_event(
        actor=user, action=ReportAction.PUBLISHED, target=build, data={"data_version": build.data_version}
    )
    return build


@transaction.atomic
def request_open_data(*, actor: Actor) -> None:
    """Queue a rebuild of the open-data bundle (the daily schedule does the same without asking)."""
    user = _require_secretariat(actor)
    record_event(actor=user, action=ReportAction.OPEN_DATA_REQUESTED, target=user, data={})
    from hrcoop.reports.tasks import rebuild_open_data

    transaction.on_commit(lambda: rebuild_open_data.enqueue())
