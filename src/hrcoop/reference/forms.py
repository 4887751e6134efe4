"""The form of a row named in six languages: one field per language ("Name in French") instead of the
JSON of ``names``, for the admin pages where the secretariat adds or renames a fund or an
organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from hrcoop.reference.translations import OTHER_LANGUAGES


def _field_name(language: str) -> str:
    return f"name_{language.replace('-', '_')}"


class NamesInLanguagesForm(forms.ModelForm):  # type: ignore[type-arg]
    """Reads and writes ``names`` through the fields ``name_ar``, ``name_es``..., ``name_zh_hans``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = getattr(self.instance, "names", None) or {}
        for language in OTHER_LANGUAGES:
            self.initial.setdefault(_field_name(language), names.get(language, ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["names"] = {
            language: name
            for language in OTHER_LANGUAGES
            if (name := (data.get(_field_name(language)) or "").strip())
        }
        self.instance.names = data["names"]  # ``names`` is not a field of the form: set it here
        return data

    @cached_property
    def changed_data(self) -> list[str]:
        changed = super().changed_data
        typed = {_field_name(language) for language in OTHER_LANGUAGES}
        return [*changed, "names"] if typed & set(changed) else changed


def _language_fields() -> dict[str, forms.Field]:
    languages = dict(settings.LANGUAGES)
    return {
        _field_name(code): forms.CharField(
            label=format_lazy(_("Name in {language}"), language=_(get_language_info(code)["name"])),
            required=False,
            max_length=200,
            help_text=languages[code],
        )
        for code in OTHER_LANGUAGES
    }


# The fields are declared on the class (the admin lists a form's declared fields), built from LANGUAGES.
NamesForm: type[NamesInLanguagesForm] = type("NamesForm", (NamesInLanguagesForm,), _language_fields())
