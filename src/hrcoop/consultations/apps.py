from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "hrcoop.consultations"
    label = "consultations"
