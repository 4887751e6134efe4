from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "hrcoop.funds"
    label = "funds"

    def ready(self) -> None:
        """The daily integrity task checks the books beside the audit chain (``core.integrity``)."""
        from hrcoop.core.integrity import register_check
        from hrcoop.funds.selectors import books_problems

        register_check("funds", books_problems)
