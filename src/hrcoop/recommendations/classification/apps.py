from django.apps import AppConfig


class ClassificationConfig(AppConfig):
    name = "hrcoop.recommendations.classification"
    label = "classification"
    verbose_name = "Classification models"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hrcoop.recommendations.classification import events

        events.subscribe()
