"""The secretariat's forms. They only collect text; the services validate it and write.

Each event form carries an idempotency key generated when the form is first shown, so that a
double click or a resubmitted page records the event once.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from hrcoop.funds.models import Donor


def _new_key() -> str:
    return uuid.uuid4().hex


class RateFields(forms.Form):
    rate = forms.DecimalField(
        label=_("Exchange rate"),
        required=False,
        max_digits=24,
        decimal_places=12,
        help_text=_("Only for another currency: units of the target currency for one unit of this one"),
    )
    rate_date = forms.DateField(
        label=_("Date of the rate"), required=False, widget=forms.DateInput({"type": "date"})
    )
    rate_source = forms.CharField(label=_("Source of the rate"), required=False, max_length=200)


class PledgeForm(RateFields):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=Donor.objects.all())
    amount = forms.CharField(label=_("Amount"), help_text=_("In major units, e.g. 250,000.00"))
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("ISO 4217 code, e.g. USD"))
    pledged_on = forms.DateField(label=_("Pledged on"), widget=forms.DateInput({"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=_new_key)

    field_order = ["donor", "amount", "currency", "pledged_on", "rate", "rate_date", "rate_source", "note"]


class ReceiptForm(RateFields):
    amount = forms.CharField(label=_("Amount received"), help_text=_("In major units, e.g. 100,000.00"))
    currency = forms.CharField(label=_("Currency received"), max_length=3)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput({"type": "date"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=_new_key)

    field_order = ["amount", "currency", "received_on", "rate", "rate_date", "rate_source"]


class AllocationForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount allocated"), help_text=_("In major units of the request's currency")
    )
    # A date input reads only ISO dates: the localised "06/12/2026" of a French page left it empty.
    allocated_on = forms.DateField(
        label=_("Allocated on"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=_new_key)


class FundForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    currency = forms.CharField(label=_("Currency of account"), max_length=3, initial="USD")


class DonorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Donor.Kind.choices)
    state = forms.CharField(label=_("State (ISO alpha-3)"), max_length=3, required=False)
    organisation = forms.CharField(label=_("Organisation code"), max_length=20, required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous to the public"),
        required=False,
        help_text=_("Foundations and private donors only: States and organisations give in their own name."),
    )
