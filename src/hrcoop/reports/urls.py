"""Page routes of the reports, under the language prefix at ``/reports/``."""

from django.urls import path

from hrcoop.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports_page, name="page"),
    path("builds/<int:pk>/", views.build_page, name="build"),
    path("builds/<int:pk>/publish/", views.publish, name="publish"),
    path("builds/<int:pk>/report.<str:fmt>", views.report_file, name="file"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/rebuild/", views.rebuild_open_data, name="rebuild-open-data"),
    path("open-data/<str:name>", views.open_data_file, name="open-data-file"),
]
