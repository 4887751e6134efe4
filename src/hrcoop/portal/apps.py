from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "hrcoop.portal"
    label = "portal"
