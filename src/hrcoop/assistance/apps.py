from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "hrcoop.assistance"
    label = "assistance"
