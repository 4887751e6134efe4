from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hrcoop.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from hrcoop.core import checks, openapi  # noqa: F401  (register deployment checks, schema extensions)
        from hrcoop.core.audit import discover_actions

        discover_actions()
