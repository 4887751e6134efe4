"""Admin: trackers are read-only here. A State's plan is its own data, written by its focal point and
institutions through the pages, the API and imports (the services), so that every change is audited."""

from __future__ import annotations

from django.contrib import admin

from hrcoop.core.admin import ReadOnlyAdmin, ReadOnlyInline
from hrcoop.tracking.models import (
    Action,
    Cluster,
    Evidence,
    Indicator,
    Institution,
    Plan,
    ProgressUpdate,
    StatusChange,
    TrackedRecommendation,
)


class ClusterInline(ReadOnlyInline):
    model = Cluster
    fields = ["title", "lead_institution"]


class IndicatorInline(ReadOnlyInline):
    model = Indicator


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange


class EvidenceInline(ReadOnlyInline):
    model = Evidence


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "state", "kind", "contact_email", "language"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "created_at", "published_at"]
    inlines = [ClusterInline]


@admin.register(TrackedRecommendation)
class TrackedRecommendationAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "plan", "cluster", "status", "status_set_at"]
    list_filter = ["status"]
    list_select_related = ["recommendation", "plan", "cluster"]
    inlines = [StatusChangeInline]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["description", "institution", "status", "due_on", "needs_support"]
    list_filter = ["status", "needs_support"]
    inlines = [IndicatorInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    list_display = ["action", "reported_on", "review", "public"]
    list_filter = ["review", "public"]
    inlines = [EvidenceInline]
