from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hrcoop.reports"
    label = "reports"
