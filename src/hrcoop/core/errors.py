"""Domain errors: what went wrong, said so that a person can act on it.

Services raise these; the API maps them to one JSON error shape (see ``hrcoop.core.api``), pages show
the message, the CLI prints it and exits non-zero. ``where`` names the place (a field, or
``file:row:column`` for an import) so that the message points at what to fix.

Language: a message that a page can show is written with ``gettext`` at the raise site, one sentence
per msgid with named placeholders (``_("... %(total)s ...") % {"total": total}``), so it comes out in
the language the request activated: a page's (``/fr/...``), English for the API (no language prefix)
and for the command line (no language active). ``where`` is a code (a field name) and stays as it is.
The importers, parsers and commands (``*/cli.py``, ``recommendations.services.imports``, ``funds.iati``,
``mandates.parsing``) raise plain English on purpose: operators read them in a terminal and in reports.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a person can act on. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class InvalidInput(DomainError):
    """The input is malformed or out of range."""


class Forbidden(DomainError):
    """The actor's role does not allow the action."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The action does not fit the current state (a workflow step out of order, a lost race)."""

    status = 409
    code = "conflict"


class ImportFailed(DomainError):
    """An import file was rejected; ``where`` is ``file``, ``file:row`` or ``file:row:column``."""

    code = "import_failed"

    def __init__(self, message: str, *, file: str, row: int | None = None, column: str | None = None) -> None:
        parts = [file]
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column!r}")
        super().__init__(message, where=", ".join(parts))
        self.file = file
        self.row = row
        self.column = column
