"""The forms the secretariat opens a call and invites with; answers are read field by field in views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hrcoop.consultations.models import ORGANISATION_NAME_LENGTH, UN_LANGUAGES, Question
from hrcoop.consultations.services import QuestionSpec
from hrcoop.mandates.models import Mandate

QUESTION_ROWS = 5


class CallForm(forms.Form):
    mandate = forms.ModelChoiceField(
        label=_("Mandate the report answers"),
        queryset=Mandate.objects.filter(kind=Mandate.Kind.REPORT).select_related("resolution", "paragraph"),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    languages = forms.MultipleChoiceField(
        label=_("Accepted languages"),
        choices=list(UN_LANGUAGES.items()),
        initial=list(UN_LANGUAGES),
        widget=forms.CheckboxSelectMultiple,
    )
    open_to_states = forms.BooleanField(
        label=_("States answer through their focal points"), required=False, initial=True
    )
    open_to_organisations = forms.BooleanField(
        label=_("Organisations answer through their contributors"), required=False, initial=True
    )
    publish_answers = forms.BooleanField(label=_("Publish the answers"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTION_ROWS + 1):
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                label=_("Question %(n)d: kind") % {"n": n}, choices=Question.Kind.choices, required=False
            )
            self.fields[f"q{n}_text"] = forms.CharField(
                label=_("Question %(n)d") % {"n": n}, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=_("Question %(n)d: options, one a line") % {"n": n},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def question_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"q{n}_kind"], self[f"q{n}_text"], self[f"q{n}_choices"]]
            for n in range(1, QUESTION_ROWS + 1)
        ]

    def questions(self) -> list[QuestionSpec]:
        return [
            QuestionSpec(
                kind=self.cleaned_data[f"q{n}_kind"] or Question.Kind.TEXT,
                text=self.cleaned_data[f"q{n}_text"],
                choices=self.cleaned_data[f"q{n}_choices"].splitlines(),
            )
            for n in range(1, QUESTION_ROWS + 1)
            if self.cleaned_data[f"q{n}_text"].strip()
        ]


class InvitationForm(forms.Form):
    """Whom the secretariat invites: an e-mail address (an account is opened when none holds it)."""

    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.CharField(
        label=_("Answers for"),
        max_length=ORGANISATION_NAME_LENGTH,
        help_text=_(
            "The organisation, or the person's name, the answer is published under; the e-mail address "
            "is never published."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation and the reminders"), choices=list(UN_LANGUAGES.items())
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
