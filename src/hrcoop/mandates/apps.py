from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "hrcoop.mandates"
    label = "mandates"
