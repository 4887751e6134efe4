from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "hrcoop.funds"
    label = "funds"
