from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrcoop.reference.models import Fund
from hrcoop.reports.builders.fund_update import DEFAULT_FUND
from hrcoop.reports.models import ReportBuild


class BuildForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportBuild.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2006, initial=lambda: timezone.localdate().year - 1)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    state = forms.CharField(
        label=_("State (ISO 3166 alpha-3, for a country profile)"), max_length=3, required=False
    )
    fund = forms.ChoiceField(label=_("Fund (for an annual update)"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        fund = self.fields["fund"]
        assert isinstance(fund, forms.ChoiceField)
        fund.choices = [(f.code, f"{f.code} - {f.name}") for f in Fund.objects.order_by("code")]
        self.fields["fund"].initial = DEFAULT_FUND
