from django.urls import path

from hrcoop.reference import api

urlpatterns = [
    path("states/", api.StateList.as_view(), name="api-states"),
    path("states/<str:iso3>/", api.StateDetail.as_view(), name="api-state"),
    path("reference/regional-groups/", api.RegionalGroupList.as_view(), name="api-regional-groups"),
    path("reference/organisations/", api.OrganisationList.as_view(), name="api-organisations"),
    path("reference/mechanisms/", api.MechanismList.as_view(), name="api-mechanisms"),
    path("reference/cycles/", api.CycleList.as_view(), name="api-cycles"),
    path("reference/sessions/", api.SessionList.as_view(), name="api-sessions"),
]
