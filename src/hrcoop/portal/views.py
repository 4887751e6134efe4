from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.selectors import cycle_response_table, registry_stats
from hrcoop.reference.models import State


def home(request: HttpRequest) -> HttpResponse:
    # Two grouped counts rather than one query joining both sides: the join multiplies rows
    # (received x made per State) and took over a minute on the 41k-record registry.
    received = dict(
        Recommendation.objects.values_list("state_under_review").annotate(n=Count("id")).order_by()
    )
    through = Recommendation.recommending_states.through
    made = dict(through.objects.values_list("state").annotate(n=Count("recommendation")).order_by())
    states = list(State.objects.select_related("regional_group"))
    for state in states:
        state.received = received.get(state.pk, 0)  # type: ignore[attr-defined]
        state.made = made.get(state.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/home.html",
        {"stats": registry_stats(), "cycles": cycle_response_table(), "states": states},
    )
