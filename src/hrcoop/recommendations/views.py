from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hrcoop.recommendations.selectors import recommendation_detail, record_history


def recommendation_page(request: HttpRequest, public_id: str) -> HttpResponse:
    recommendation = recommendation_detail(public_id)
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "classifications": recommendation.accepted_classifications,
            "history": record_history(recommendation),
        },
    )
