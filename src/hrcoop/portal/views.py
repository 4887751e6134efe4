from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.core.models import User
from hrcoop.portal.desk import sections_for
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.selectors import cycle_response_table, kept_per_version, registry_stats
from hrcoop.reference.models import State


def _home_figures() -> dict[str, Any]:
    # Two grouped counts rather than one query joining both sides: the join multiplies rows
    # (received x made per State) and took over a minute on the 41k-record registry.
    through = Recommendation.recommending_states.through
    return {
        "received": dict(
            Recommendation.objects.values_list("state_under_review").annotate(n=Count("id")).order_by()
        ),
        "made": dict(through.objects.values_list("state").annotate(n=Count("recommendation")).order_by()),
        "stats": registry_stats(),
        "cycles": cycle_response_table(),
    }


def home(request: HttpRequest) -> HttpResponse:
    # The figures cover the whole registry (3.7-6 s at a million records): kept per registry version.
    figures = kept_per_version("portal:home", _home_figures)
    states = list(State.objects.select_related("regional_group"))
    for state in states:
        state.received = figures["received"].get(state.pk, 0)  # type: ignore[attr-defined]
        state.made = figures["made"].get(state.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/home.html",
        {"stats": figures["stats"], "cycles": figures["cycles"], "states": states},
    )


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """Where a person lands after signing in: what awaits them in each role they hold."""
    user = request.user
    assert isinstance(user, User)
    return render(request, "portal/desk.html", {"sections": sections_for(user)})


def getting_an_account(request: HttpRequest) -> HttpResponse:
    """Who gives accounts and what to write to them: the site has no self-registration, by design."""
    return render(
        request,
        "portal/getting_an_account.html",
        {"contact": settings.CONTACT_EMAIL, "days": settings.PASSWORD_RESET_TIMEOUT // 86400},
    )
