from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "hrcoop.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self) -> None:
        from hrcoop.reference import versions

        versions.subscribe()
