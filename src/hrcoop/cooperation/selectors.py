"""Every read of cooperation that depends on who asks (docs/cooperation.md, "Who sees what").

Published offers, confirmed matches (cooperation records) and public dialogues are public. An offer
awaiting moderation or not published, and a match not yet confirmed, are seen only by their parties
(see ``parties``), the moderators and the rest of the secretariat, and admins. A dialogue marked
non-public is seen by whoever recorded it, focal points of the States that took part, and the
secretariat.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.cooperation.models import (
    Dialogue,
    FollowUpAction,
    Match,
    MatchStatus,
    Modality,
    Offer,
    OfferKind,
    OfferStatus,
    ProviderKind,
)
from hrcoop.cooperation.parties import focal_states
from hrcoop.core.errors import NotFound
from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role


def _user_id(actor: Actor) -> int | None:
    return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None


def _offers() -> QuerySet[Offer]:
    return Offer.objects.select_related(
        "provider_state", "facilitator_state", "submitted_by"
    ).prefetch_related("themes", "sdg_goals", "regions")


def published_offers() -> QuerySet[Offer]:
    return _offers().filter(status=OfferStatus.PUBLISHED)


def offers_visible_to(actor: Actor) -> QuerySet[Offer]:
    if has_role(actor, Role.SECRETARIAT):
        return _offers()
    own = Q(status=OfferStatus.PUBLISHED)
    if (user_id := _user_id(actor)) is not None:
        own |= Q(submitted_by_id=user_id)
    if states := focal_states(actor):
        own |= Q(provider_kind=ProviderKind.STATE, provider_state__iso3__in=states)
    return _offers().filter(own)


def offer_for(actor: Actor, pk: int) -> Offer:
    offer = offers_visible_to(actor).filter(pk=pk).first()
    if offer is None:
        raise NotFound(_("no offer %(id)s that you may see") % {"id": pk})
    return offer


def moderation_queue(actor: Actor) -> QuerySet[Offer]:
    if not has_role(actor, Role.SECRETARIAT):
        return Offer.objects.none()
    return _offers().filter(status=OfferStatus.SUBMITTED).order_by("submitted_at", "id")


def good_practices() -> QuerySet[Offer]:
    """The good-practice library: published good practices, with their evidence of results."""
    return published_offers().filter(kind=OfferKind.GOOD_PRACTICE).order_by("title")


def _matches() -> QuerySet[Match]:
    return Match.objects.select_related(
        "offer", "offer__provider_state", "request", "recommendation", "beneficiary"
    )


def matches_visible_to(actor: Actor) -> QuerySet[Match]:
    if has_role(actor, Role.SECRETARIAT):
        return _matches()
    seen = Q(status=MatchStatus.CONFIRMED)
    if (user_id := _user_id(actor)) is not None:
        seen |= Q(offer__submitted_by_id=user_id)
    if states := focal_states(actor):
        seen |= Q(beneficiary__iso3__in=states)
        seen |= Q(offer__provider_kind=ProviderKind.STATE, offer__provider_state__iso3__in=states)
    return _matches().filter(seen)


def match_for(actor: Actor, pk: int) -> Match:
    match = matches_visible_to(actor).filter(pk=pk).first()
    if match is None:
        raise NotFound(_("no match %(id)s that you may see") % {"id": pk})
    return match


def cooperation_records() -> QuerySet[Match]:
    return _matches().filter(status=MatchStatus.CONFIRMED).order_by("-confirmed_at", "-id")


def dialogues_visible_to(actor: Actor) -> QuerySet[Dialogue]:
    base = Dialogue.objects.prefetch_related(
        "states", "follow_ups__owner_state", "requests", "offers", "recommendations"
    )
    if has_role(actor, Role.SECRETARIAT):
        return base
    seen = Q(is_public=True)
    if (user_id := _user_id(actor)) is not None:
        seen |= Q(recorded_by_id=user_id)
    if states := focal_states(actor):
        seen |= Q(states__iso3__in=states)
    return base.filter(seen).distinct()


def dialogue_for(actor: Actor, pk: int) -> Dialogue:
    dialogue = dialogues_visible_to(actor).filter(pk=pk).first()
    if dialogue is None:
        raise NotFound(_("no dialogue %(id)s that you may see") % {"id": pk})
    return dialogue


def overdue_follow_ups(actor: Actor) -> QuerySet[FollowUpAction]:
    """Follow-up actions not done by their due date (in the platform's time zone), of the dialogues the
    actor may see, the most overdue first."""
    return (
        FollowUpAction.objects.filter(
            dialogue__in=dialogues_visible_to(actor).values("pk"), done=False, due_on__lt=timezone.localdate()
        )
        .select_related("dialogue", "owner_state")
        .order_by("due_on", "id")
    )


def cooperation_by_modality(*, year: int, state_iso3: str | None = None) -> list[tuple[str, int]]:
    """For the reports: the cooperation records confirmed in ``year`` (of one State, as provider or
    beneficiary, when ``state_iso3`` is given), counted by modality in the order North-South,
    South-South, triangular, then the others that occur; [] when there are none."""
    records = cooperation_records().filter(confirmed_at__year=year)
    if state_iso3:
        iso3 = state_iso3.upper()
        records = records.filter(Q(beneficiary__iso3=iso3) | Q(offer__provider_state__iso3=iso3))
    counts = dict(records.order_by().values_list("modality").annotate(n=Count("pk")))
    return [(str(label), counts[value]) for value, label in Modality.choices if counts.get(value)]
