from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrcoop.core"
    label = "core"
    verbose_name = "Core"
