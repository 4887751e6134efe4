"""Admin: look at what was imported; changes go through the import and the fulfilment service."""

from django.contrib import admin

from hrcoop.core.admin import ReadOnlyAdmin
from hrcoop.mandates.models import Citation, Mandate, Paragraph, Resolution


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "body", "session", "title", "adopted_on"]
    list_filter = ["kind", "body", "session"]
    search_fields = ["key", "symbol", "title"]


@admin.register(Paragraph)
class ParagraphAdmin(ReadOnlyAdmin):
    list_display = ["resolution", "anchor", "phrase"]
    list_filter = ["kind"]
    search_fields = ["text"]


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdmin):
    list_display = ["resolution", "paragraph", "key", "cited_date", "target"]
    search_fields = ["key"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["resolution", "paragraph", "kind", "addressee", "due_body", "due_session", "fulfilled_by"]
    list_filter = ["kind", "addressee", "due_session"]
