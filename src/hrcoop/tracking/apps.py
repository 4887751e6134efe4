from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "hrcoop.tracking"
    label = "tracking"
