from django.urls import path

from hrcoop.recommendations import api

urlpatterns = [
    path("recommendations/", api.RecommendationList.as_view(), name="api-recommendations"),
    path("recommendations/facets/", api.FacetCounts.as_view(), name="api-recommendation-facets"),
    path("recommendations/<str:public_id>/", api.RecommendationDetail.as_view(), name="api-recommendation"),
    path(
        "recommendations/<str:public_id>/similar/",
        api.SimilarRecommendations.as_view(),
        name="api-recommendation-similar",
    ),
    path("reference/labels/", api.LabelList.as_view(), name="api-labels"),
]
