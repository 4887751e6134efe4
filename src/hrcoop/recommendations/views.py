from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.recommendations.models import Classification
from hrcoop.recommendations.selectors import recommendation_detail


def recommendation_page(request: HttpRequest, public_id: str) -> HttpResponse:
    recommendation = recommendation_detail(public_id)
    classifications = sorted(
        (c for c in recommendation.classifications.all() if c.status == Classification.Status.ACCEPTED),
        key=lambda c: (c.kind, c.label.code),
    )
    return render(
        request,
        "recommendations/detail.html",
        {"recommendation": recommendation, "classifications": classifications},
    )
