"""Every write of cooperation: offers and their moderation, matches and their confirmation, dialogues.

Each service checks everything before it writes (bad input raises a domain error naming the field and
changes nothing), writes in one transaction with exactly one audit event, and computes the offer's
sentence vector in the same transaction so that a published offer is always matchable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.models import Status as RequestStatus
from hrcoop.cooperation import parties
from hrcoop.cooperation.actions import CooperationAction
from hrcoop.cooperation.modality import offer_modality
from hrcoop.cooperation.models import (
    Dialogue,
    FollowUpAction,
    Match,
    MatchStatus,
    NeedKind,
    Offer,
    OfferKind,
    OfferStatus,
    ProviderKind,
)
from hrcoop.cooperation.vectors import offer_vector
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import Role, User
from hrcoop.core.roles import Actor, has_role
from hrcoop.recommendations.models import Label, LabelKind, Recommendation
from hrcoop.reference.models import RegionalGroup, SdgGoal, State
from hrcoop.tracking.models import Action, Cluster

UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
OFFER_TEXT_FIELDS = ("provider_name", "facilitator_organisation", "capacity", "cost_sharing", "evidence")
# What an offer is and claims: a change to a published offer's substance is read by a moderator again
# before the public sees it. Capacity, cost-sharing, working languages and regions are practical details
# the provider keeps up to date without moderation.
MATERIAL_FIELDS = frozenset(
    {
        "provider_kind",
        "provider_state",
        "provider_name",
        "facilitator_state",
        "facilitator_organisation",
        "kind",
        "title",
        "description",
        "language",
        "themes",
        "sdg_goals",
        "evidence",
    }
)


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _state(code: Any, field: str) -> State | None:
    if code in (None, ""):
        return None
    state = State.objects.filter(iso3=str(code).upper()).first()
    if state is None:
        raise InvalidInput(
            _("there is no State with the ISO alpha-3 code %(code)s") % {"code": code}, where=field
        )
    return state


def _codes(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("give a list of codes"), where=field)
    return [str(v).strip() for v in value if str(v).strip()]


def _themes(value: Any) -> list[Label]:
    codes = _codes(value, "themes")
    found = {label.code: label for label in Label.objects.filter(kind=LabelKind.THEME, code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise InvalidInput(
            _("unknown UHRI theme code(s): %(codes)s (see the themes at /api/reference/labels/?kind=theme)")
            % {"codes": ", ".join(unknown)},
            where="themes",
        )
    return [found[code] for code in codes]


def _sdgs(value: Any) -> list[SdgGoal]:
    codes = _codes(value, "sdg_goals")
    if any(not code.isdigit() for code in codes):
        raise InvalidInput(_("SDG goals are numbers from 1 to 17"), where="sdg_goals")
    goals = list(SdgGoal.objects.filter(number__in=[int(c) for c in codes]))
    if len(goals) != len(set(codes)):
        raise InvalidInput(_("SDG goals are numbers from 1 to 17"), where="sdg_goals")
    return goals


def _regions(value: Any) -> list[RegionalGroup]:
    codes = _codes(value, "regions")
    groups = list(RegionalGroup.objects.filter(code__in=codes))
    if len(groups) != len(set(codes)):
        known = ", ".join(RegionalGroup.objects.order_by("code").values_list("code", flat=True))
        raise InvalidInput(
            _("unknown regional group; the groups are %(known)s") % {"known": known}, where="regions"
        )
    return groups


def _languages(value: Any) -> list[str]:
    codes = [c.lower() for c in _codes(value, "languages")]
    wrong = [c for c in codes if c not in UN_LANGUAGES]
    if wrong:
        raise InvalidInput(
            _("languages are given as ar, en, es, fr, ru or zh (not %(codes)s)")
            % {"codes": ", ".join(wrong)},
            where="languages",
        )
    return codes


def _may_publish_directly(actor: Actor, offer: Offer) -> bool:
    """The secretariat moderates, so its entries need no moderation; nor does a State's own offer
    entered by its focal point. Contributors' offers wait for a moderator."""
    if has_role(actor, Role.SECRETARIAT):
        return True
    return (
        offer.provider_kind == ProviderKind.STATE
        and offer.provider_state is not None
        and has_role(actor, Role.STATE_FOCAL_POINT, scope=offer.provider_state.iso3)
    )


@dataclass
class _OfferInput:
    """An offer's fields as checked from the submitted data, before anything is written."""

    fields: dict[str, Any]
    themes: list[Label]
    sdgs: list[SdgGoal]
    regions: list[RegionalGroup]


def _may_offer(actor: Actor) -> None:
    if not (
        has_role(actor, Role.CONTRIBUTOR) or has_role(actor, Role.SECRETARIAT) or parties.focal_states(actor)
    ):
        raise Forbidden(_("only contributors, State focal points and the secretariat may offer cooperation"))


def _save_offer(offer: Offer, checked: _OfferInput) -> None:
    offer.save()
    offer.themes.set(checked.themes)
    offer.sdg_goals.set(checked.sdgs)
    offer.regions.set(checked.regions)


def _offer_input(actor: Actor, data: dict[str, Any]) -> _OfferInput:
    """Check every field of an offer (a new one or an edit) and name the first wrong one."""
    kind = str(data.get("provider_kind") or "")
    if kind not in ProviderKind.values:
        raise InvalidInput(
            _("an offer needs a provider: say whether a State, an agency, an NHRI or an NGO offers it"),
            where="provider_kind",
        )
    provider_state = _state(data.get("provider_state"), "provider_state")
    provider_name = str(data.get("provider_name") or "").strip()
    if kind == ProviderKind.STATE and provider_state is None:
        raise InvalidInput(
            _("an offer by a State needs the State's ISO alpha-3 code"), where="provider_state"
        )
    if kind == ProviderKind.NHRI and provider_state is None:
        raise InvalidInput(_("an NHRI's offer needs the State of the institution"), where="provider_state")
    if kind != ProviderKind.STATE and not provider_name:
        raise InvalidInput(_("an offer needs the provider's name"), where="provider_name")
    if kind == ProviderKind.STATE and not (
        has_role(actor, Role.STATE_FOCAL_POINT, scope=provider_state.iso3 if provider_state else "")
        or has_role(actor, Role.SECRETARIAT)
    ):
        raise Forbidden(
            _("only a focal point of %(state)s or the secretariat may offer in the State's name")
            % {"state": provider_state}
        )
    offer_kind = str(data.get("kind") or "")
    if offer_kind not in OfferKind.values:
        raise InvalidInput(
            _("say what is offered: expertise, peer exchange, training, tool or good practice"), where="kind"
        )
    title = str(data.get("title") or "").strip()
    description = str(data.get("description") or "").strip()
    if not title:
        raise InvalidInput(_("an offer needs a title"), where="title")
    if not description:
        raise InvalidInput(_("an offer needs a description"), where="description")
    language = str(data.get("language") or "en").lower()
    if language not in UN_LANGUAGES:
        raise InvalidInput(_("the description's language must be ar, en, es, fr, ru or zh"), where="language")
    themes, sdgs = _themes(data.get("themes")), _sdgs(data.get("sdg_goals"))
    regions, languages = _regions(data.get("regions")), _languages(data.get("languages"))
    fields = {
        "provider_kind": kind,
        "provider_state": provider_state,
        "facilitator_state": _state(data.get("facilitator_state"), "facilitator_state"),
        "kind": offer_kind,
        "title": title,
        "description": description,
        "language": language,
        "languages": languages or [language],
        **{field: str(data.get(field) or "").strip() for field in OFFER_TEXT_FIELDS},
    }
    return _OfferInput(fields=fields, themes=themes, sdgs=sdgs, regions=regions)


@transaction.atomic
def submit_offer(*, actor: Actor, data: dict[str, Any]) -> Offer:
    """A contributor, a focal point or the secretariat offers cooperation; see ``_may_publish_directly``."""
    _may_offer(actor)
    checked = _offer_input(actor, data)
    offer = Offer(submitted_by=_user(actor), **checked.fields)
    if _may_publish_directly(actor, offer):
        offer.status = OfferStatus.PUBLISHED
        offer.published_at = timezone.now()
    offer.vector = offer_vector(offer)
    _save_offer(offer, checked)
    record_event(
        actor=_user(actor),
        action=CooperationAction.OFFER_SUBMITTED,
        target=offer,
        data={"status": offer.status, "provider": offer.provider_label, "kind": offer.kind},
    )
    return offer


def offer_values(offer: Offer) -> dict[str, Any]:
    """The offer as the data ``submit_offer`` and ``edit_offer`` read: what an edit form starts from,
    and what a partial edit through the API is laid over."""
    return {
        "provider_kind": offer.provider_kind,
        "provider_state": offer.provider_state.iso3 if offer.provider_state else "",
        "facilitator_state": offer.facilitator_state.iso3 if offer.facilitator_state else "",
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "language": offer.language,
        "languages": list(offer.languages),
        "themes": [t.code for t in offer.themes.all()],
        "sdg_goals": [str(g.number) for g in offer.sdg_goals.all()],
        "regions": [r.code for r in offer.regions.all()],
        **{field: getattr(offer, field) for field in OFFER_TEXT_FIELDS},
    }


def _comparable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as sets where order does not matter, so reordering themes is no change."""
    return {k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in values.items()}


@transaction.atomic
def edit_offer(offer: Offer, *, actor: Actor, data: dict[str, Any]) -> Offer:
    """The provider changes its offer; every field is checked as for a new offer.

    A published offer whose substance changes (``MATERIAL_FIELDS``: who provides and facilitates it,
    what it is, what it says, its themes, SDG goals and evidence) goes back to the moderators, unless
    the editor may publish it directly (``_may_publish_directly``); practical details (capacity,
    cost-sharing, working languages, regions) change at once. A declined offer, once edited, awaits
    moderation again. A withdrawn offer is not edited.
    """
    offer = _locked_offer(offer)
    if not parties.is_provider(actor, offer):
        raise Forbidden(_("only the offer's provider may change it"))
    if offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(_("this offer was withdrawn; offer it anew instead"))
    before = _comparable(offer_values(offer))
    checked = _offer_input(actor, data)
    for name, value in checked.fields.items():
        setattr(offer, name, value)
    after = _comparable(
        {
            **offer_values(offer),
            "themes": [t.code for t in checked.themes],
            "sdg_goals": [str(g.number) for g in checked.sdgs],
            "regions": [r.code for r in checked.regions],
        }
    )
    changed = sorted(name for name in after if after[name] != before[name])
    if not changed:
        return offer
    material = [name for name in changed if name in MATERIAL_FIELDS]
    if offer.status == OfferStatus.REJECTED or (material and offer.status == OfferStatus.PUBLISHED):
        if _may_publish_directly(actor, offer):
            offer.status, offer.published_at = OfferStatus.PUBLISHED, offer.published_at or timezone.now()
        else:
            offer.status, offer.published_at = OfferStatus.SUBMITTED, None
    if {"title", "description"} & set(changed):
        offer.vector = offer_vector(offer)
    _save_offer(offer, checked)
    record_event(
        actor=_user(actor),
        action=CooperationAction.OFFER_EDITED,
        target=offer,
        data={"changed": changed, "material": material, "status": offer.status},
    )
    return offer


@transaction.atomic
def withdraw_offer(offer: Offer, *, actor: Actor, reason: str = "") -> Offer:
    """The provider withdraws its offer: it is no longer shown or matched; confirmed cooperation stays
    on record, and matches still awaiting a side can no longer be confirmed."""
    offer = _locked_offer(offer)
    if not parties.is_provider(actor, offer):
        raise Forbidden(_("only the offer's provider may withdraw it"))
    if offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(_("this offer is already withdrawn"))
    offer.status, offer.withdrawn_at = OfferStatus.WITHDRAWN, timezone.now()
    offer.save(update_fields=["status", "withdrawn_at"])
    record_event(
        actor=_user(actor),
        action=CooperationAction.OFFER_WITHDRAWN,
        target=offer,
        data={"reason": reason.strip()},
    )
    return offer


def _locked_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update().get(pk=offer.pk)


@transaction.atomic
def moderate_offer(offer: Offer, *, actor: Actor, publish: bool, note: str = "") -> Offer:
    """A moderator (the secretariat) publishes an offer awaiting moderation, or declines it with a note."""
    if not has_role(actor, Role.SECRETARIAT):
        raise Forbidden(_("only the secretariat moderates offers"))
    offer = _locked_offer(offer)
    if offer.status != OfferStatus.SUBMITTED:
        raise Conflict(
            _("this offer is not awaiting moderation (it is %(status)s)")
            % {"status": offer.get_status_display()}
        )
    if not publish and not note.strip():
        raise InvalidInput(_("say why the offer is not published"), where="note")
    offer.status = OfferStatus.PUBLISHED if publish else OfferStatus.REJECTED
    offer.published_at = timezone.now() if publish else None
    offer.moderation_note = note.strip()
    offer.save(update_fields=["status", "published_at", "moderation_note"])
    record_event(
        actor=_user(actor),
        action=CooperationAction.OFFER_PUBLISHED if publish else CooperationAction.OFFER_REJECTED,
        target=offer,
        data={"note": offer.moderation_note},
    )
    return offer


# --- matches ---------------------------------------------------------------------------------------------


def _beneficiary(
    request: AssistanceRequest | None,
    recommendation: Recommendation | None,
    action: Action | None,
    cluster: Cluster | None,
) -> State:
    """The State in need, and a refusal of needs that cannot be matched (drafts, actions not in need)."""
    if request is not None:
        if request.status == RequestStatus.DRAFT:
            raise Conflict(_("submit the request before matching it: drafts are not matched"))
        return request.requesting_state
    if recommendation is not None:
        return recommendation.state_under_review
    if action is not None:
        action = Action.objects.select_related("cluster__plan__state").get(pk=action.pk)
        if not action.needs_support:
            raise Conflict(_("this action does not need support: its State has not asked for it"))
        return action.cluster.plan.state
    assert cluster is not None
    return Cluster.objects.select_related("plan__state").get(pk=cluster.pk).plan.state


@transaction.atomic
def propose_match(
    offer: Offer,
    *,
    actor: Actor,
    request: AssistanceRequest | None = None,
    recommendation: Recommendation | None = None,
    action: Action | None = None,
    cluster: Cluster | None = None,
    score: float,
    explanation: dict[str, Any],
) -> Match:
    """A party proposes an offer for a need; the proposal is that side's confirmation.

    Only published offers are matched, only requests that left draft (the public register) and only
    tracker actions that need support, so a cooperation record never reveals a draft. Who may see an
    action or a cluster is the tracker's rule, asked by the caller (``lookups.need_by_kind``).
    """
    links = {"request": request, "recommendation": recommendation, "action": action, "cluster": cluster}
    given = [kind for kind, need in links.items() if need is not None]
    if len(given) != 1:
        raise InvalidInput(
            _("a match is for one need: a request, a recommendation, an action or a cluster"), where="need"
        )
    offer = Offer.objects.select_related("provider_state", "facilitator_state").get(pk=offer.pk)
    if offer.status != OfferStatus.PUBLISHED:
        raise Conflict(_("only a published offer can be matched"))
    beneficiary = _beneficiary(request, recommendation, action, cluster)
    on_beneficiary_side = parties.is_beneficiary(actor, beneficiary)
    on_provider_side = parties.is_provider(actor, offer)
    if not (on_beneficiary_side or on_provider_side):
        raise Forbidden(
            _("only a focal point of %(state)s or the offer's provider may propose this match")
            % {"state": beneficiary}
        )
    existing = Match.objects.filter(offer=offer, **{given[0]: links[given[0]]}).first()
    if existing is not None:
        raise Conflict(_("this offer is already matched to this need (match %(id)s)") % {"id": existing.pk})
    with translation.override("en"):  # stored, like the audit log, in one language; pages translate it
        modality, reason = offer_modality(offer, beneficiary)
    now = timezone.now()
    user = _user(actor)
    match = Match.objects.create(
        offer=offer,
        need_kind=NeedKind(given[0]),
        **links,
        beneficiary=beneficiary,
        score=score,
        explanation=explanation,
        modality=modality,
        modality_reason=reason,
        proposed_by=user,
        beneficiary_confirmed_by=user if on_beneficiary_side else None,
        beneficiary_confirmed_at=now if on_beneficiary_side else None,
        provider_confirmed_by=user if on_provider_side else None,
        provider_confirmed_at=now if on_provider_side else None,
    )
    _settle(match, now)
    record_event(
        actor=user,
        action=CooperationAction.MATCH_PROPOSED,
        target=match,
        data={"offer": offer.pk, "need": match.need_id, "modality": modality, "status": match.status},
    )
    return match


def _settle(match: Match, now: dt.datetime) -> None:
    if (
        match.beneficiary_confirmed_at
        and match.provider_confirmed_at
        and match.status != MatchStatus.CONFIRMED
    ):
        match.status = MatchStatus.CONFIRMED
        match.confirmed_at = now
        match.save(update_fields=["status", "confirmed_at"])


@transaction.atomic
def confirm_match(match: Match, *, actor: Actor) -> Match:
    """A party confirms its side; with both sides confirmed the match is a cooperation record."""
    match = Match.objects.select_for_update().select_related("offer", "beneficiary").get(pk=match.pk)
    on_beneficiary_side = parties.is_beneficiary(actor, match.beneficiary)
    on_provider_side = parties.is_provider(actor, match.offer)
    if not (on_beneficiary_side or on_provider_side):
        raise Forbidden(_("only the parties to this match may confirm it"))
    if match.status == MatchStatus.CONFIRMED:
        raise Conflict(_("this match is already confirmed"))
    if match.offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(_("the provider withdrew this offer; the match can no longer be confirmed"))
    now, user = timezone.now(), _user(actor)
    sides = []
    if on_beneficiary_side and not match.beneficiary_confirmed_at:
        match.beneficiary_confirmed_by, match.beneficiary_confirmed_at = user, now
        sides.append("beneficiary")
    if on_provider_side and not match.provider_confirmed_at:
        match.provider_confirmed_by, match.provider_confirmed_at = user, now
        sides.append("provider")
    if not sides:
        raise Conflict(_("your side has already confirmed; the other party has not yet"))
    match.save(
        update_fields=[
            "beneficiary_confirmed_by",
            "beneficiary_confirmed_at",
            "provider_confirmed_by",
            "provider_confirmed_at",
        ]
    )
    _settle(match, now)
    record_event(
        actor=user,
        action=CooperationAction.MATCH_CONFIRMED,
        target=match,
        data={"sides": sides, "status": match.status},
    )
    return match


# --- dialogues -------------------------------------------------------------------------------------------


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(_("give the date as YYYY-MM-DD"), where=field) from None


def _owner_user(username: Any, field: str) -> User | None:
    if username in (None, ""):
        return None
    user = User.objects.filter(username=str(username).strip(), is_active=True).first()
    if user is None:
        raise InvalidInput(_("there is no user %(name)s") % {"name": username}, where=field)
    return user


@transaction.atomic
def record_dialogue(*, actor: Actor, data: dict[str, Any]) -> Dialogue:
    """The secretariat, or a focal point of a participating State, records a consultation or dialogue."""
    states = [_state(code, "states") for code in _codes(data.get("states"), "states")]
    own = parties.focal_states(actor)
    if not (has_role(actor, Role.SECRETARIAT) or any(s and s.iso3 in own for s in states)):
        raise Forbidden(
            _("only the secretariat, or a focal point of a State that took part, may record a dialogue")
        )
    for field in ("title", "participants", "topics"):
        if not str(data.get(field) or "").strip():
            raise InvalidInput(_("a dialogue needs its %(field)s") % {"field": field}, where=field)
    kind = str(data.get("kind") or Dialogue.Kind.DIALOGUE)
    if kind not in Dialogue.Kind.values:
        raise InvalidInput(_("a dialogue is a consultation or a dialogue"), where="kind")
    held_on = _date(data.get("held_on"), "held_on")
    requests = list(AssistanceRequest.objects.filter(public_id__in=_codes(data.get("requests"), "requests")))
    if len(requests) != len(set(_codes(data.get("requests"), "requests"))):
        raise InvalidInput(_("unknown request id"), where="requests")
    recommendation_ids = _codes(data.get("recommendations"), "recommendations")
    recommendations = list(Recommendation.objects.filter(public_id__in=recommendation_ids))
    if len(recommendations) != len(set(recommendation_ids)):
        raise InvalidInput(_("unknown recommendation id"), where="recommendations")
    offer_ids = _codes(data.get("offers"), "offers")
    if any(not o.isdigit() for o in offer_ids):
        raise InvalidInput(_("offers are given by their numbers"), where="offers")
    offers = list(Offer.objects.filter(pk__in=[int(o) for o in offer_ids]))
    if len(offers) != len(set(offer_ids)):
        raise InvalidInput(_("unknown offer number"), where="offers")
    follow_ups = []
    for index, item in enumerate(data.get("follow_ups") or []):
        where = f"follow_ups[{index}]"
        if not str(item.get("action") or "").strip() or not str(item.get("owner") or "").strip():
            raise InvalidInput(_("each follow-up action needs what is to be done and its owner"), where=where)
        follow_ups.append(
            FollowUpAction(
                action=str(item["action"]).strip(),
                owner=str(item["owner"]).strip(),
                owner_state=_state(item.get("owner_state"), f"{where}.owner_state"),
                owner_user=_owner_user(item.get("owner_user"), f"{where}.owner_user"),
                due_on=_date(item.get("due_on"), f"{where}.due_on"),
            )
        )
    dialogue = Dialogue.objects.create(
        kind=kind,
        title=str(data["title"]).strip(),
        held_on=held_on,
        participants=str(data["participants"]).strip(),
        topics=str(data["topics"]).strip(),
        outcomes=str(data.get("outcomes") or "").strip(),
        is_public=bool(data.get("is_public", True)),
        recorded_by=_user(actor),
    )
    dialogue.states.set([s for s in states if s])
    dialogue.requests.set(requests)
    dialogue.recommendations.set(recommendations)
    dialogue.offers.set(offers)
    for follow_up in follow_ups:
        follow_up.dialogue = dialogue
    FollowUpAction.objects.bulk_create(follow_ups)
    record_event(
        actor=_user(actor),
        action=CooperationAction.DIALOGUE_RECORDED,
        target=dialogue,
        data={"public": dialogue.is_public, "follow_ups": len(follow_ups)},
    )
    return dialogue


def may_complete(actor: Actor, follow_up: FollowUpAction) -> bool:
    """The owner marks its follow-up action done: the named user, or a focal point of the named State;
    and the secretariat, which keeps the record of dialogue."""
    if has_role(actor, Role.SECRETARIAT):
        return True
    user = _user(actor)
    if user is not None and follow_up.owner_user_id == user.pk:
        return True
    return follow_up.owner_state is not None and has_role(
        actor, Role.STATE_FOCAL_POINT, scope=follow_up.owner_state.iso3
    )


@transaction.atomic
def complete_follow_up(follow_up: FollowUpAction, *, actor: Actor) -> FollowUpAction:
    """Its owner, or the secretariat, marks a follow-up action of a dialogue done."""
    # Only the follow-up's row is locked: PostgreSQL locks no row of an optional owner State.
    follow_up = (
        FollowUpAction.objects.select_for_update(of=("self",))
        .select_related("owner_state")
        .get(pk=follow_up.pk)
    )
    if not may_complete(actor, follow_up):
        raise Forbidden(_("only the owner of this follow-up action or the secretariat may mark it done"))
    if follow_up.done:
        raise Conflict(_("this follow-up action is already done"))
    follow_up.done, follow_up.done_by, follow_up.done_at = True, _user(actor), timezone.now()
    follow_up.save(update_fields=["done", "done_by", "done_at"])
    record_event(
        actor=_user(actor),
        action=CooperationAction.FOLLOW_UP_DONE,
        target=follow_up,
        data={"dialogue": follow_up.dialogue_id, "due_on": follow_up.due_on.isoformat()},
    )
    return follow_up
