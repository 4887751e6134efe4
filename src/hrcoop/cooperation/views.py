"""Pages of cooperation: offers and the good-practice library, moderation, matching from a need or an
offer, matches and cooperation records, and the record of dialogue.

Reads go through ``selectors`` (who sees what) and ``matching``; every form calls a service and shows
a refusal's message, so that nothing is written behind the person's back.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrcoop.assistance.models import Status as RequestStatus
from hrcoop.assistance.selectors import requests_visible_to
from hrcoop.cooperation import matching, selectors, services
from hrcoop.cooperation.forms import DialogueForm, ModerationForm, OfferForm
from hrcoop.cooperation.lookups import need_by_kind
from hrcoop.cooperation.modality import offer_modality
from hrcoop.cooperation.models import Modality, NeedKind, OfferKind, OfferStatus
from hrcoop.cooperation.parties import focal_states, is_beneficiary, is_provider
from hrcoop.cooperation.peers import peers_for
from hrcoop.core.errors import DomainError, Forbidden, NotFound
from hrcoop.core.models import Role
from hrcoop.core.roles import has_role
from hrcoop.reference.models import RegionalGroup
from hrcoop.tracking.models import Action
from hrcoop.tracking.selectors import actions_visible_to

View = Callable[..., HttpResponse]


def _domain_errors(view: View) -> View:
    """A record the person may not see is a 404 and an action they may not take a 403, as elsewhere."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapped


def _may_offer(request: HttpRequest) -> bool:
    user = request.user
    return has_role(user, Role.CONTRIBUTOR) or has_role(user, Role.SECRETARIAT) or bool(focal_states(user))


def offers_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    offers = selectors.offers_visible_to(request.user)
    if kind in OfferKind.values:
        offers = offers.filter(kind=kind)
    return render(
        request,
        "cooperation/offers.html",
        {
            "offers": offers,
            "kinds": OfferKind.choices,
            "kind": kind,
            "may_offer": _may_offer(request),
            "is_moderator": has_role(request.user, Role.SECRETARIAT),
        },
    )


def practices_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/practices.html", {"practices": selectors.good_practices()})


def _form_page(request: HttpRequest, form: Any, title: str, act: Callable[[], str]) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(act())
        except DomainError as exc:
            form.add_error(exc.where if exc.where in form.fields else None, exc.message)
    return render(request, "cooperation/form.html", {"form": form, "title": title})


@login_required
def new_offer(request: HttpRequest) -> HttpResponse:
    if not _may_offer(request):
        raise PermissionDenied(
            _("only contributors, State focal points and the secretariat may offer cooperation")
        )
    form = OfferForm(request.POST or None)

    def act() -> str:
        offer = services.submit_offer(actor=request.user, data=form.cleaned_data)
        if offer.status == OfferStatus.PUBLISHED:
            messages.success(request, _("The offer is published."))
        else:
            messages.success(
                request, _("Thank you: the offer will be published once a moderator has read it.")
            )
        return reverse("cooperation:offer", args=[offer.pk])

    return _form_page(request, form, _("Offer cooperation"), act)


@_domain_errors
def offer_page(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for(request.user, pk)
    provider_side = is_provider(request.user, offer)
    ranked = []
    if offer.status == OfferStatus.PUBLISHED:
        ranked = matching.rank_needs(offer, limit=10)
    return render(
        request,
        "cooperation/offer.html",
        {
            "offer": offer,
            "ranked": ranked,
            "provider_side": provider_side,
            "withdrawn": offer.status == OfferStatus.WITHDRAWN,
            "matches": selectors.matches_visible_to(request.user).filter(offer=offer),
            "moderation": ModerationForm()
            if offer.status == OfferStatus.SUBMITTED and has_role(request.user, Role.SECRETARIAT)
            else None,
        },
    )


@login_required
@_domain_errors
def edit_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for(request.user, pk)
    if not is_provider(request.user, offer):
        raise PermissionDenied(_("only the offer's provider may change it"))
    form = OfferForm(request.POST or None, initial=services.offer_values(offer))

    def act() -> str:
        edited = services.edit_offer(offer, actor=request.user, data=form.cleaned_data)
        if edited.status == OfferStatus.SUBMITTED:
            messages.success(request, _("The offer is changed; a moderator will read it before it is shown."))
        else:
            messages.success(request, _("The offer is changed."))
        return reverse("cooperation:offer", args=[offer.pk])

    return _form_page(request, form, _("Change the offer"), act)


@login_required
@require_POST
@_domain_errors
def withdraw_offer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for(request.user, pk)
    try:
        services.withdraw_offer(offer, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The offer is withdrawn."))
    return redirect("cooperation:offer", pk=offer.pk)


@login_required
@require_POST
@_domain_errors
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for(request.user, pk)
    publish = request.POST.get("decision") == "publish"
    try:
        services.moderate_offer(offer, actor=request.user, publish=publish, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The offer is published.") if publish else _("The offer is not published.")
        )
    return redirect("cooperation:offer", pk=offer.pk)


@login_required
def moderation_page(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.SECRETARIAT):
        raise PermissionDenied(_("only the secretariat moderates offers"))
    return render(
        request, "cooperation/moderation.html", {"offers": selectors.moderation_queue(request.user)}
    )


def needs_page(request: HttpRequest) -> HttpResponse:
    """Where a State finds offers: its own requests and tracker actions that need support listed, or
    any need by its id."""
    kind, public_id = request.GET.get("kind", ""), request.GET.get("id", "").strip()
    if kind in NeedKind.values and public_id:
        return redirect("cooperation:need", kind=kind, public_id=public_id)
    states = focal_states(request.user)
    own = requests_visible_to(request.user).filter(requesting_state__iso3__in=states)
    own_actions = (
        actions_visible_to(request.user)
        .filter(needs_support=True, cluster__plan__state__iso3__in=states)
        .exclude(status=Action.Status.COMPLETED)
    )
    return render(
        request,
        "cooperation/needs.html",
        {"own_requests": own, "own_actions": own_actions, "kinds": NeedKind.choices},
    )


@_domain_errors
def need_page(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    need = need_by_kind(request.user, kind, public_id)
    filters = {key: request.GET.get(key, "") for key in ("language", "region", "modality")}
    ranked = matching.rank_offers(
        need, language=filters["language"], region=filters["region"], modality=filters["modality"]
    )
    matched = {m.offer_id: m for m in selectors.matches_visible_to(request.user).filter(**need.links())}
    return render(
        request,
        "cooperation/need.html",
        {
            "need": need,
            "ranked": [(r, matched.get(r.offer.pk)) for r in ranked],
            "peers": peers_for(need),
            "filters": filters,
            "regions": RegionalGroup.objects.order_by("code"),
            "modalities": Modality.choices,
            "beneficiary_side": is_beneficiary(request.user, need.state),
            "draft": need.request is not None and need.request.status == RequestStatus.DRAFT,
        },
    )


@login_required
@require_POST
@_domain_errors
def propose(request: HttpRequest, kind: str, public_id: str, offer_pk: int) -> HttpResponse:
    need = need_by_kind(request.user, kind, public_id)
    offer = selectors.offer_for(request.user, offer_pk)
    assessed = matching.assess(offer, need)
    try:
        match = services.propose_match(
            offer,
            actor=request.user,
            **need.links(),
            score=assessed.score,
            explanation=assessed.explanation(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cooperation:need", kind=kind, public_id=public_id)
    messages.success(request, _("You confirmed this match; it now awaits the other party."))
    return redirect("cooperation:match", pk=match.pk)


@_domain_errors
def match_page(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for(request.user, pk)
    party = is_beneficiary(request.user, match.beneficiary) or is_provider(request.user, match.offer)
    # The reason in the reader's language; the match keeps the English one it was proposed with.
    _, reason = offer_modality(match.offer, match.beneficiary)
    return render(
        request, "cooperation/match.html", {"match": match, "party": party, "modality_reason": reason}
    )


@login_required
@require_POST
@_domain_errors
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for(request.user, pk)
    try:
        match = services.confirm_match(match, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Both parties have confirmed: this is now a cooperation record.")
            if match.confirmed_at
            else _("You confirmed this match; it now awaits the other party."),
        )
    return redirect("cooperation:match", pk=pk)


def records_page(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/records.html", {"records": selectors.cooperation_records()})


def dialogues_page(request: HttpRequest) -> HttpResponse:
    may_record = has_role(request.user, Role.SECRETARIAT) or bool(focal_states(request.user))
    return render(
        request,
        "cooperation/dialogues.html",
        {
            "dialogues": selectors.dialogues_visible_to(request.user),
            "may_record": may_record,
            "overdue": selectors.overdue_follow_ups(request.user),
        },
    )


@login_required
def new_dialogue(request: HttpRequest) -> HttpResponse:
    form = DialogueForm(request.POST or None)

    def act() -> str:
        dialogue = services.record_dialogue(actor=request.user, data=form.service_data())
        messages.success(request, _("The dialogue is recorded."))
        return reverse("cooperation:dialogue", args=[dialogue.pk])

    return _form_page(request, form, _("Record a dialogue"), act)


@_domain_errors
def dialogue_page(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_for(request.user, pk)
    today = timezone.localdate()
    follow_ups = [
        (f, not f.done and f.due_on < today, services.may_complete(request.user, f) and not f.done)
        for f in dialogue.follow_ups.all()
    ]
    return render(request, "cooperation/dialogue.html", {"dialogue": dialogue, "follow_ups": follow_ups})


@login_required
@require_POST
@_domain_errors
def complete_follow_up(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    dialogue = selectors.dialogue_for(request.user, pk)
    follow_up = dialogue.follow_ups.filter(pk=follow_up_pk).first()
    if follow_up is None:
        raise Http404(_("no follow-up action %(id)s in this dialogue") % {"id": follow_up_pk})
    try:
        services.complete_follow_up(follow_up, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The follow-up action is marked done."))
    return redirect("cooperation:dialogue", pk=pk)
