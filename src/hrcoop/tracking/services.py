"""Every write to a State's implementation tracker (DESIGN.md §4.1).

Each function is one transaction: it checks who acts (``access``), checks the input, writes, and
records one audit event. The focal point of the State coordinates the whole plan; a member of an
institution writes only on the actions assigned to that institution (their status and progress).
Reminders go out after commit (``tasks``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.services import check_upload, create_request
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.core.roles import Actor
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import Fund, State
from hrcoop.tracking.access import is_focal_point, member_institution_ids
from hrcoop.tracking.actions import TrackingAction
from hrcoop.tracking.models import (
    Action,
    Cluster,
    Evidence,
    ImplementationStatus,
    Indicator,
    Institution,
    Plan,
    ProgressUpdate,
    StatusChange,
    TrackedRecommendation,
)

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh-hans")
MAX_LINKS = 20


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _require_focal_point(actor: Actor, state: State) -> None:
    if not is_focal_point(actor, state):
        raise Forbidden(
            _("only a focal point of %(state)s may change its implementation plan") % {"state": state}
        )


def require_coordinator(actor: Actor, plan: Plan) -> None:
    """Raise ``Forbidden`` unless the actor coordinates the plan (its State's focal point)."""
    _require_focal_point(actor, plan.state)


def _require_institution(actor: Actor, action: Action) -> None:
    """The focal point of the action's State, or a member of the institution the action is assigned to."""
    if is_focal_point(actor, action.cluster.plan.state):
        return
    if action.institution_id not in member_institution_ids(actor):
        raise Forbidden(
            _("only %(institution)s or the focal point of %(state)s may report on this action")
            % {"institution": action.institution, "state": action.cluster.plan.state}
        )


def _text(value: str, *, field: str, what: str) -> str:
    if not (value or "").strip():
        raise InvalidInput(_("%(what)s cannot be empty") % {"what": what}, where=field)
    return value.strip()


def _institution_of(state: State, institution: Institution) -> Institution:
    if institution.state_id != state.pk:
        raise InvalidInput(
            _("%(institution)s is an institution of another State, not of %(state)s")
            % {"institution": institution, "state": state},
            where="institution",
        )
    return institution


# --- institutions and plans --------------------------------------------------------------------------


@transaction.atomic
def create_institution(
    *,
    actor: Actor,
    state: State,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "en",
) -> Institution:
    """The focal point lists one of the State's ministries, agencies, NHRI or parliament committees."""
    _require_focal_point(actor, state)
    if kind not in Institution.Kind.values:
        raise InvalidInput(
            _("%(kind)r is not a kind of institution; use one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(Institution.Kind.values)},
            where="kind",
        )
    if language not in LANGUAGES:
        raise InvalidInput(
            _("%(language)r is not a UN language; use one of %(languages)s")
            % {"language": language, "languages": ", ".join(LANGUAGES)},
            where="language",
        )
    name = _text(name, field="name", what=_("the institution's name"))
    if Institution.objects.filter(state=state, name=name).exists():
        raise Conflict(
            _("%(state)s already has an institution named %(name)r") % {"state": state, "name": name}
        )
    institution = Institution.objects.create(
        state=state,
        name=name,
        kind=kind,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        language=language,
    )
    record_event(
        actor=_user(actor), action=TrackingAction.INSTITUTION_CREATED, target=institution, data={"name": name}
    )
    return institution


@transaction.atomic
def create_plan(*, actor: Actor, state: State, title: str, update_interval_days: int = 90) -> Plan:
    _require_focal_point(actor, state)
    if not 7 <= update_interval_days <= 366:
        raise InvalidInput(_("updates are due every 7 to 366 days"), where="update_interval_days")
    plan = Plan.objects.create(
        state=state,
        title=_text(title, field="title", what=_("the plan's title")),
        update_interval_days=update_interval_days,
    )
    record_event(
        actor=_user(actor), action=TrackingAction.PLAN_CREATED, target=plan, data={"state": state.iso3}
    )
    return plan


def _recommendations_of(plan: Plan, public_ids: Iterable[str]) -> list[Recommendation]:
    wanted = list(dict.fromkeys(public_ids))
    found = {
        r.public_id: r
        for r in Recommendation.objects.filter(public_id__in=wanted, state_under_review=plan.state)
    }
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise InvalidInput(
            _("no recommendation to %(state)s with the id %(ids)s")
            % {"state": plan.state, "ids": ", ".join(missing)},
            where="recommendations",
        )
    return [found[pid] for pid in wanted]


@transaction.atomic
def add_recommendations(
    plan: Plan, *, actor: Actor, public_ids: Sequence[str]
) -> list[TrackedRecommendation]:
    """Bring the State's recommendations into the plan (those already in it stay as they are)."""
    _require_focal_point(actor, plan.state)
    recommendations = _recommendations_of(plan, public_ids)
    present = set(
        TrackedRecommendation.objects.filter(plan=plan, recommendation__in=recommendations).values_list(
            "recommendation_id", flat=True
        )
    )
    added = TrackedRecommendation.objects.bulk_create(
        [TrackedRecommendation(plan=plan, recommendation=r) for r in recommendations if r.pk not in present]
    )
    record_event(
        actor=_user(actor),
        action=TrackingAction.RECOMMENDATIONS_ADDED,
        target=plan,
        data={"added": [r.public_id for r in recommendations if r.pk not in present]},
    )
    return added


@transaction.atomic
def create_cluster(plan: Plan, *, actor: Actor, title: str, public_ids: Sequence[str]) -> Cluster:
    """A cluster of the plan's recommendations; a recommendation in another cluster moves to this one
    (it sits in one cluster per plan), one not yet in the plan joins it."""
    _require_focal_point(actor, plan.state)
    cluster = Cluster.objects.create(
        plan=plan, title=_text(title, field="title", what=_("the cluster's title"))
    )
    moved = _place(cluster, public_ids)
    record_event(
        actor=_user(actor),
        action=TrackingAction.CLUSTER_CREATED,
        target=cluster,
        data={"title": cluster.title, "recommendations": [r.public_id for r in moved]},
    )
    return cluster


def _place(cluster: Cluster, public_ids: Sequence[str]) -> list[Recommendation]:
    recommendations = _recommendations_of(cluster.plan, public_ids)
    present = {
        t.recommendation_id: t
        for t in TrackedRecommendation.objects.filter(plan=cluster.plan, recommendation__in=recommendations)
    }
    TrackedRecommendation.objects.filter(pk__in=[t.pk for t in present.values()]).update(cluster=cluster)
    TrackedRecommendation.objects.bulk_create(
        [
            TrackedRecommendation(plan=cluster.plan, recommendation=r, cluster=cluster)
            for r in recommendations
            if r.pk not in present
        ]
    )
    return recommendations


@transaction.atomic
def edit_cluster(
    cluster: Cluster, *, actor: Actor, title: str | None = None, public_ids: Sequence[str] | None = None
) -> Cluster:
    """Rename a cluster or set its recommendations (those taken out stay in the plan, unclustered)."""
    _require_focal_point(actor, cluster.plan.state)
    data: dict[str, object] = {}
    if title is not None:
        cluster.title = _text(title, field="title", what=_("the cluster's title"))
        cluster.save(update_fields=["title"])
        data["title"] = cluster.title
    if public_ids is not None:
        kept = _place(cluster, public_ids)
        cluster.recommendations.exclude(recommendation__in=kept).update(cluster=None)
        data["recommendations"] = [r.public_id for r in kept]
    record_event(actor=_user(actor), action=TrackingAction.CLUSTER_EDITED, target=cluster, data=data)
    return cluster


@dataclass(frozen=True)
class SuggestedCluster:
    title: str
    public_ids: tuple[str, ...]


@transaction.atomic
def accept_suggestions(plan: Plan, *, actor: Actor, suggestions: Sequence[SuggestedCluster]) -> list[Cluster]:
    """The focal point accepts suggested clusters (as suggested, or as edited on the page) in one step."""
    _require_focal_point(actor, plan.state)
    seen: set[str] = set()
    for suggestion in suggestions:
        twice = seen.intersection(suggestion.public_ids)
        if twice:
            raise InvalidInput(
                _("%(ids)s would sit in two clusters: a recommendation sits in one cluster per plan")
                % {"ids": ", ".join(sorted(twice))},
                where="clusters",
            )
        seen.update(suggestion.public_ids)
    return [create_cluster(plan, actor=actor, title=s.title, public_ids=s.public_ids) for s in suggestions]


@transaction.atomic
def assign_institutions(
    cluster: Cluster, *, actor: Actor, lead: Institution | None, supporting: Sequence[Institution] = ()
) -> Cluster:
    """Give a cluster its lead institution and the institutions that support it."""
    state = cluster.plan.state
    _require_focal_point(actor, state)
    if lead is not None:
        _institution_of(state, lead)
    for institution in supporting:
        _institution_of(state, institution)
    cluster.lead_institution = lead
    cluster.save(update_fields=["lead_institution"])
    cluster.supporting_institutions.set([i for i in supporting if i != lead])
    record_event(
        actor=_user(actor),
        action=TrackingAction.CLUSTER_ASSIGNED,
        target=cluster,
        data={"lead": lead.pk if lead else None, "supporting": sorted(i.pk for i in supporting)},
    )
    return cluster


# --- actions and indicators --------------------------------------------------------------------------


def _dates(starts_on: dt.date | None, due_on: dt.date | None) -> None:
    if starts_on and due_on and due_on < starts_on:
        raise InvalidInput(
            _("the due date %(due)s is before the start date %(start)s")
            % {"due": due_on, "start": starts_on},
            where="due_on",
        )


@transaction.atomic
def add_action(
    cluster: Cluster,
    *,
    actor: Actor,
    description: str,
    institution: Institution,
    starts_on: dt.date | None = None,
    due_on: dt.date | None = None,
    budget: Money | None = None,
    status: str = Action.Status.PLANNED,
    needs_support: bool = False,
) -> Action:
    state = cluster.plan.state
    _require_focal_point(actor, state)
    _institution_of(state, institution)
    _dates(starts_on, due_on)
    if status not in Action.Status.values:
        raise InvalidInput(_("%(status)r is not a status of an action") % {"status": status}, where="status")
    if budget is not None and budget.amount < 0:
        raise InvalidInput(_("a budget cannot be negative"), where="budget")
    action = Action.objects.create(
        cluster=cluster,
        description=_text(description, field="description", what=_("what the action does")),
        institution=institution,
        starts_on=starts_on,
        due_on=due_on,
        budget_amount=budget.amount if budget else None,
        budget_currency=budget.currency if budget else "",
        status=status,
        needs_support=needs_support,
    )
    record_event(
        actor=_user(actor),
        action=TrackingAction.ACTION_CREATED,
        target=action,
        data={"cluster": cluster.pk, "institution": institution.pk, "status": status},
    )
    return action


@transaction.atomic
def set_action_status(action: Action, *, actor: Actor, status: str) -> Action:
    """The institution that carries the action (or the focal point) says where it stands."""
    _require_institution(actor, action)
    if status not in Action.Status.values:
        raise InvalidInput(_("%(status)r is not a status of an action") % {"status": status}, where="status")
    before = action.status
    action.status = status
    action.save(update_fields=["status"])
    record_event(
        actor=_user(actor),
        action=TrackingAction.ACTION_STATUS_SET,
        target=action,
        data={"from": before, "to": status},
    )
    return action


@transaction.atomic
def mark_needs_support(action: Action, *, actor: Actor, needs_support: bool = True) -> Action:
    _require_focal_point(actor, action.cluster.plan.state)
    action.needs_support = needs_support
    action.save(update_fields=["needs_support"])
    record_event(
        actor=_user(actor),
        action=TrackingAction.ACTION_NEEDS_SUPPORT,
        target=action,
        data={"needs_support": needs_support},
    )
    return action


@transaction.atomic
def add_indicator(
    action: Action,
    *,
    actor: Actor,
    name: str,
    baseline: str = "",
    target: str = "",
    source: str = "",
    sdg_indicator: str = "",
) -> Indicator:
    _require_focal_point(actor, action.cluster.plan.state)
    code = sdg_indicator.strip()
    if code and not _is_sdg_indicator_code(code):
        raise InvalidInput(
            _("%(code)r is not an SDG indicator code such as 16.10.2") % {"code": code}, where="sdg_indicator"
        )
    indicator = Indicator.objects.create(
        action=action,
        name=_text(name, field="name", what=_("the indicator's name")),
        baseline=baseline.strip(),
        target=target.strip(),
        source=source.strip(),
        sdg_indicator=code,
    )
    record_event(
        actor=_user(actor),
        action=TrackingAction.INDICATOR_CREATED,
        target=indicator,
        data={"sdg_indicator": code},
    )
    return indicator


def _is_sdg_indicator_code(code: str) -> bool:
    """Goal (1-17), target (a number or a letter) and indicator number: "16.10.2", "1.a.1"."""
    parts = code.split(".")
    return (
        len(parts) == 3
        and parts[0].isdigit()
        and 1 <= int(parts[0]) <= 17
        and (parts[1].isdigit() or (len(parts[1]) == 1 and parts[1].isalpha() and parts[1].islower()))
        and parts[2].isdigit()
    )


# --- status of recommendations -----------------------------------------------------------------------


@transaction.atomic
def set_status(
    tracked: TrackedRecommendation, *, actor: Actor, status: str, note: str = ""
) -> TrackedRecommendation:
    """The focal point says how far a recommendation is implemented; the history keeps who and when."""
    _require_focal_point(actor, tracked.plan.state)
    if status not in ImplementationStatus.values:
        raise InvalidInput(
            _("%(status)r is not an implementation status; use one of %(statuses)s")
            % {"status": status, "statuses": ", ".join(ImplementationStatus.values)},
            where="status",
        )
    now = timezone.now()
    before = tracked.status
    tracked.status, tracked.status_set_by, tracked.status_set_at = status, _user(actor), now
    tracked.save(update_fields=["status", "status_set_by", "status_set_at"])
    StatusChange.objects.create(
        tracked=tracked, status=status, changed_by=_user(actor), changed_at=now, note=note.strip()
    )
    record_event(
        actor=_user(actor),
        action=TrackingAction.STATUS_SET,
        target=tracked,
        data={"recommendation": tracked.recommendation.public_id, "from": before, "to": status},
    )
    return tracked


# --- progress ----------------------------------------------------------------------------------------


def _clean_links(links: Sequence[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link.strip()]
    if len(cleaned) > MAX_LINKS:
        raise InvalidInput(_("at most %(n)d links per update") % {"n": MAX_LINKS}, where="links")
    for link in cleaned:
        if not link.startswith(("https://", "http://")):
            raise InvalidInput(
                _("%(link)r is not a web address (it should start with https://)") % {"link": link},
                where="links",
            )
    return cleaned


@transaction.atomic
def post_progress(
    action: Action,
    *,
    actor: Actor,
    reported_on: dt.date,
    text: str,
    links: Sequence[str] = (),
    documents: Sequence[UploadedFile] = (),
    indicator: Indicator | None = None,
    indicator_value: str = "",
) -> ProgressUpdate:
    """The institution reports on its action, with evidence; the focal point validates it later."""
    _require_institution(actor, action)
    if reported_on > timezone.localdate():
        raise InvalidInput(
            _("an update cannot be dated in the future (%(date)s)") % {"date": reported_on},
            where="reported_on",
        )
    if indicator is not None and indicator.action_id != action.pk:
        raise InvalidInput(_("that indicator belongs to another action"), where="indicator")
    checked = [(upload, *check_upload(upload)) for upload in documents]
    update = ProgressUpdate.objects.create(
        action=action,
        indicator=indicator,
        reported_on=reported_on,
        text=_text(text, field="text", what=_("the update")),
        indicator_value=indicator_value.strip(),
        links=_clean_links(links),
        author=_user(actor),
        submitted_at=timezone.now(),
    )
    for upload, name, content_type in checked:
        evidence = Evidence(update=update, name=name, size=upload.size or 0, content_type=content_type)
        evidence.file.save(name, upload, save=False)
        evidence.save()
    record_event(
        actor=_user(actor),
        action=TrackingAction.PROGRESS_POSTED,
        target=update,
        data={
            "action": action.pk,
            "documents": [name for _u, name, _c in checked],
            "links": len(update.links),
        },
    )
    return update


@transaction.atomic
def review_progress(
    update: ProgressUpdate, *, actor: Actor, validate: bool, public: bool = False
) -> ProgressUpdate:
    """The focal point validates an update (and chooses whether its evidence is published) or returns it."""
    update = (
        ProgressUpdate.objects.select_for_update()
        .select_related("action__cluster__plan__state")
        .get(pk=update.pk)
    )
    _require_focal_point(actor, update.action.cluster.plan.state)
    if update.review != ProgressUpdate.Review.SUBMITTED:
        raise Conflict(
            _("this update was already reviewed (%(review)s)") % {"review": update.get_review_display()}
        )
    update.review = ProgressUpdate.Review.VALIDATED if validate else ProgressUpdate.Review.RETURNED
    update.public = validate and public
    update.reviewed_by, update.reviewed_at = _user(actor), timezone.now()
    update.save(update_fields=["review", "public", "reviewed_by", "reviewed_at"])
    record_event(
        actor=_user(actor),
        action=TrackingAction.PROGRESS_REVIEWED,
        target=update,
        data={"review": update.review, "public": update.public},
    )
    return update


# --- a gap becomes a request for assistance ---------------------------------------------------------

SUPPORT_FUND = "UPR-FTA"  # the fund for financial and technical assistance in implementing UPR outcomes


@transaction.atomic
def request_support(action: Action, *, actor: Actor, fund: Fund | None = None) -> AssistanceRequest:
    """In one step, an action that needs support becomes a draft request for assistance (the assistance
    workflow's own ``create_request``), carrying the recommendations of its cluster and its budget; the
    action is marked as needing support and points at the request."""
    action = Action.objects.select_for_update().select_related("cluster__plan__state").get(pk=action.pk)
    state = action.cluster.plan.state
    _require_focal_point(actor, state)
    if action.assistance_request is not None:
        raise Conflict(
            _("this action already became request %(id)s") % {"id": action.assistance_request.public_id}
        )
    fund = fund or Fund.objects.filter(code=SUPPORT_FUND).first()
    if fund is None:
        raise InvalidInput(
            _("no fund %(fund)s to address the request to") % {"fund": SUPPORT_FUND}, where="fund"
        )
    recommendations = list(
        action.cluster.recommendations.order_by("recommendation__paragraph").values_list(
            "recommendation__public_id", flat=True
        )
    )
    data: dict[str, Any] = {
        "title": action.description.splitlines()[0][:300],
        "need": _("Implementation of the recommendations of the cluster %(cluster)s: %(action)s")
        % {"cluster": action.cluster.title, "action": action.description},
        "implementing_partners": action.institution.name,
        "recommendations": recommendations,
    }
    if action.budget_amount:
        data["amount"] = Money(action.budget_amount, action.budget_currency)
    outcome = create_request(actor=actor, state=state, fund=fund, data=data)
    action.needs_support = True
    action.assistance_request = outcome.request
    action.save(update_fields=["needs_support", "assistance_request"])
    record_event(
        actor=_user(actor),
        action=TrackingAction.ACTION_SUPPORT_REQUESTED,
        target=action,
        data={"request": outcome.request.public_id, "recommendations": recommendations},
    )
    return outcome.request


# --- publication -------------------------------------------------------------------------------------


@transaction.atomic
def publish_plan(plan: Plan, *, actor: Actor, published: bool = True) -> Plan:
    """The State publishes its plan (or takes it back): only then does anyone outside see it."""
    _require_focal_point(actor, plan.state)
    plan.published_at = timezone.now() if published else None
    plan.save(update_fields=["published_at"])
    record_event(
        actor=_user(actor), action=TrackingAction.PUBLISHED, target=plan, data={"published": published}
    )
    return plan
