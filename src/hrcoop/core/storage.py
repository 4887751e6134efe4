"""Sets of files published whole: a new folder is written, then ``<prefix>/CURRENT`` is pointed at it.

The open-data bundle (reports) and the IATI files (funds) are rebuilt while readers download them; a
reader must never get half of one set and half of the next. Writing each set to its own folder and
switching one small pointer file at the end gives that on any Django storage, without locks.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def switch_current(prefix: str, folder: str) -> None:
    """Point ``<prefix>/CURRENT`` at ``folder``, then remove the files of the set it pointed at before."""
    previous = current(prefix)
    name = f"{prefix}/CURRENT"
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(folder.encode()))
    if previous and previous != folder:
        _, files = default_storage.listdir(previous)
        for file in files:
            default_storage.delete(f"{previous}/{file}")


def current(prefix: str) -> str | None:
    """The folder of the set on offer, or None before the first one."""
    name = f"{prefix}/CURRENT"
    if not default_storage.exists(name):
        return None
    with default_storage.open(name) as handle:
        return handle.read().decode().strip() or None
