"""The Atom feed of the public register: each step of every request that left draft, newest first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import Status, TransitionRecord
from hrcoop.assistance.selectors import timeline_entry


class RegisterFeed(Feed):
    feed_type = Atom1Feed
    title = _("Requests for assistance: public register")
    subtitle = _("Every step of every request for assistance from the funds, as it happens.")

    def link(self) -> str:
        return reverse("assistance:register")

    def items(self) -> list[TransitionRecord]:
        return list(
            TransitionRecord.objects.exclude(request__status=Status.DRAFT)
            .select_related("request__requesting_state", "request__fund")
            .order_by("-at", "-id")[:100]
        )

    def item_title(self, item: TransitionRecord) -> str:
        request = item.request
        where = f"{request.requesting_state.name}, {request.fund_id}"
        return f"{request.public_id} ({where}): {Status(item.target).label}"

    def item_description(self, item: TransitionRecord) -> str:
        """Atom's summary is declared HTML, so a feed reader renders it: the State's title and the Board's
        reasons are escaped to stay text."""
        entry = timeline_entry(item, full=False)
        text = f"{item.request.title}. {entry['label']} ({entry['by']})."
        return escape(f"{text} {entry['reason']}" if entry["reason"] else text)

    def item_link(self, item: TransitionRecord) -> str:
        return reverse("assistance:detail", args=[item.request.public_id]) + f"#step-{item.pk}"

    def item_pubdate(self, item: TransitionRecord):  # type: ignore[no-untyped-def]
        return item.at

    def item_updateddate(self, item: TransitionRecord):  # type: ignore[no-untyped-def]
        return item.at
