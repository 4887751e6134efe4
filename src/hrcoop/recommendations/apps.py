from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "hrcoop.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from hrcoop.recommendations import registry_version

        registry_version.subscribe()
