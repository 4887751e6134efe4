"""Background tasks of the registry: its whole-registry figures, recomputed after each change."""

from __future__ import annotations

from django_tasks import task

from hrcoop.recommendations import figures


@task()
def refresh_registry_figures() -> list[str]:
    """Recompute the kept figures older than the records; returns the names recomputed."""
    return figures.refresh_stale()
