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
    path("states/", api.StateList.as_view(), name="api-states"),
    path("states/<str:iso3>/", api.StateDetail.as_view(), name="api-state"),
    path("reference/regional-groups/", api.RegionalGroupList.as_view(), name="api-regional-groups"),
    path("reference/organisations/", api.OrganisationList.as_view(), name="api-organisations"),
    path("reference/mechanisms/", api.MechanismList.as_view(), name="api-mechanisms"),
    path("reference/cycles/", api.CycleList.as_view(), name="api-cycles"),
    path("reference/sessions/", api.SessionList.as_view(), name="api-sessions"),
    path("reference/labels/", api.LabelList.as_view(), name="api-labels"),
]
