"""Pages that move a tracker in and out: the exchange file (CSV, XLSX), its import, and the draft UPR
mid-term report (HTML and PDF). They read through the same selectors as the plan's page."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.tracking import exchange, selectors
from hrcoop.tracking.models import Plan, ProgressUpdate
from hrcoop.tracking.views import _fail, _plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 2**20  # a tracker of 20,000 recommendations with their actions is well under this


def export(request: HttpRequest, plan_id: int, extension: str) -> HttpResponse:
    """The plan in the exchange layout, as its reader may see it."""
    target = _plan(request, plan_id)
    rows = exchange.export_rows(selectors.plan_record(target, request.user))
    filename = f"tracker-{target.state.iso3.lower()}-{target.pk}.{extension}"
    if extension == "csv":
        response = HttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    elif extension == "xlsx":
        response = HttpResponse(exchange.xlsx_bytes(rows), content_type=XLSX)
    else:
        raise Http404(_("Export as .csv or .xlsx."))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_tracker(request: HttpRequest, plan_id: int) -> HttpResponse:
    target = _plan(request, plan_id)
    if not selectors.coordinates(request.user, target):
        raise Http404(_("Only the State's focal point imports into its plan."))
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(_("choose a CSV or XLSX file"), where="file")
            if (upload.size or 0) > MAX_UPLOAD_BYTES:
                raise InvalidInput(
                    _("the file is larger than %(limit)d MB: split it")
                    % {"limit": MAX_UPLOAD_BYTES // 2**20},
                    where="file",
                )
            counts = exchange.import_tracker(
                target, actor=request.user, name=upload.name or "tracker.csv", content=upload.read()
            )
            messages.success(
                request,
                _(
                    "Imported %(rows)d rows: %(clusters)d new clusters, %(statuses)d statuses,"
                    " %(actions)d actions."
                )
                % {
                    "rows": counts["rows"],
                    "clusters": counts["clusters_created"],
                    "statuses": counts["statuses_changed"],
                    "actions": counts["actions_added"],
                },
            )
            return redirect("tracking:plan", plan_id=target.pk)
        except DomainError as error:
            status = _fail(request, error)
    return render(
        request, "tracking/import.html", {"plan": target, "columns": exchange.COLUMNS}, status=status
    )


def report_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    """The draft mid-term report: per cluster, its recommendations with their status, and the measures
    taken as the validated progress on its actions says."""
    record = selectors.plan_record(plan, request.user)
    for cluster in record["clusters"]:
        for action in cluster["actions"]:
            action["updates"] = [
                u for u in action["updates"] if u["review"] == ProgressUpdate.Review.VALIDATED
            ]
    return {"plan": plan, "record": record, "generated_at": timezone.now()}


# A printable page that carries its own styles, as its PDF does: it alone allows inline styles. (django-csp
# types its decorators for views without URL arguments.)
@csp_update({"style-src": ["'unsafe-inline'"]})  # type: ignore[arg-type]
def report(request: HttpRequest, plan_id: int) -> HttpResponse:
    return render(request, "tracking/report.html", report_context(_plan(request, plan_id), request))


def report_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    from weasyprint import HTML

    target = _plan(request, plan_id)
    html = render_to_string("tracking/report.html", report_context(target, request), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mid-term-report-{target.state.iso3.lower()}.pdf"'
    return response
