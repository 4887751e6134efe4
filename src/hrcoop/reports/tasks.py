"""Background tasks: build a report the secretariat asked for on the site; rebuild the open-data bundle."""

from __future__ import annotations

from django_tasks import task

from hrcoop.reports import opendata, services


@task()
def build_report_files(build_id: int) -> str:
    return services.run_build(build_id).status


@task()
def rebuild_open_data() -> int:
    """Rebuild the open-data bundle (run it daily: ``hrcoop open-data``, or from the site)."""
    return len(opendata.build_bundle()["resources"])
