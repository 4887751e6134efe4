"""The audit actions that tracking's services record: plans, clusters, actions, progress and imports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrcoop.core.audit import AuditAction


class TrackingAction(AuditAction):
    INSTITUTION_CREATED = "tracking.institution_create", _("Institution listed")
    PLAN_CREATED = "tracking.plan_create", _("Plan created")
    RECOMMENDATIONS_ADDED = "tracking.recommendations_add", _("Recommendations added to the plan")
    CLUSTER_CREATED = "tracking.cluster_create", _("Cluster created")
    CLUSTER_EDITED = "tracking.cluster_edit", _("Cluster edited")
    CLUSTER_ASSIGNED = "tracking.cluster_assign", _("Institutions assigned")
    ACTION_CREATED = "tracking.action_create", _("Action added")
    ACTION_STATUS_SET = "tracking.action_status", _("Action status set")
    ACTION_NEEDS_SUPPORT = "tracking.action_needs_support", _("Support need marked")
    ACTION_SUPPORT_REQUESTED = "tracking.action_request_support", _("Assistance requested for an action")
    INDICATOR_CREATED = "tracking.indicator_create", _("Indicator added")
    STATUS_SET = "tracking.status", _("Implementation status set")
    PROGRESS_POSTED = "tracking.progress_post", _("Progress reported")
    PROGRESS_REVIEWED = "tracking.progress_review", _("Progress reviewed")
    PUBLISHED = "tracking.publish", _("Plan published or taken back")
    IMPORTED = "tracking.import", _("Tracker imported")
