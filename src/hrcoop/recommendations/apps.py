from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "hrcoop.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"
