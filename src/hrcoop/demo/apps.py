from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hrcoop.demo"
    label = "demo"
