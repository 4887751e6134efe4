"""Two pages: the public account of methods and measured accuracy, and the reviewers' queue.

The queue is a plain form (filters by GET, decisions by POST) so it works without JavaScript; a
reviewer ticks suggestions and accepts or rejects them together, or uses the buttons on one row.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hrcoop.core.errors import DomainError, Forbidden, InvalidInput
from hrcoop.recommendations.classification import selectors
from hrcoop.recommendations.classification.data import TASKS
from hrcoop.recommendations.models import LabelKind

PAGE_SIZE = 50


def methods(request: HttpRequest) -> HttpResponse:
    evaluation = selectors.latest_evaluation()
    details = evaluation.results.get("details", {}) if evaluation else {}
    tasks = []
    for task in ("issues", "action_category"):
        figures = details.get(task, {})
        if figures and "error" not in figures:
            headline = "accuracy" if "accuracy" in figures else "micro_f1"
            tasks.append(
                {
                    "task": task,
                    "kind": LabelKind(TASKS[task]).label,
                    "headline": headline,
                    "model": figures[headline],
                    "baseline": figures["baseline"][headline],
                    "macro_model": figures["macro_f1"],
                    "macro_baseline": figures["baseline"]["macro_f1"],
                    "train": figures["train"],
                    "test": figures["test"],
                    "test_only_labels": figures["test_only_labels"],
                    "per_label": sorted(
                        (
                            (label, values, figures["baseline"]["per_label"].get(label, {}))
                            for label, values in figures["per_label"].items()
                        ),
                        key=lambda row: -row[1]["support"],
                    ),
                }
            )
    return render(
        request,
        "classification/methods.html",
        {
            "evaluation": evaluation,
            "tasks": tasks,
            "sdg": details.get("sdg_goals", {}),
            "versions": selectors.active_versions(),
        },
    )


def _confidence(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _queue_filters(data: QueryDict) -> dict[str, Any]:
    """The queue's filters (task, label, confidence range, session, State under review) from a form."""
    session = data.get("session", "").strip()
    return {
        "kind": data.get("kind", ""),
        "label": data.get("label", "").strip(),
        "min_confidence": _confidence(data.get("min")),
        "max_confidence": _confidence(data.get("max")),
        "session": int(session) if session.isdigit() else None,
        "state_iso3": data.get("state", ""),
    }


def _accept_above_threshold(request: HttpRequest) -> None:
    """The queue's bulk decision: every suggestion of the filtered queue above its model's threshold."""
    from hrcoop.recommendations.classification import services

    expected = request.POST.get("expected", "")
    try:
        count = services.accept_above_threshold(
            actor=request.user,
            expected=int(expected) if expected.isdigit() else None,
            **_queue_filters(QueryDict(request.POST.get("query", ""))),
        )
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)d suggestion(s) accepted.") % {"n": count})


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("bulk") == "above-threshold":
        _accept_above_threshold(request)
        return redirect(f"{request.path}?{request.POST.get('query', '')}")
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        single = request.POST.get("one", "")
        decision = request.POST.get("decision", "")
        if single:
            decision, _sep, one = single.partition(":")
            ids = [int(one)] if one.isdigit() else []
        try:
            # Imported here: the services module brings scikit-learn, which every process would
            # otherwise load at start-up just to route URLs (seconds per worker).
            from hrcoop.recommendations.classification import services

            if decision not in ("accept", "reject"):
                raise InvalidInput(_("choose whether to accept or reject the suggestions"), where="decision")
            count = services.review(ids, accept=decision == "accept", actor=request.user)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                (
                    _("%(n)d suggestion(s) accepted.")
                    if decision == "accept"
                    else _("%(n)d suggestion(s) rejected.")
                )
                % {"n": count},
            )
        return redirect(f"{request.path}?{request.POST.get('query', '')}")
    filters = _queue_filters(request.GET)
    try:
        queue = selectors.review_queue(request.user, **filters)
        preview = selectors.bulk_preview(request.user, **filters)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "classification/review.html",
        {
            "page": page,
            "kinds": LabelKind.choices,
            "states": selectors.states_with_open_suggestions(),
            "filters": {
                "kind": filters["kind"],
                "label": filters["label"],
                "min": request.GET.get("min", ""),
                "max": request.GET.get("max", ""),
                "session": request.GET.get("session", "").strip(),
                "state": filters["state_iso3"],
            },
            "query": params.urlencode(),
            "preview": preview,
            "trained": selectors.active_versions().exists(),
        },
    )
