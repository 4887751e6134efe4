from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "hrcoop.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from hrcoop.recommendations import reference_cache

        reference_cache.connect()
