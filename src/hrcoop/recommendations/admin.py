"""The registry in the Django admin, for the secretariat: browse, filter, search, correct.

Provenance (identity, source file, import runs, classifications and where each came from) is shown
read-only. A correction of a record goes through ``services.update_recommendation`` so that it is
audited like every other write. Labels are read-only here: vocabularies are the files
``recommendations/data/labels_*.csv``, loaded by every import.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.recommendations.models import Classification, ImportRun, Label, LabelAlias, Recommendation
from hrcoop.recommendations.services.corrections import EDITABLE_FIELDS, update_recommendation

PUBLIC_ID = re.compile(r"R[A-Z2-7]{10}", re.IGNORECASE)  # ``identity.public_id_for``


class ClassificationInline(admin.TabularInline):
    model = Classification
    extra = 0
    fields = readonly_fields = (
        "kind",
        "label",
        "status",
        "provenance",
        "import_run",
        "person",
        "model_version",
        "confidence",
    )
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "state_under_review", "session", "response", "short_text"]
    list_filter = ["response", "cycle", "mechanism", "state_under_review__regional_group", "session"]
    search_fields = ["public_id", "source_id", "text", "state_under_review__name", "document_symbol"]
    list_select_related = ["state_under_review", "session"]
    readonly_fields = [
        "public_id",
        "identity_key",
        "mechanism",
        "state_under_review",
        "recommending_states_list",
        "cycle",
        "session",
        "first_import",
        "created_at",
        "updated_at",
    ]
    fields = [*readonly_fields[:5], *EDITABLE_FIELDS, *readonly_fields[5:]]
    inlines = [ClassificationInline]
    show_full_result_count = False  # counting 40k+ rows on every page is the slowest part of the list

    @admin.display(description="text")
    def short_text(self, obj: Recommendation) -> str:
        return obj.text[:100]

    @admin.display(description="recommending States")
    def recommending_states_list(self, obj: Recommendation) -> str:
        return ", ".join(s.name for s in obj.recommending_states.all()) or "-"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Recommendation], search_term: str
    ) -> tuple[QuerySet[Recommendation], bool]:
        """A public id is looked up by its unique index, in any case.

        It is the secretariat's usual search, and the admin's own ("contains" in each search field)
        read every record's text to answer it: 77 ms at 41k records on SQLite, and seconds at a
        million. Anything else is searched as the admin does.
        """
        term = search_term.strip()
        if PUBLIC_ID.fullmatch(term):
            return queryset.filter(public_id=term.upper()), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # records come from imports, where their identity is computed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Recommendation, form: Any, change: bool) -> None:
        stored = Recommendation.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
        if changes:
            update_recommendation(stored, actor=request.user, changes=changes)  # type: ignore[arg-type]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "format",
        "file_name",
        "started_at",
        "rows",
        "created",
        "updated",
        "unchanged",
        "actor",
    ]
    list_filter = ["format"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "started_at"


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "kind", "label", "status", "provenance", "import_run", "confidence"]
    list_filter = ["kind", "status", "provenance"]
    search_fields = ["recommendation__public_id", "label__name", "label__code"]
    list_select_related = ["recommendation", "label", "import_run"]
    show_full_result_count = False


class LabelAliasInline(admin.TabularInline):
    model = LabelAlias
    extra = 0
    fields = readonly_fields = ("kind", "key")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    list_display = ["kind", "code", "name"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "aliases__key"]
    inlines = [LabelAliasInline]
