from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "hrcoop.cooperation"
    label = "cooperation"
