from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "hrcoop.reference"
    label = "reference"
    verbose_name = "Reference data"
