"""Offers of cooperation, the matches between offers and needs, and the record of dialogue (issue 22).

An **offer** is what a State, an agency, an NHRI or an NGO can give: expertise, a peer exchange, a
training, a tool or a good practice. Offers from contributors wait for a moderator (the secretariat)
before they are published; an offer of a State made by its own focal point, or entered by the
secretariat, is published at once. The published good practices, with their evidence of results, are
the good-practice library.

A **match** pairs an offer with a need: a request for assistance, a recommendation, an action of a
State's implementation tracker that needs support, or a cluster of the tracker. It is proposed by one
party and becomes a **cooperation record** when both sides have confirmed it: the beneficiary (a focal
point of the State in need) and the provider (whoever submitted the offer, or a focal point of the
providing State). Its modality (North-South, South-South, triangular) is derived and kept with its
explanation.

A **dialogue** records a consultation or dialogue (para 24): date, participants, topics, outcomes and
follow-up actions with owners and due dates, linked to requests, offers and recommendations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.recommendations.models import Label, Recommendation
from hrcoop.reference.models import RegionalGroup, SdgGoal, State
from hrcoop.tracking.models import Action, Cluster


class ProviderKind(models.TextChoices):
    STATE = "state", _("State")
    AGENCY = "agency", _("International agency")
    NHRI = "nhri", _("National human rights institution")
    NGO = "ngo", _("Non-governmental organisation")


class OfferKind(models.TextChoices):
    EXPERTISE = "expertise", _("Expertise")
    PEER_EXCHANGE = "peer_exchange", _("Peer exchange")
    TRAINING = "training", _("Training")
    TOOL = "tool", _("Tool")
    GOOD_PRACTICE = "good_practice", _("Good practice")


class OfferStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Modality(models.TextChoices):
    NORTH_SOUTH = "north_south", _("North-South")
    SOUTH_SOUTH = "south_south", _("South-South")
    TRIANGULAR = "triangular", _("Triangular")
    MULTILATERAL = "multilateral", _("Multilateral")
    NORTH_NORTH = "north_north", _("Between DAC members")
    UNDETERMINED = "undetermined", _("Undetermined")


class Offer(models.Model):
    provider_kind = models.CharField(_("provider"), max_length=10, choices=ProviderKind.choices)
    provider_state = models.ForeignKey(
        State,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cooperation_offers",
        help_text=_("The providing State, or the home State of an NHRI or NGO"),
    )
    provider_name = models.CharField(
        max_length=200, blank=True, help_text=_("Name of the agency, NHRI or NGO")
    )
    facilitator_state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facilitator_organisation = models.CharField(
        max_length=200, blank=True, help_text=_("An international organisation that facilitates")
    )
    kind = models.CharField(max_length=20, choices=OfferKind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField()
    language = models.CharField(max_length=10, default="en", help_text=_("Language of the description"))
    themes = models.ManyToManyField(Label, blank=True, related_name="cooperation_offers")
    sdg_goals = models.ManyToManyField(SdgGoal, blank=True, related_name="cooperation_offers")
    languages = models.JSONField(default=list, blank=True, help_text=_("Languages the provider works in"))
    regions = models.ManyToManyField(
        RegionalGroup, blank=True, related_name="cooperation_offers", help_text=_("Empty: every region")
    )
    capacity = models.TextField(blank=True, help_text=_("How much the provider can take on, and when"))
    cost_sharing = models.TextField(blank=True, help_text=_("Who pays for what"))
    evidence = models.TextField(blank=True, help_text=_("Evidence of results"))
    status = models.CharField(
        max_length=10, choices=OfferStatus.choices, default=OfferStatus.SUBMITTED, db_index=True
    )
    moderation_note = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    vector = models.BinaryField(default=b"", help_text="Sentence vector of title and description (int8)")

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def provider_label(self) -> str:
        if self.provider_kind == ProviderKind.STATE and self.provider_state:
            return self.provider_state.name
        if self.provider_state:
            return f"{self.provider_name} ({self.provider_state.name})"
        return self.provider_name


class NeedKind(models.TextChoices):
    REQUEST = "request", _("Request for assistance")
    RECOMMENDATION = "recommendation", _("Recommendation")
    ACTION = "action", _("Implementation action that needs support")
    CLUSTER = "cluster", _("Cluster of recommendations in an implementation plan")


# Each kind of need is a foreign key of ``Match`` by the same name; exactly one is set, the one its
# ``need_kind`` names (``cooperation_match_one_need``).
NEED_FIELDS = tuple(NeedKind.values)


def _one_need(kind: str) -> models.Q:
    """The match's kind is ``kind``, its foreign key of that kind is set and the others are empty."""
    return models.Q(
        need_kind=kind,
        **{f"{field}__isnull": field != kind for field in NEED_FIELDS},
    )


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


class Match(models.Model):
    """An offer matched to one need; confirmed by both sides, it is a cooperation record."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="matches")
    need_kind = models.CharField(max_length=20, choices=NeedKind.choices)
    request = models.ForeignKey(
        AssistanceRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_matches"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_matches"
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_matches"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_matches"
    )
    beneficiary = models.ForeignKey(State, on_delete=models.PROTECT, related_name="cooperation_received")
    score = models.FloatField(help_text="The matcher's score when the match was proposed")
    explanation = models.JSONField(default=dict, blank=True)
    modality = models.CharField(max_length=20, choices=Modality.choices)
    modality_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    beneficiary_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    beneficiary_confirmed_at = models.DateTimeField(null=True, blank=True)
    provider_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    provider_confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name_plural = "matches"
        constraints = [
            models.CheckConstraint(
                name="cooperation_match_one_need",
                condition=_one_need("request")
                | _one_need("recommendation")
                | _one_need("action")
                | _one_need("cluster"),
            ),
            models.UniqueConstraint(fields=["offer", "request"], name="cooperation_match_offer_request"),
            models.UniqueConstraint(
                fields=["offer", "recommendation"], name="cooperation_match_offer_recommendation"
            ),
            models.UniqueConstraint(fields=["offer", "action"], name="cooperation_match_offer_action"),
            models.UniqueConstraint(fields=["offer", "cluster"], name="cooperation_match_offer_cluster"),
        ]

    def __str__(self) -> str:
        return f"match {self.pk}: offer {self.offer_id} for {self.need_kind} {self.need_id}"

    @property
    def need_id(self) -> str:
        """The public id of the need: a request's or recommendation's own, an action's or cluster's number."""
        if self.request is not None:
            return self.request.public_id
        if self.recommendation is not None:
            return self.recommendation.public_id
        return str(self.action_id or self.cluster_id or "")


class Dialogue(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        DIALOGUE = "dialogue", _("Dialogue")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DIALOGUE)
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    participants = models.TextField(help_text=_("Who took part, one per line"))
    states = models.ManyToManyField(State, blank=True, related_name="cooperation_dialogues")
    topics = models.TextField()
    outcomes = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    requests = models.ManyToManyField(AssistanceRequest, blank=True, related_name="cooperation_dialogues")
    offers = models.ManyToManyField(Offer, blank=True, related_name="dialogues")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="cooperation_dialogues")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on}: {self.title}"


class FollowUpAction(models.Model):
    """What a dialogue agreed someone would do, by when. ``owner`` names the owner as the participants
    wrote it; ``owner_state`` (its focal points act for it) or ``owner_user`` says who may mark it done,
    besides the secretariat."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField()
    owner = models.CharField(max_length=200)
    owner_state = models.ForeignKey(
        State, null=True, blank=True, on_delete=models.PROTECT, related_name="cooperation_follow_ups"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.action[:60]} ({self.owner}, {self.due_on})"
