"""Read-only views for operators: offers, matches and dialogues are written through ``services``
(the pages at /cooperation/ and the API), which check who acts and write the audit event."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hrcoop.cooperation.models import Dialogue, FollowUpAction, Match, Offer
from hrcoop.core.admin import ReadOnlyAdmin


class FollowUpInline(admin.TabularInline):  # type: ignore[type-arg]
    model = FollowUpAction
    fields = ["action", "owner", "due_on", "done"]
    readonly_fields = ["action", "owner", "due_on", "done"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "provider_kind",
        "provider_name",
        "provider_state",
        "kind",
        "status",
        "submitted_at",
    ]
    list_filter = ["status", "kind", "provider_kind"]
    search_fields = ["title", "provider_name"]
    exclude = ["vector"]


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "offer", "need_kind", "beneficiary", "modality", "status", "proposed_at"]
    list_filter = ["status", "modality", "need_kind"]


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "title", "kind", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "topics"]
    inlines = [FollowUpInline]
