from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.recommendations.selectors import cycle_response_table, registry_stats
from hrcoop.reference.models import State


def home(request: HttpRequest) -> HttpResponse:
    states = State.objects.select_related("regional_group").annotate(
        received=Count("recommendations_received", distinct=True),
        made=Count("recommendations_made", distinct=True),
    )
    return render(
        request,
        "portal/home.html",
        {
            "stats": registry_stats(),
            "cycles": cycle_response_table(),
            "states": states,
            "reviewed": states.filter(~Q(received=0)).count(),
        },
    )
