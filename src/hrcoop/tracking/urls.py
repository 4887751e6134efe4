"""Page routes of implementation trackers, under the language prefix at ``/tracking/``."""

from django.urls import path

from hrcoop.tracking import exchange_views, views

app_name = "tracking"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/clusters/", views.suggestions, name="suggestions"),
    path("plans/<int:plan_id>/export.<str:extension>", exchange_views.export, name="export"),
    path("plans/<int:plan_id>/import/", exchange_views.import_tracker, name="import"),
    path("plans/<int:plan_id>/mid-term-report/", exchange_views.report, name="report"),
    path("plans/<int:plan_id>/mid-term-report.pdf", exchange_views.report_pdf, name="report-pdf"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("states/<str:iso3>/", views.state_progress, name="state"),
]
