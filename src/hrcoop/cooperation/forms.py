"""The pages' forms. They only collect text and choices; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrcoop.cooperation.models import Dialogue, OfferKind, ProviderKind
from hrcoop.recommendations.models import Label, LabelKind
from hrcoop.reference.models import RegionalGroup, SdgGoal, State
from hrcoop.reference.translations import name_in_language

LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]


def _states() -> list[tuple[str, str]]:
    """Every State by its name in the page's language, in that language's order."""
    return [
        ("", "---------"),
        *State.objects.order_by(name_in_language()).values_list("iso3", name_in_language()),
    ]


def _themes() -> list[tuple[str, str]]:
    return [
        (code, f"{code} {name}")
        for code, name in Label.objects.filter(kind=LabelKind.THEME)
        .order_by("code")
        .values_list("code", "name")
    ]


def _sdgs() -> list[tuple[str, str]]:
    return [(str(goal.number), goal.short_title or str(goal)) for goal in SdgGoal.objects.order_by("number")]


def _regions() -> list[tuple[str, str]]:
    return list(RegionalGroup.objects.order_by("code").values_list("code", name_in_language()))


class OfferForm(forms.Form):
    provider_kind = forms.ChoiceField(
        label=_("Who offers"), choices=[("", "---------"), *ProviderKind.choices]
    )
    provider_state = forms.ChoiceField(
        label=_("State"),
        choices=_states,
        required=False,
        help_text=_("The providing State, or the home State of an NHRI or NGO"),
    )
    provider_name = forms.CharField(
        label=_("Name of the agency, NHRI or NGO"), required=False, max_length=200
    )
    kind = forms.ChoiceField(label=_("What is offered"), choices=OfferKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea({"rows": 5}))
    language = forms.ChoiceField(
        label=_("Language of the description"), choices=LANGUAGE_CHOICES, initial="en"
    )
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=_themes, required=False)
    sdg_goals = forms.MultipleChoiceField(
        label=_("SDG goals"), choices=_sdgs, required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions served"),
        choices=_regions,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every region"),
    )
    capacity = forms.CharField(label=_("Capacity"), required=False, widget=forms.Textarea({"rows": 2}))
    cost_sharing = forms.CharField(
        label=_("Cost-sharing terms"), required=False, widget=forms.Textarea({"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence of results"), required=False, widget=forms.Textarea({"rows": 3})
    )
    facilitator_state = forms.ChoiceField(label=_("Facilitating State"), choices=_states, required=False)
    facilitator_organisation = forms.CharField(
        label=_("Facilitating organisation"), required=False, max_length=200
    )


class ModerationForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the contributor"), required=False, widget=forms.Textarea({"rows": 2})
    )


class DialogueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Dialogue.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput({"type": "date"}))
    participants = forms.CharField(
        label=_("Participants"), widget=forms.Textarea({"rows": 3}), help_text=_("One per line")
    )
    states = forms.MultipleChoiceField(label=_("States that took part"), choices=_states, required=False)
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea({"rows": 2}))
    outcomes = forms.CharField(label=_("Outcomes"), required=False, widget=forms.Textarea({"rows": 3}))
    follow_ups = forms.CharField(
        label=_("Follow-up actions"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "One per line: action; owner; due date (YYYY-MM-DD); optionally the owner's State (ISO "
            "alpha-3) and the owner's user name, who may mark it done"
        ),
    )
    requests = forms.CharField(
        label=_("Linked requests"), required=False, help_text=_("Their ids, e.g. AR-1A2B3C4D")
    )
    recommendations = forms.CharField(
        label=_("Linked recommendations"), required=False, help_text=_("Their ids")
    )
    offers = forms.CharField(label=_("Linked offers"), required=False, help_text=_("Their numbers"))
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        follow_ups = []
        for line in str(data.pop("follow_ups") or "").splitlines():
            if line.strip():
                action, owner, due_on, owner_state, owner_user = ([*line.split(";"), "", "", "", ""])[:5]
                follow_ups.append(
                    {
                        "action": action.strip(),
                        "owner": owner.strip(),
                        "due_on": due_on.strip(),
                        "owner_state": owner_state.strip(),
                        "owner_user": owner_user.strip(),
                    }
                )
        return {**data, "follow_ups": follow_ups, "states": [s for s in data["states"] if s]}
