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
    "init": "hrcoop.reference.cli:init",
    "reference": "hrcoop.reference.cli:app",
    "import": "hrcoop.recommendations.cli:import_app",
    "stats": "hrcoop.recommendations.cli:stats",
    "search": "hrcoop.recommendations.search.cli:app",
    "assistance": "hrcoop.assistance.cli:app",
    "mandates": "hrcoop.mandates.cli:app",
    "export": "hrcoop.funds.cli:export_app",
    "classify": "hrcoop.recommendations.classification.cli:app",
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


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
    import django

    django.setup()
    if args and args[0] in COMMANDS:
        from hrcoop.core.cli import run_typer

        run_typer(build_app(), args)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hrcoop", *args])


if __name__ == "__main__":
    main()
