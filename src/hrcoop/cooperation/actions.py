"""The audit actions that cooperation's services record: offers, matches, dialogues and follow-ups."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class CooperationAction(AuditAction):
    OFFER_SUBMITTED = "cooperation.offer_submitted", _("Offer submitted")
    OFFER_EDITED = "cooperation.offer_edited", _("Offer edited")
    OFFER_WITHDRAWN = "cooperation.offer_withdrawn", _("Offer withdrawn")
    OFFER_PUBLISHED = "cooperation.offer_published", _("Offer published")
    OFFER_REJECTED = "cooperation.offer_rejected", _("Offer declined by moderation")
    MATCH_PROPOSED = "cooperation.match_proposed", _("Match proposed")
    MATCH_CONFIRMED = "cooperation.match_confirmed", _("Match confirmed")
    DIALOGUE_RECORDED = "cooperation.dialogue_recorded", _("Dialogue recorded")
    FOLLOW_UP_DONE = "cooperation.follow_up_done", _("Follow-up done")
