from django.urls import path

from hrcoop.mandates import views

app_name = "mandates"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("resolutions/", views.resolution_list, name="resolutions"),
    path("resolutions/<int:pk>/", views.resolution_page, name="resolution"),
    path("mandate/<int:pk>/", views.mandate_page, name="mandate"),
    path("citations/", views.citation_graph, name="citations"),
]
