from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "hrcoop.recommendations.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from hrcoop.recommendations.search import events

        events.subscribe()
