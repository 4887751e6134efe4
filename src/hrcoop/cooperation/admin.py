"""Read-only views for operators: offers, matches and dialogues are written through ``services``
(the pages at /cooperation/ and the API), which check who acts and write the audit event."""

from django.contrib import admin

from hrcoop.cooperation.models import Dialogue, FollowUpAction, Match, Offer
from hrcoop.core.admin import ReadOnlyAdmin, ReadOnlyInline


class FollowUpInline(ReadOnlyInline):
    model = FollowUpAction
    fields = ["action", "owner", "owner_state", "owner_user", "due_on", "done", "done_by", "done_at"]


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
    list_display = ["pk", "offer", "need_kind", "need_id", "beneficiary", "modality", "status", "proposed_at"]
    list_filter = ["status", "modality", "need_kind"]


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "title", "kind", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["title", "topics"]
    inlines = [FollowUpInline]
