"""Background tasks of the funds: publish the IATI files the site offers (daily, or when asked)."""

from __future__ import annotations

from django_tasks import task

from hrcoop.funds import iati


@task()
def publish_iati() -> int:
    """Build, validate and offer the IATI files on /funds/; returns how many files are on offer."""
    return len(iati.publish(schema_dir=iati.site_schemas())["files"])
