"""The ``hrcoop`` command: our own commands, and every Django management command passed through.

``hrcoop init``, ``hrcoop import upr-info FILE...``, ``hrcoop stats --json`` and the others are thin
fronts over the services of each app; each app contributes its commands in its own ``cli.py``.
Anything else (``hrcoop migrate``, ``hrcoop runserver``, ``hrcoop shell``) goes to Django.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from typing import Any, cast

import typer

# Command name -> "module:attribute" of a Typer app or a function, imported after Django is set up.
COMMANDS: dict[str, str] = {
    "init": "hrcoop.demo.cli:init",
    "reference": "hrcoop.reference.cli:app",
    "import": "hrcoop.recommendations.cli:import_app",
    "stats": "hrcoop.recommendations.cli:stats",
    "search": "hrcoop.recommendations.search.cli:app",
    "assistance": "hrcoop.assistance.cli:app",
    "mandates": "hrcoop.mandates.cli:app",
    "export": "hrcoop.funds.cli:export_app",
    "funds": "hrcoop.funds.cli:funds_app",
    "classify": "hrcoop.recommendations.classification.cli:app",
    "tracking": "hrcoop.tracking.cli:app",
    "report": "hrcoop.reports.cli:report",
    "open-data": "hrcoop.reports.cli:open_data",
    "cooperation": "hrcoop.cooperation.cli:app",
    "audit": "hrcoop.core.cli:audit_app",
    "tokens": "hrcoop.core.cli:tokens_app",
    "dump": "hrcoop.core.cli:dump",
    "restore": "hrcoop.core.cli:restore",
    "demo": "hrcoop.demo.cli:app",
    "consultations": "hrcoop.consultations.cli:app",
}


def _load(target: str) -> object:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def build_app() -> typer.Typer:
    app = typer.Typer(
        no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, help=__doc__
    )
    for name, target in COMMANDS.items():
        obj = _load(target)
        if isinstance(obj, typer.Typer):
            app.add_typer(obj, name=name)
        else:
            app.command(name)(cast(Callable[..., Any], obj))
    return app


def summary(obj: object) -> str:
    """The one line that describes a command: its Typer app's help or its function's docstring."""
    text = obj.info.help if isinstance(obj, typer.Typer) else getattr(obj, "__doc__", None)
    lines = str(text).strip().splitlines() if isinstance(text, str) else []
    return lines[0] if lines else ""


def usage() -> str:
    """What ``hrcoop``, ``hrcoop --help`` and ``hrcoop help`` print: our commands first, each with its
    one line, then the word that Django's are passed through. Django's own listing, printed before,
    named only its commands and none of ours."""
    from django.utils.translation import gettext as _

    width = max(map(len, COMMANDS))
    return "\n".join(
        [
            _("Usage: hrcoop COMMAND [ARGS]..."),
            "",
            _("Commands (hrcoop COMMAND --help says more):"),
            *(f"  {name:<{width}}  {summary(_load(target))}" for name, target in COMMANDS.items()),
            "",
            _(
                "Any Django management command is passed through, e.g. hrcoop migrate, hrcoop "
                "runserver, hrcoop shell: hrcoop help --commands lists them, hrcoop help COMMAND "
                "explains one."
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
    import django

    django.setup()
    if args in ([], ["-h"], ["--help"], ["help"]):
        print(usage())
        return
    if args and args[0] in COMMANDS:
        from hrcoop.core.cli import run_typer

        run_typer(build_app(), args)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hrcoop", *args])


if __name__ == "__main__":
    main()
