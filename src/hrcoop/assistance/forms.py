"""Forms of the request pages. They turn what a person types into the data the services validate;
the rules themselves (amount limits, recommendations of the State, ...) live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import ConfidentialField
from hrcoop.core.errors import InvalidInput
from hrcoop.core.money import Money


class RecommendationIds(forms.Field):
    """The ids of the ticked recommendations, as posted: several values of one name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v).strip() for v in value or [] if str(v).strip()]


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    need = forms.CharField(label=_("Need"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    expected_results = forms.CharField(
        label=_("Expected results and indicators"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    priorities = forms.CharField(
        label=_("Priorities, most important first (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    amount = forms.CharField(label=_("Amount requested"), help_text=_("e.g. 120,000.00"))
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3, initial="USD")
    budget = forms.CharField(
        label=_("Budget by line: one line per item, as 'item; amount'"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    duration_months = forms.IntegerField(
        label=_("Duration (months)"), required=False, min_value=1, max_value=120
    )
    implementing_partners = forms.CharField(
        label=_("Implementing partners"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    # Ticked in the picker of the form's page (``assistance/_picker.html``), one value per box; the
    # service checks that each is the State's own and says which is not.
    recommendations = RecommendationIds(label=_("Linked recommendations"), required=False)
    confidential_fields = forms.MultipleChoiceField(
        label=_("Keep these fields out of the public register"),
        choices=ConfidentialField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def service_data(self) -> dict[str, Any]:
        """The cleaned form as the keyword data of ``create_request`` / ``update_request``."""
        data = self.cleaned_data
        amount = Money.parse(data["amount"], data["currency"], as_typed=True)
        budget = []
        for number, line in enumerate(data["budget"].splitlines(), start=1):
            if not line.strip():
                continue
            item, _sep, value = line.rpartition(";")
            if not item.strip():
                raise InvalidInput(
                    gettext("budget line %(number)d: write 'item; amount'") % {"number": number},
                    where="budget",
                )
            budget.append(
                {"item": item.strip(), "amount": Money.parse(value, amount.currency, as_typed=True).amount}
            )
        return {
            "title": data["title"],
            "need": data["need"],
            "objectives": data["objectives"],
            "expected_results": data["expected_results"],
            "priorities": [p for p in data["priorities"].splitlines() if p.strip()],
            "amount": amount,
            "budget_lines": budget,
            "duration_months": data["duration_months"],
            "implementing_partners": data["implementing_partners"],
            "recommendations": data["recommendations"],
            "confidential_fields": list(data["confidential_fields"]),
        }


class NewRequestForm(RequestForm):
    state = forms.ChoiceField(label=_("Requesting State"))
    fund = forms.ChoiceField(label=_("Fund"))

    field_order = ["state", "fund"]


class BoardSessionForm(forms.Form):
    """A session of a fund's board. The service checks the day and the name; the form only reads them."""

    fund = forms.ChoiceField(label=_("Fund"))
    starts_on = forms.DateField(label=_("First day of the session"), widget=forms.DateInput({"type": "date"}))
    title = forms.CharField(
        label=_("Name of the session"), help_text=_("e.g. Board of Trustees, 42nd session"), max_length=200
    )
