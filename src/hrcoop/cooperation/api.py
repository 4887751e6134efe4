"""REST API of cooperation: the same reads and writes as the pages, through the same selectors,
matcher and services, so the same rules. Errors use the one JSON error shape (``core.api``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hrcoop.cooperation import matching, selectors, services
from hrcoop.cooperation.lookups import need_by_kind
from hrcoop.cooperation.matching import Ranked
from hrcoop.cooperation.models import (
    Dialogue,
    FollowUpAction,
    Match,
    Modality,
    NeedKind,
    Offer,
    OfferKind,
    OfferStatus,
    ProviderKind,
)
from hrcoop.cooperation.peers import peers_for
from hrcoop.core.api import validated
from hrcoop.core.errors import NotFound

# --- shapes ------------------------------------------------------------------------------------------


class OfferInput(serializers.Serializer):
    provider_kind = serializers.CharField(
        help_text="state, agency, nhri or ngo", required=False, allow_blank=True
    )
    provider_state = serializers.CharField(required=False, allow_blank=True, help_text="ISO alpha-3")
    provider_name = serializers.CharField(required=False, allow_blank=True)
    facilitator_state = serializers.CharField(required=False, allow_blank=True)
    facilitator_organisation = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(help_text="expertise, peer_exchange, training, tool or good_practice")
    title = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    language = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="UHRI theme codes"
    )
    sdg_goals = serializers.ListField(child=serializers.IntegerField(), required=False)
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    regions = serializers.ListField(child=serializers.CharField(), required=False)
    capacity = serializers.CharField(required=False, allow_blank=True)
    cost_sharing = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.CharField(required=False, allow_blank=True)


class ThemeOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OfferOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    provider_kind = serializers.ChoiceField(choices=ProviderKind.choices)
    provider = serializers.CharField()
    provider_state = serializers.CharField(allow_null=True)
    facilitator = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField()
    themes = ThemeOut(many=True)
    sdg_goals = serializers.ListField(child=serializers.IntegerField())
    languages = serializers.ListField(child=serializers.CharField())
    regions = serializers.ListField(child=serializers.CharField())
    capacity = serializers.CharField()
    cost_sharing = serializers.CharField()
    evidence = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class ExplanationOut(serializers.Serializer):
    similarity = serializers.FloatField()
    shared_themes = ThemeOut(many=True)
    shared_sdgs = serializers.ListField(child=serializers.IntegerField())
    past_cooperation = serializers.ListField(child=serializers.DictField())
    modality = serializers.ChoiceField(choices=Modality.choices)
    modality_reason = serializers.CharField()


class NeedOut(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.CharField()
    state = serializers.CharField()
    title = serializers.CharField()


class RankedOfferOut(serializers.Serializer):
    score = serializers.FloatField()
    offer = OfferOut()
    explanation = ExplanationOut()


class RankedNeedOut(serializers.Serializer):
    score = serializers.FloatField()
    need = NeedOut()
    explanation = ExplanationOut()


class PeerOut(serializers.Serializer):
    state = serializers.CharField()
    recommendation = serializers.CharField()
    evidence = serializers.ChoiceField(
        choices=["implemented", "funded"],
        help_text="implemented: reported implemented in the State's published plan; funded: a fund "
        "allocated money to the State's request for it",
    )
    request = serializers.CharField(help_text="The funded request (evidence funded), else empty")
    plan = serializers.IntegerField(allow_null=True, help_text="The published plan (evidence implemented)")
    similarity = serializers.FloatField()
    south_south = serializers.BooleanField()


class OffersForNeedOut(serializers.Serializer):
    need = NeedOut()
    offers = RankedOfferOut(many=True)
    peers = PeerOut(many=True)


class ModerationInput(serializers.Serializer):
    publish = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MatchInput(serializers.Serializer):
    offer = serializers.IntegerField()
    need_kind = serializers.ChoiceField(choices=NeedKind.choices)
    need = serializers.CharField(
        help_text="The public id of the request or recommendation; the number of the action or cluster"
    )


class MatchOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    offer = serializers.IntegerField()
    need_kind = serializers.CharField()
    need = serializers.CharField()
    beneficiary = serializers.CharField()
    modality = serializers.CharField()
    modality_reason = serializers.CharField()
    score = serializers.FloatField()
    explanation = serializers.DictField()
    beneficiary_confirmed_at = serializers.DateTimeField(allow_null=True)
    provider_confirmed_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


class FollowUpIO(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    action = serializers.CharField()
    owner = serializers.CharField(help_text="The owner as the participants name it")
    owner_state = serializers.CharField(
        required=False, allow_blank=True, help_text="ISO alpha-3: its focal points may mark it done"
    )
    owner_user = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="User name of an owner who may mark it done",
    )
    due_on = serializers.DateField()
    done = serializers.BooleanField(read_only=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    overdue = serializers.BooleanField(read_only=True, help_text="Not done and past its due date")


class DialogueInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Dialogue.Kind.choices, required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    held_on = serializers.CharField(help_text="YYYY-MM-DD")
    participants = serializers.CharField(required=False, allow_blank=True)
    states = serializers.ListField(child=serializers.CharField(), required=False)
    topics = serializers.CharField(required=False, allow_blank=True)
    outcomes = serializers.CharField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False, default=True)
    requests = serializers.ListField(child=serializers.CharField(), required=False)
    recommendations = serializers.ListField(child=serializers.CharField(), required=False)
    offers = serializers.ListField(child=serializers.CharField(), required=False)
    follow_ups = serializers.ListField(child=serializers.DictField(), required=False)


class DialogueOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    participants = serializers.CharField()
    states = serializers.ListField(child=serializers.CharField())
    topics = serializers.CharField()
    outcomes = serializers.CharField()
    is_public = serializers.BooleanField()
    requests = serializers.ListField(child=serializers.CharField())
    recommendations = serializers.ListField(child=serializers.CharField())
    offers = serializers.ListField(child=serializers.IntegerField())
    follow_ups = FollowUpIO(many=True)


# --- records -----------------------------------------------------------------------------------------


def offer_record(offer: Offer) -> dict[str, Any]:
    facilitator = offer.facilitator_state.name if offer.facilitator_state else offer.facilitator_organisation
    return {
        "id": offer.pk,
        "status": offer.status,
        "provider_kind": offer.provider_kind,
        "provider": offer.provider_label,
        "provider_state": offer.provider_state.iso3 if offer.provider_state else None,
        "facilitator": facilitator or None,
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "language": offer.language,
        "themes": [{"code": t.code, "name": t.name} for t in offer.themes.all()],
        "sdg_goals": [g.number for g in offer.sdg_goals.all()],
        "languages": offer.languages,
        "regions": [r.code for r in offer.regions.all()],
        "capacity": offer.capacity,
        "cost_sharing": offer.cost_sharing,
        "evidence": offer.evidence,
        "published_at": offer.published_at,
        "withdrawn_at": offer.withdrawn_at,
    }


def _need(ranked: Ranked) -> dict[str, Any]:
    need = ranked.need
    return {"kind": need.kind, "id": need.key, "state": need.state.iso3, "title": need.title}


def match_record(match: Match) -> dict[str, Any]:
    return {
        "id": match.pk,
        "status": match.status,
        "offer": match.offer_id,
        "need_kind": match.need_kind,
        "need": match.need_id,
        "beneficiary": match.beneficiary.iso3,
        "modality": match.modality,
        "modality_reason": match.modality_reason,
        "score": match.score,
        "explanation": match.explanation,
        "beneficiary_confirmed_at": match.beneficiary_confirmed_at,
        "provider_confirmed_at": match.provider_confirmed_at,
        "confirmed_at": match.confirmed_at,
    }


def dialogue_record(dialogue: Dialogue) -> dict[str, Any]:
    return {
        "id": dialogue.pk,
        "kind": dialogue.kind,
        "title": dialogue.title,
        "held_on": dialogue.held_on,
        "participants": dialogue.participants,
        "states": [s.iso3 for s in dialogue.states.all()],
        "topics": dialogue.topics,
        "outcomes": dialogue.outcomes,
        "is_public": dialogue.is_public,
        "requests": [r.public_id for r in dialogue.requests.all()],
        "recommendations": [r.public_id for r in dialogue.recommendations.all()],
        "offers": [o.pk for o in dialogue.offers.all()],
        "follow_ups": [follow_up_record(f) for f in dialogue.follow_ups.all()],
    }


def follow_up_record(follow_up: FollowUpAction) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "action": follow_up.action,
        "owner": follow_up.owner,
        "owner_state": follow_up.owner_state.iso3 if follow_up.owner_state else "",
        "due_on": follow_up.due_on,
        "done": follow_up.done,
        "done_at": follow_up.done_at,
        "overdue": not follow_up.done and follow_up.due_on < timezone.localdate(),
    }


FILTERS = [
    OpenApiParameter("language", str, description="Working language of the offer: ar, en, es, fr, ru, zh"),
    OpenApiParameter("region", str, description="Regional group of the State in need"),
    OpenApiParameter("modality", str, enum=Modality.values),
]


def _filters(request: Request) -> dict[str, str]:
    return {key: str(request.query_params.get(key, "")) for key in ("language", "region", "modality")}


# --- views -------------------------------------------------------------------------------------------


class OfferListView(APIView):
    @extend_schema(
        summary="Offers you may see (published ones, and your own or, for moderators, all)",
        parameters=[OpenApiParameter("kind", str, enum=OfferKind.values)],
        responses=OfferOut(many=True),
        operation_id="cooperation_offers_list",
    )
    def get(self, request: Request) -> Response:
        offers = selectors.offers_visible_to(request.user)
        if kind := request.query_params.get("kind"):
            offers = offers.filter(kind=kind)
        return Response([offer_record(o) for o in offers])

    @extend_schema(
        summary="Offer cooperation (contributors' offers await moderation)",
        request=OfferInput,
        responses={201: OfferOut},
        operation_id="cooperation_offers_create",
    )
    def post(self, request: Request) -> Response:
        offer = services.submit_offer(actor=request.user, data=validated(OfferInput, request.data))
        return Response(offer_record(offer), status=status.HTTP_201_CREATED)


class GoodPracticeListView(APIView):
    @extend_schema(
        summary="The good-practice library",
        responses=OfferOut(many=True),
        operation_id="cooperation_practices",
    )
    def get(self, request: Request) -> Response:
        return Response([offer_record(o) for o in selectors.good_practices()])


class OfferDetailView(APIView):
    @extend_schema(summary="One offer", responses=OfferOut, operation_id="cooperation_offer")
    def get(self, request: Request, pk: int) -> Response:
        return Response(offer_record(selectors.offer_for(request.user, pk)))

    @extend_schema(
        summary="Change your offer: the fields given replace the offer's; a material change to a "
        "published offer awaits moderation again",
        request=OfferInput,
        responses=OfferOut,
        operation_id="cooperation_offer_edit",
    )
    def patch(self, request: Request, pk: int) -> Response:
        offer = selectors.offer_for(request.user, pk)
        serializer = OfferInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {**services.offer_values(offer), **serializer.validated_data}
        return Response(offer_record(services.edit_offer(offer, actor=request.user, data=data)))


class WithdrawalInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OfferWithdrawalView(APIView):
    @extend_schema(
        summary="Withdraw your offer: no longer shown or matched; confirmed cooperation stays on record",
        request=WithdrawalInput,
        responses=OfferOut,
        operation_id="cooperation_offer_withdraw",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(WithdrawalInput, request.data)
        offer = services.withdraw_offer(
            selectors.offer_for(request.user, pk), actor=request.user, reason=data["reason"]
        )
        return Response(offer_record(offer))


class OfferModerationView(APIView):
    @extend_schema(
        summary="Publish an offer awaiting moderation, or decline it with a note (secretariat)",
        request=ModerationInput,
        responses=OfferOut,
        operation_id="cooperation_offer_moderate",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated(ModerationInput, request.data)
        offer = services.moderate_offer(
            selectors.offer_for(request.user, pk),
            actor=request.user,
            publish=data["publish"],
            note=data["note"],
        )
        return Response(offer_record(offer))


class OfferNeedsView(APIView):
    @extend_schema(
        summary="Open needs this published offer may answer, ranked, each with its explanation",
        parameters=FILTERS,
        responses=RankedNeedOut(many=True),
        operation_id="cooperation_offer_needs",
    )
    def get(self, request: Request, pk: int) -> Response:
        offer = selectors.offer_for(request.user, pk)
        f = _filters(request)
        ranked = (
            matching.rank_needs(offer, language=f["language"], region=f["region"], modality=f["modality"])
            if offer.status == OfferStatus.PUBLISHED
            else []
        )
        return Response(
            [{"score": round(r.score, 4), "need": _need(r), "explanation": r.explanation()} for r in ranked]
        )


class OffersForNeedView(APIView):
    @extend_schema(
        summary="Published offers for a need (request, recommendation, tracker action or cluster), "
        "ranked and explained; peers who did it",
        parameters=FILTERS,
        responses=OffersForNeedOut,
        operation_id="cooperation_need_offers",
    )
    def get(self, request: Request, kind: str, public_id: str) -> Response:
        need = need_by_kind(request.user, kind, public_id)
        f = _filters(request)
        ranked = matching.rank_offers(
            need, language=f["language"], region=f["region"], modality=f["modality"]
        )
        return Response(
            {
                "need": {"kind": need.kind, "id": need.key, "state": need.state.iso3, "title": need.title},
                "offers": [
                    {
                        "score": round(r.score, 4),
                        "offer": offer_record(r.offer),
                        "explanation": r.explanation(),
                    }
                    for r in ranked
                ],
                "peers": [
                    {
                        "state": p.state.iso3,
                        "recommendation": p.recommendation_id,
                        "evidence": p.evidence,
                        "request": p.request_id,
                        "plan": p.plan_id,
                        "similarity": p.similarity,
                        "south_south": p.south_south,
                    }
                    for p in peers_for(need)
                ],
            }
        )


class MatchListView(APIView):
    @extend_schema(
        summary="Matches you may see (cooperation records, and unconfirmed ones you are party to)",
        responses=MatchOut(many=True),
        operation_id="cooperation_matches_list",
    )
    def get(self, request: Request) -> Response:
        return Response([match_record(m) for m in selectors.matches_visible_to(request.user)])

    @extend_schema(
        summary="Propose (and so confirm for your side) an offer for a need",
        request=MatchInput,
        responses={201: MatchOut},
        operation_id="cooperation_matches_create",
    )
    def post(self, request: Request) -> Response:
        data = validated(MatchInput, request.data)
        need = need_by_kind(request.user, data["need_kind"], data["need"])
        offer = selectors.offer_for(request.user, data["offer"])
        assessed = matching.assess(offer, need)
        match = services.propose_match(
            offer,
            actor=request.user,
            **need.links(),
            score=assessed.score,
            explanation=assessed.explanation(),
        )
        return Response(match_record(match), status=status.HTTP_201_CREATED)


class MatchDetailView(APIView):
    @extend_schema(summary="One match", responses=MatchOut, operation_id="cooperation_match")
    def get(self, request: Request, pk: int) -> Response:
        return Response(match_record(selectors.match_for(request.user, pk)))


class MatchConfirmView(APIView):
    @extend_schema(
        summary="Confirm your side of a match; both sides confirmed make a cooperation record",
        request=None,
        responses=MatchOut,
        operation_id="cooperation_match_confirm",
    )
    def post(self, request: Request, pk: int) -> Response:
        match = services.confirm_match(selectors.match_for(request.user, pk), actor=request.user)
        return Response(match_record(match))


class DialogueListView(APIView):
    @extend_schema(
        summary="Dialogues and consultations you may see",
        responses=DialogueOut(many=True),
        operation_id="cooperation_dialogues_list",
    )
    def get(self, request: Request) -> Response:
        return Response([dialogue_record(d) for d in selectors.dialogues_visible_to(request.user)])

    @extend_schema(
        summary="Record a dialogue or consultation with its follow-up actions",
        request=DialogueInput,
        responses={201: DialogueOut},
        operation_id="cooperation_dialogues_create",
    )
    def post(self, request: Request) -> Response:
        data = validated(DialogueInput, request.data)
        dialogue = services.record_dialogue(actor=request.user, data=data)
        return Response(dialogue_record(selectors.dialogue_for(request.user, dialogue.pk)), status=201)


class DialogueDetailView(APIView):
    @extend_schema(summary="One dialogue", responses=DialogueOut, operation_id="cooperation_dialogue")
    def get(self, request: Request, pk: int) -> Response:
        return Response(dialogue_record(selectors.dialogue_for(request.user, pk)))


class FollowUpDoneView(APIView):
    @extend_schema(
        summary="Mark a follow-up action done (its owner or the secretariat)",
        request=None,
        responses=FollowUpIO,
        operation_id="cooperation_follow_up_done",
    )
    def post(self, request: Request, pk: int, follow_up_pk: int) -> Response:
        dialogue = selectors.dialogue_for(request.user, pk)
        follow_up = dialogue.follow_ups.filter(pk=follow_up_pk).first()
        if follow_up is None:
            raise NotFound(_("no follow-up action %(id)s in this dialogue") % {"id": follow_up_pk})
        return Response(follow_up_record(services.complete_follow_up(follow_up, actor=request.user)))
