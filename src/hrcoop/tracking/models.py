"""A State's own implementation tracker (issue 21): who implements which recommendations, how, and how far.

A State keeps one or more ``Plan``s. A plan groups the State's recommendations (of any cycle and
source) into ``Cluster``s; ``TrackedRecommendation`` is a recommendation's place in a plan, so the
unique (plan, recommendation) pair is what keeps a recommendation in at most one cluster per plan, and
it carries the recommendation's implementation status, whose every change is a ``StatusChange`` row
(who said so and when). A cluster has a lead institution and supporting ones, and ``Action``s (what,
who, dates, budget in integer minor units, status) with ``Indicator``s. Institutions post
``ProgressUpdate``s with evidence; the focal point validates them.

Everything here is the State's own data and private until the State publishes the plan
(``Plan.published_at``); even then only validated progress that the focal point chose to publish is
shown. ``selectors`` holds those rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import State


class Institution(models.Model):
    """A ministry, agency, national human rights institution or parliament committee of one State."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        NHRI = "nhri", _("National human rights institution")
        PARLIAMENT_COMMITTEE = "parliament_committee", _("Parliament committee")

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="institutions")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    language = models.CharField(
        max_length=10, default="en", help_text="The language its reminders are written in (a UN language)"
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="tracking_institution_unique")]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """One implementation plan of a State; public once the State publishes it."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="implementation_plans")
    title = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    update_interval_days = models.PositiveIntegerField(
        default=90, help_text="How often institutions are expected to report progress on their actions"
    )

    class Meta:
        ordering = ["state__name", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Cluster(models.Model):
    """Recommendations a State implements together, with the institutions that lead and support."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(max_length=300)
    lead_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="led_clusters"
    )
    supporting_institutions = models.ManyToManyField(
        Institution, blank=True, related_name="supported_clusters"
    )

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.title


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")


class TrackedRecommendation(models.Model):
    """A recommendation in a plan: its cluster (at most one per plan) and its current status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recommendations")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    status = models.CharField(
        max_length=30, choices=ImplementationStatus.choices, default=ImplementationStatus.NOT_STARTED
    )
    status_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_set_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "recommendation__paragraph", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "recommendation"], name="tracking_one_place_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} in plan {self.plan_id}: {self.status}"


class StatusChange(models.Model):
    """One change of a recommendation's status in a plan: the history that ``status`` sums up."""

    tracked = models.ForeignKey(TrackedRecommendation, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=30, choices=ImplementationStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.tracked_id} -> {self.status} at {self.changed_at:%Y-%m-%d}"


class Action(models.Model):
    """A measure taken for a cluster: what, by which institution, when, with what budget."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="actions")
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    budget_amount = models.BigIntegerField(null=True, blank=True, help_text="Minor units of budget_currency")
    budget_currency = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    needs_support = models.BooleanField(default=False)
    assistance_request = models.ForeignKey(
        AssistanceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cluster", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(due_on__isnull=True)
                | models.Q(due_on__gte=models.F("starts_on")),
                name="tracking_action_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Indicator(models.Model):
    """How an action's effect is measured; optionally one of the SDG indicators (e.g. "16.10.2")."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=300)
    baseline = models.CharField(max_length=200, blank=True)
    target = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from")
    sdg_indicator = models.CharField(
        max_length=20, blank=True, help_text="An SDG indicator code, e.g. 16.10.2"
    )

    class Meta:
        ordering = ["action", "id"]

    def __str__(self) -> str:
        return self.name


class ProgressUpdate(models.Model):
    """A dated report of an institution on one action, with evidence, validated by the focal point."""

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    reported_on = models.DateField()
    text = models.TextField()
    indicator_value = models.CharField(max_length=200, blank=True)
    links = models.JSONField(default=list, blank=True, help_text="Addresses of evidence on the web")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    public = models.BooleanField(
        default=False, help_text="Shown on the published progress page (only once validated)"
    )

    class Meta:
        ordering = ["action", "reported_on", "id"]

    def __str__(self) -> str:
        return f"update on action {self.action_id} of {self.reported_on}"


class Evidence(models.Model):
    """A document attached to a progress update."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="tracking/%Y/%m/")
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.name
