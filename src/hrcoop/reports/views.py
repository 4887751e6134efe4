"""The Reports page: anyone downloads the published reports; the secretariat builds, previews, publishes.

A build in progress is shown with its progress, and the page reloads itself every two seconds until the
build ends (no script needed). Unpublished builds and their files are the secretariat's only.
"""

from __future__ import annotations

import json

from csp.decorators import csp_replace, csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from hrcoop.core.errors import DomainError
from hrcoop.core.models import Role
from hrcoop.core.roles import has_role
from hrcoop.reports import opendata, services
from hrcoop.reports.forms import BuildForm
from hrcoop.reports.models import ReportBuild


def _is_secretariat(request: HttpRequest) -> bool:
    return has_role(request.user, Role.SECRETARIAT)


def reports_page(request: HttpRequest) -> HttpResponse:
    secretariat = _is_secretariat(request)
    form = BuildForm(request.POST or None) if secretariat else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("only the secretariat builds reports"))
        if form.is_valid():
            try:
                build = services.request_build(
                    kind=form.cleaned_data["kind"],
                    year=form.cleaned_data["year"],
                    language=form.cleaned_data["language"],
                    state=form.cleaned_data["state"] or "",
                    fund=form.cleaned_data["fund"] or "",
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("reports:build", build.pk)
    published = ReportBuild.objects.filter(status=ReportBuild.Status.PUBLISHED).order_by(
        "-year", "kind", "language", "-published_at"
    )
    pending = ReportBuild.objects.exclude(status=ReportBuild.Status.PUBLISHED)[:20] if secretariat else []
    return render(
        request,
        "reports/reports.html",
        {"published": published, "pending": pending, "form": form, "secretariat": secretariat},
    )


def _build_for(request: HttpRequest, pk: int) -> ReportBuild:
    build = get_object_or_404(ReportBuild, pk=pk)
    if build.status != ReportBuild.Status.PUBLISHED and not _is_secretariat(request):
        raise Http404(_("there is no published report %(id)s") % {"id": pk})
    return build


def build_page(request: HttpRequest, pk: int) -> HttpResponse:
    build = _build_for(request, pk)
    return render(request, "reports/build.html", {"build": build, "secretariat": _is_secretariat(request)})


# A built report is one self-contained page (its print styles inside it, as WeasyPrint reads them), and
# the build page previews it in a frame of this site: so this one response allows its own inline
# styles and framing by our own pages, and nothing else.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]  # typed for views without URL arguments
def report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    build = _build_for(request, pk)
    if fmt not in ("html", "pdf"):
        raise Http404(_("a report is downloaded as html or pdf"))
    stored = build.pdf if fmt == "pdf" else build.html
    if not stored:
        raise Http404(_("this report has no %(format)s file yet") % {"format": fmt.upper()})
    return FileResponse(
        stored.open("rb"),
        as_attachment=fmt == "pdf",
        filename=stored.name.rsplit("/", 1)[-1],
        content_type="application/pdf" if fmt == "pdf" else "text/html; charset=utf-8",
    )


def open_data(request: HttpRequest) -> HttpResponse:
    """The open-data bundle: its datasets, their fields and licences, and the files to download."""
    folder = opendata.current_folder()
    package = None
    if folder:
        with default_storage.open(f"{folder}/datapackage.json") as handle:
            package = json.load(handle)
    return render(
        request, "reports/open_data.html", {"package": package, "secretariat": _is_secretariat(request)}
    )


def open_data_file(request: HttpRequest, name: str) -> FileResponse:
    folder = opendata.current_folder()
    if folder is None or "/" in name or not default_storage.exists(f"{folder}/{name}"):
        raise Http404(_("there is no open-data file %(name)s") % {"name": name})
    types = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
    return FileResponse(
        default_storage.open(f"{folder}/{name}", "rb"),
        filename=name,
        content_type=types.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
    )


@require_POST
def rebuild_open_data(request: HttpRequest) -> HttpResponse:
    if not _is_secretariat(request):
        raise PermissionDenied(_("only the secretariat rebuilds the open data"))
    services.request_open_data(actor=request.user)
    messages.success(
        request, _("The open data is being rebuilt; the new files replace the old ones when done.")
    )
    return redirect("reports:open-data")


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not _is_secretariat(request):
        raise PermissionDenied(_("only the secretariat publishes reports"))
    build = get_object_or_404(ReportBuild, pk=pk)
    try:
        services.publish(build, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:build", pk)
    messages.success(request, _("The report is published."))
    return redirect("reports:page")
