"""REST API of the funds: the public figures, and the secretariat's events through the same services.

Amounts are written in major units as text ("12,500.50") with an ISO 4217 currency; amounts read are
integer minor units with their currency, as stored. Every event needs an ``idempotency_key``: sending
the same event again returns the first result and posts nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrcoop.core.api import validated
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.disclosure import public_balances, public_income_and_expenditure
from hrcoop.funds.metrics import donor_base
from hrcoop.funds.models import Donor, Posting
from hrcoop.funds.selectors import (
    amounts_withheld,
    donor_for,
    donor_label,
    donors_in_public_order,
)
from hrcoop.funds.statements import allocations_per_request, contributions_by_donor, pledges_outstanding
from hrcoop.reference.models import Fund
from hrcoop.reference.selectors import fund_for

_rows = serializers.ListField(child=serializers.DictField())
_fund_fields: dict[str, serializers.Field] = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "names": serializers.DictField(
        child=serializers.CharField(), help_text="The name in the other UN languages, by language code"
    ),
    "currency": serializers.CharField(),
}
FUND_SUMMARY = inline_serializer("FundSummary", {**_fund_fields, "balances": _rows}, many=True)
FUND_DETAIL = inline_serializer(
    "FundDetail",
    {
        **_fund_fields,
        "balances": _rows,
        "income_and_expenditure": _rows,
        "donors": _rows,
        "pledges_outstanding": _rows,
        "allocations_per_request": _rows,
    },
)
_donor_fields: dict[str, serializers.Field] = {
    "id": serializers.IntegerField(),
    "name": serializers.CharField(),
    "kind": serializers.CharField(),
    "traditional": serializers.BooleanField(),
}
DONOR_SUMMARY = inline_serializer(
    "DonorSummary",
    {
        **_donor_fields,
        # null for a donor that asked for anonymity: nothing that would place it
        "kind": serializers.CharField(allow_null=True),
        "traditional": serializers.BooleanField(allow_null=True),
        "regional_group": serializers.CharField(allow_null=True),
        "ldc": serializers.BooleanField(allow_null=True),
        "sids": serializers.BooleanField(allow_null=True),
    },
    many=True,
)
DONOR_DETAIL = inline_serializer("DonorDetail", {**_donor_fields, "contributions": _rows})
DONOR_BASE = inline_serializer(
    "DonorBaseYear",
    {
        "year": serializers.IntegerField(),
        "donors": serializers.IntegerField(),
        "hhi": serializers.FloatField(),
    },
    many=True,
)
CREATED = inline_serializer("Created", {"id": serializers.IntegerField()})


def _reads(summary: str, responses: Any, operation_id: str | None = None) -> Any:
    """The schema of a read of the public figures, as ``_creates`` is of an event."""
    return extend_schema(summary=summary, responses=responses, operation_id=operation_id)


def _balances(fund: Fund, request: Request) -> list[dict[str, Any]]:
    """Balances as the caller may see them: cash and commitments withheld (null) or ``as_of`` a past day
    when they would reveal an amount a State keeps confidential (funds/disclosure.py)."""
    return [
        {
            "currency": b.currency,
            "cash": b.cash,
            "open_commitments": b.open_commitments,
            "available": b.available,
            "pledges_outstanding": b.pledges_outstanding,
            "as_of": b.as_of,
        }
        for b in public_balances(fund, actor=request.user)
    ]


def _fund_summary(fund: Fund, request: Request) -> dict[str, Any]:
    return {
        "code": fund.code,
        "name": fund.name,
        "names": fund.names,
        "currency": fund.currency,
        "balances": _balances(fund, request),
    }


class FundListView(APIView):
    @_reads("Funds and balances per currency", FUND_SUMMARY, "funds_list")
    def get(self, request: Request) -> Response:
        return Response([_fund_summary(f, request) for f in Fund.objects.order_by("code")])


class FundDetailView(APIView):
    @_reads(
        "A fund: balances, income and expenditure, donors, pledges outstanding, allocations",
        FUND_DETAIL,
        "funds_detail",
    )
    def get(self, request: Request, code: str) -> Response:
        fund = fund_for(code)
        funded = allocations_per_request(fund=fund)
        withheld = amounts_withheld(request.user, [r.request_id for r in funded])
        return Response(
            {
                **_fund_summary(fund, request),
                "income_and_expenditure": [
                    r.as_dict() for r in public_income_and_expenditure(fund, actor=request.user)
                ],
                "donors": [
                    {**c.as_dict(), "name": donor_label(request.user, c.donor)}
                    for c in contributions_by_donor(fund=fund)
                ],
                "pledges_outstanding": [
                    {
                        "pledge": o.pledge.pk,
                        "donor": donor_label(request.user, o.pledge.donor),
                        "pledged_on": o.pledge.pledged_on,
                        "currency": o.outstanding.currency,
                        "outstanding": o.outstanding.amount,
                    }
                    for o in pledges_outstanding(fund=fund)
                ],
                "allocations_per_request": [
                    {**r.as_dict(), **dict.fromkeys(["allocated", "disbursed", "open"])}
                    if r.request_id in withheld
                    else r.as_dict()
                    for r in funded
                ],
            }
        )


_CLASSIFICATION = ("kind", "traditional", "regional_group", "ldc", "sids")


def _classification(donor: Donor) -> dict[str, Any]:
    """What places a donor; none of it is given for a donor that asked for anonymity."""
    state = donor.state
    return {
        "kind": donor.kind,
        "traditional": donor.traditional,
        "regional_group": state.regional_group_id if state else None,
        "ldc": state.ldc if state else None,
        "sids": state.sids if state else None,
    }


class DonorListView(APIView):
    @_reads(
        "Donors with their classification (anonymous donors hidden from the public)",
        DONOR_SUMMARY,
        "funds_donors_list",
    )
    def get(self, request: Request) -> Response:
        donors = donors_in_public_order(request.user, Donor.objects.select_related("state"))
        return Response(
            [
                {
                    "id": d.pk,
                    "name": label,
                    **(_classification(d) if named else dict.fromkeys(_CLASSIFICATION)),
                }
                for d, label, named in donors
            ]
        )


class DonorDetailView(APIView):
    @_reads("A donor and its contributions per currency", DONOR_DETAIL, "funds_donor")
    def get(self, request: Request, pk: int) -> Response:
        donor = donor_for(request.user, pk)
        return Response(
            {
                "id": donor.pk,
                "name": donor.name,
                "kind": donor.kind,
                "traditional": donor.traditional,
                "contributions": [c.as_dict() for c in contributions_by_donor(donor=donor)],
            }
        )


class DonorBaseView(APIView):
    @_reads("Donor-base metrics per year (para 21)", DONOR_BASE)
    def get(self, request: Request) -> Response:
        currency = str(request.query_params.get("currency", "USD")).upper()[:3]
        return Response([row.as_dict() for row in donor_base(currency=currency)])


class _AsciiDigits(serializers.Field):
    """A number or a date in the API's one machine format: its digits are 0-9.

    Python reads full-width and mathematical digits as digits too (full-width 2026-03-01 is a date to it);
    no program sends them on purpose, and they hide what was sent from whoever reads it later.
    """

    default_error_messages = {
        "digits": gettext_lazy("write the digits 0-9 only (not full-width or other digits)"),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and any(c.isdigit() and not c.isascii() for c in data):
            self.fail("digits")
        return super().to_internal_value(data)


class _Date(_AsciiDigits, serializers.DateField):
    pass


class _Integer(_AsciiDigits, serializers.IntegerField):
    pass


class _Decimal(_AsciiDigits, serializers.DecimalField):
    pass


class _Event(serializers.Serializer):
    amount = serializers.CharField(help_text="Major units, e.g. 12,500.50")
    currency = serializers.CharField(max_length=3)
    idempotency_key = serializers.CharField(max_length=200)


class _Rate(serializers.Serializer):
    rate = _Decimal(max_digits=24, decimal_places=12, required=False, allow_null=True)
    rate_date = _Date(required=False, allow_null=True)
    rate_source = serializers.CharField(required=False, allow_blank=True, default="")


class PledgeInput(_Event, _Rate):
    fund = serializers.CharField(max_length=20)
    donor = _Integer()
    pledged_on = _Date()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReceiptInput(_Event, _Rate):
    pledge = _Integer()
    received_on = _Date()


class AllocationInput(_Event):
    request = serializers.CharField(max_length=40, help_text="Public id of an approved request")
    allocated_on = _Date()


class ReversalInput(serializers.Serializer):
    reason = serializers.CharField()
    reversed_on = _Date()
    idempotency_key = serializers.CharField(max_length=200)


def _event(request: Request, serializer: type[serializers.Serializer], **fields: str) -> dict[str, Any]:
    """The keyword arguments of a ledger event's service from the request's validated body: ``fields``
    maps each argument to its input field; the amount, the idempotency key, the actor and any rate
    are the same for every event."""
    data = validated(serializer, request.data)
    arguments = {name: data[field] for name, field in fields.items()}
    if "amount" in data:
        arguments["amount"] = Money.parse(data["amount"], data["currency"])
    if issubclass(serializer, _Rate):
        arguments.update(
            rate=data.get("rate"), rate_date=data.get("rate_date"), rate_source=data.get("rate_source", "")
        )
    return {**arguments, "idempotency_key": data["idempotency_key"], "actor": request.user}


def _created(row: Model, *fields: str) -> Response:
    """201 with the new row's id and ``fields`` (a foreign key such as ``pledge_id`` named ``pledge``)."""
    return Response(
        {"id": row.pk, **{name.removesuffix("_id"): getattr(row, name) for name in fields}},
        status=status.HTTP_201_CREATED,
    )


def _creates(summary: str, serializer: type[serializers.Serializer]) -> Any:
    return extend_schema(summary=summary, request=serializer, responses={201: CREATED})


class PledgeCreateView(APIView):
    @_creates("Record a pledge (secretariat)", PledgeInput)
    def post(self, request: Request) -> Response:
        arguments = _event(
            request, PledgeInput, fund_code="fund", donor_id="donor", pledged_on="pledged_on", note="note"
        )
        pledge = services.record_pledge(**arguments)
        return _created(pledge, "amount", "currency", "fund_amount")


class ReceiptCreateView(APIView):
    @_creates("Record money received on a pledge (secretariat)", ReceiptInput)
    def post(self, request: Request) -> Response:
        receipt = services.record_receipt(
            **_event(request, ReceiptInput, pledge_id="pledge", received_on="received_on")
        )
        return _created(receipt, "pledge_id", "amount", "currency", "pledge_amount")


class AllocationCreateView(APIView):
    @_creates("Allocate to an approved request (secretariat)", AllocationInput)
    def post(self, request: Request) -> Response:
        allocation = services.allocate(
            **_event(request, AllocationInput, request_id="request", allocated_on="allocated_on")
        )
        return _created(allocation, "fund_id", "amount", "currency")


class ReversalCreateView(APIView):
    @_creates("Reverse a posting (secretariat)", ReversalInput)
    def post(self, request: Request, pk: int) -> Response:
        arguments = _event(request, ReversalInput, reason="reason", reversed_on="reversed_on")
        posting: Posting = services.reverse(posting_id=pk, **arguments)
        return _created(posting, "reverses_id")
