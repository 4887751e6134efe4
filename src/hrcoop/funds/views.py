"""Pages of the funds: public figures (fund, donor, donor base), CSV exports, the secretariat's forms.

Reads come from ``statements``, ``metrics`` and ``selectors``; the forms call ``services`` and show a
refused event's message next to the form, so that nothing is written behind the person's back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.selectors import requests_visible_to
from hrcoop.core import formatting
from hrcoop.core.errors import DomainError, Forbidden
from hrcoop.core.models import Role
from hrcoop.core.money import Money
from hrcoop.core.roles import has_role
from hrcoop.core.spreadsheets import csv_lines
from hrcoop.funds import iati, services
from hrcoop.funds.disclosure import public_balances, public_income_and_expenditure
from hrcoop.funds.forms import AllocationForm, DonorForm, FundForm, PledgeForm, ReceiptForm
from hrcoop.funds.metrics import donor_base, donor_base_chart
from hrcoop.funds.models import Donor, Pledge
from hrcoop.funds.selectors import (
    amounts_withheld,
    available,
    donor_for,
    donor_label,
    donors_in_public_order,
    live_allocations,
    may_see_donor,
)
from hrcoop.funds.statements import allocations_per_request, contributions_by_donor, pledges_outstanding
from hrcoop.reference.models import Fund


def _funded_rows(request: HttpRequest, fund: Fund | None) -> list[dict[str, Any]]:
    rows = allocations_per_request(fund=fund)
    withheld = amounts_withheld(request.user, [row.request_id for row in rows])
    return [{"row": row, "withheld": row.request_id in withheld} for row in rows]


def fund_list(request: HttpRequest) -> HttpResponse:
    funds = [(fund, public_balances(fund, actor=request.user)) for fund in Fund.objects.order_by("code")]
    return render(
        request,
        "funds/fund_list.html",
        {
            "funds": funds,
            "is_secretariat": has_role(request.user, Role.SECRETARIAT),
            "iati": iati.published(),
            "withholding": any(b.as_of or b.cash is None for _fund, balances in funds for b in balances),
        },
    )


def iati_file(request: HttpRequest, name: str) -> FileResponse:
    """One of the IATI files on offer: the latest set that passed the IATI 2.03 schemas."""
    manifest = iati.published()
    if manifest is None or name not in manifest["files"]:
        raise Http404(_("there is no IATI file %(name)s") % {"name": name})
    handle = default_storage.open(f"{manifest['folder']}/{name}", "rb")
    return FileResponse(handle, filename=name, content_type="application/xml")


@require_POST
@login_required
def rebuild_iati(request: HttpRequest) -> HttpResponse:
    try:
        services.request_iati_publication(actor=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The IATI files are being rebuilt; the new files replace the old ones when done.")
        )
    return redirect("funds:list")


@dataclass(frozen=True)
class _Section:
    """One table of the fund page. ``funds/_section.html`` frames every one the same way (its heading,
    the scrolling table, a note, the CSV download); ``funds/fund_tables/<anchor>.html`` holds what is
    each table's own: its column headings, its row, and the line it shows when it has no rows."""

    anchor: str
    title: Promise
    rows: Iterable[Any]
    csv: str = ""  # the table of ``fund_csv`` with the same rows
    note: str = ""  # a template shown under the table

    @property
    def table(self) -> str:
        return f"funds/fund_tables/{self.anchor}.html"


def _awaiting_section(fund: Fund) -> _Section:
    """The secretariat's own table: the approved requests of the fund, each with a link to allocate."""
    requests = AssistanceRequest.objects.filter(fund=fund, status__in=services.FUNDABLE)
    return _Section(
        "awaiting",
        gettext_lazy("Approved requests awaiting funds"),
        requests.select_related("requesting_state").order_by("status_changed_at"),
    )


def _public_sections(request: HttpRequest, fund: Fund) -> list[_Section]:
    """The tables everyone sees, as the reader may see them (``disclosure``, ``selectors.donor_label``)."""
    balances = public_balances(fund, actor=request.user)
    statement = public_income_and_expenditure(fund, actor=request.user)
    withholding = any(b.as_of or b.cash is None for b in balances) or any(
        r.withheld or r.last_year for r in statement
    )
    donors = [
        {
            "row": row,
            "label": donor_label(request.user, row.donor),
            "link": may_see_donor(request.user, row.donor),
        }
        for row in contributions_by_donor(fund=fund)
    ]
    outstanding = [
        {"item": item, "label": donor_label(request.user, item.pledge.donor)}
        for item in pledges_outstanding(fund=fund)
    ]
    note = "funds/_withheld_note.html" if withholding else ""
    return [
        _Section("balance", gettext_lazy("Balance"), balances, note=note),
        _Section("statement", gettext_lazy("Income and expenditure"), statement, csv="statement"),
        _Section("donors", gettext_lazy("Donors"), donors, csv="donors"),
        _Section("outstanding", gettext_lazy("Pledges outstanding"), outstanding, csv="pledges"),
        _Section("funded", gettext_lazy("Funded requests"), _funded_rows(request, fund), csv="allocations"),
    ]


def fund_page(request: HttpRequest, code: str) -> HttpResponse:
    fund = get_object_or_404(Fund, code=code)
    is_secretariat = has_role(request.user, Role.SECRETARIAT, scope=fund.code)
    sections = _public_sections(request, fund)
    if is_secretariat:
        sections.insert(0, _awaiting_section(fund))
    return render(
        request,
        "funds/fund.html",
        {"fund": fund, "sections": sections, "is_secretariat": is_secretariat},
    )


def donor_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        donor = donor_for(request.user, pk)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    funds = Fund.objects.filter(pledges__donor=donor).distinct().order_by("code")
    return render(
        request,
        "funds/donor.html",
        {
            "donor": donor,
            "contributions": contributions_by_donor(donor=donor),
            "pledges": donor.pledges.select_related("fund").prefetch_related("receipts"),
            "funded": [(fund, _funded_rows(request, fund)) for fund in funds],
        },
    )


def donor_base_page(request: HttpRequest) -> HttpResponse:
    currency = request.GET.get("currency", "USD").upper()[:3]
    return render(
        request, "funds/donor_base.html", {"rows": donor_base(currency=currency), "currency": currency}
    )


def donor_base_svg(request: HttpRequest) -> HttpResponse:
    currency = request.GET.get("currency", "USD").upper()[:3]
    return HttpResponse(donor_base_chart(donor_base(currency=currency)), content_type="image/svg+xml")


CSV_TABLES = ("statement", "donors", "pledges", "allocations")


def fund_csv(request: HttpRequest, code: str, table: str) -> HttpResponse:
    """One table of the fund page as CSV; amounts in major units with their currency, as on the page."""
    fund = get_object_or_404(Fund, code=code)
    if table not in CSV_TABLES:
        raise Http404(f"no table {table}")
    rows = csv_lines(_table_rows(request, fund, table))
    response = HttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.code}-{table}.csv"'
    return response


def _major(amount: int | None, currency: str) -> str:
    """An amount in major units, or an empty cell for a figure withheld from the reader."""
    return "" if amount is None else str(Money(amount, currency).major())


def _table_rows(request: HttpRequest, fund: Fund, table: str) -> Iterator[list[Any]]:
    if table == "statement":
        names = ["year", "last_year", "currency", "contributions", "write_offs", "refunds", "net_income"]
        names += ["allocations", "expenditure", "total_expenditure", "surplus", "received", "disbursed"]
        yield names
        for r in (r.as_dict() for r in public_income_and_expenditure(fund, actor=request.user)):
            shown = [_major(r[n], r["currency"]) for n in names[3:]]
            yield [r["year"], r["last_year"], r["currency"], *shown]
    elif table == "donors":
        amounts = ("pledged", "paid", "written_off", "outstanding")
        yield ["donor", "kind", "traditional", "currency", *amounts]
        for c in contributions_by_donor(fund=fund):
            named = may_see_donor(request.user, c.donor)
            yield [
                donor_label(request.user, c.donor),
                c.donor.kind if named else "",
                c.donor.traditional if named else "",
                c.currency,
                *(_major(getattr(c, n), c.currency) for n in amounts),
            ]
    elif table == "pledges":
        yield ["pledge", "donor", "pledged_on", "currency", "amount", "outstanding"]
        for o in pledges_outstanding(fund=fund):
            p = o.pledge
            label = donor_label(request.user, p.donor)
            yield [p.pk, label, p.pledged_on, p.currency, p.money.major(), o.outstanding.major()]
    else:
        yield ["request", "state", "currency", "allocated", "disbursed", "open"]
        for item in _funded_rows(request, fund):
            a = item["row"]
            withheld = ["", "", ""]
            shown = [_major(getattr(a, n), a.currency) for n in ("allocated", "disbursed", "open")]
            yield [a.public_id, a.state, a.currency, *(withheld if item["withheld"] else shown)]


# --- the secretariat's forms -------------------------------------------------------------------------------


def _require_secretariat(request: HttpRequest, fund: Fund | None = None) -> None:
    if not has_role(request.user, Role.SECRETARIAT, scope=fund.code if fund else None):
        raise PermissionDenied(_("Only the secretariat of the fund may record this."))


def _refused(form: Form, error: DomainError) -> None:
    field = error.where if error.where in form.fields else None
    form.add_error(field, error.message)


def _rate(data: dict[str, Any]) -> dict[str, Any]:
    return {"rate": data["rate"], "rate_date": data["rate_date"], "rate_source": data["rate_source"] or ""}


@dataclass
class _Done:
    """What a form's service call did: where the person goes next, and what to tell them."""

    url: str
    message: str = ""


def _service_form(
    request: HttpRequest,
    form: Form,
    *,
    act: Callable[[dict[str, Any]], _Done],
    title: str,
    fund: Fund | None = None,
    facts: Sequence[tuple[str, object]] = (),
) -> HttpResponse:
    """Every secretariat form: a valid POST goes to ``act``, which calls the service; a refusal is
    shown on the form, against the field the service names."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act(form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            if done.message:
                messages.success(request, done.message)
            return redirect(done.url)
    context = {"form": form, "title": title, "fund": fund, "facts": facts}
    return render(request, "funds/form.html", context)


def _fund_url(fund: Fund) -> str:
    return reverse("funds:fund", kwargs={"code": fund.code})


@login_required
def new_pledge(request: HttpRequest, code: str) -> HttpResponse:
    fund = get_object_or_404(Fund, code=code)
    _require_secretariat(request, fund)

    def act(data: dict[str, Any]) -> _Done:
        pledge = services.record_pledge(
            fund_code=fund.code,
            donor_id=data["donor"].pk,
            amount=Money.parse(data["amount"], data["currency"], as_typed=True),
            pledged_on=data["pledged_on"],
            note=data["note"],
            idempotency_key=data["idempotency_key"],
            actor=request.user,
            **_rate(data),
        )
        message = _("Pledge %(id)s of %(amount)s recorded.") % {
            "id": pledge.pk,
            "amount": formatting.money(pledge.money),
        }
        return _Done(_fund_url(fund), message)

    return _service_form(
        request,
        PledgeForm(request.POST or None, initial={"currency": fund.currency}),
        act=act,
        title=_("Record a pledge to %(fund)s") % {"fund": fund.code},
        fund=fund,
    )


@login_required
def new_allocation(request: HttpRequest, public_id: str) -> HttpResponse:
    """The secretariat commits money to an approved request; the first allocation funds it.

    The form states what the decision needs beside it: the amount approved, what is allocated already
    and what the fund has available in the request's currency; the amount still to allocate is filled
    in. The request is looked up among those the person may see, so that another State's draft
    answers the same 404 as a request that does not exist.
    """
    assistance_request = get_object_or_404(requests_visible_to(request.user), public_id=public_id)
    fund = assistance_request.fund
    _require_secretariat(request, fund)
    currency = assistance_request.currency
    allocated = Money(sum(a.amount for a in live_allocations(assistance_request)), currency)
    approved = (
        Money(assistance_request.amount_requested, currency) if assistance_request.amount_requested else None
    )
    facts = [
        (_("Amount approved"), approved or "—"),
        (_("Allocated already"), allocated),
        (_("Available in the fund"), available(fund, currency)),
    ]
    initial: dict[str, Any] = {"allocated_on": timezone.localdate()}
    if approved is not None and approved.amount > allocated.amount:
        initial["amount"] = f"{(approved - allocated).major()}"

    def act(data: dict[str, Any]) -> _Done:
        allocation = services.allocate(
            request_id=assistance_request.public_id,
            amount=Money.parse(data["amount"], currency, as_typed=True),
            allocated_on=data["allocated_on"],
            idempotency_key=data["idempotency_key"],
            actor=request.user,
        )
        message = _("%(amount)s allocated to request %(id)s.") % {
            "amount": formatting.money(allocation.money),
            "id": assistance_request.public_id,
        }
        return _Done(reverse("assistance:detail", args=[assistance_request.public_id]), message)

    title = _("Allocate money of %(fund)s to request %(id)s (%(currency)s)") % {
        "fund": fund.code,
        "id": assistance_request.public_id,
        "currency": currency,
    }
    form = AllocationForm(request.POST or None, initial=initial)
    return _service_form(request, form, act=act, title=title, fund=fund, facts=facts)


@login_required
def new_receipt(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = get_object_or_404(Pledge.objects.select_related("fund", "donor"), pk=pledge_id)
    _require_secretariat(request, pledge.fund)

    def act(data: dict[str, Any]) -> _Done:
        receipt = services.record_receipt(
            pledge_id=pledge.pk,
            amount=Money.parse(data["amount"], data["currency"], as_typed=True),
            received_on=data["received_on"],
            idempotency_key=data["idempotency_key"],
            actor=request.user,
            **_rate(data),
        )
        return _Done(
            _fund_url(pledge.fund),
            _("Receipt of %(amount)s recorded.") % {"amount": formatting.money(receipt.money)},
        )

    title = _("Record money received on pledge %(id)s by %(donor)s (%(amount)s)") % {
        "id": pledge.pk,
        "donor": pledge.donor.name,
        "amount": formatting.money(pledge.money),
    }
    form = ReceiptForm(request.POST or None, initial={"currency": pledge.currency})
    return _service_form(request, form, act=act, title=title, fund=pledge.fund)


@login_required
def new_fund(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)

    def act(data: dict[str, Any]) -> _Done:
        return _Done(_fund_url(services.create_fund(actor=request.user, **data)))

    return _service_form(request, FundForm(request.POST or None), act=act, title=_("Add a fund"))


@login_required
def new_donor(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)

    def act(data: dict[str, Any]) -> _Done:
        donor = services.register_donor(
            name=data["name"],
            kind=data["kind"],
            state_iso3=data["state"] or None,
            organisation_code=data["organisation"] or None,
            anonymous=data["anonymous"],
            actor=request.user,
        )
        return _Done(reverse("funds:donor", kwargs={"pk": donor.pk}))

    return _service_form(request, DonorForm(request.POST or None), act=act, title=_("Register a donor"))


def donors_list(request: HttpRequest) -> HttpResponse:
    donors = donors_in_public_order(request.user, Donor.objects.select_related("state__regional_group"))
    return render(
        request,
        "funds/donor_list.html",
        {"donors": donors, "is_secretariat": has_role(request.user, Role.SECRETARIAT)},
    )
