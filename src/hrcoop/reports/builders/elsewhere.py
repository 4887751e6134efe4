"""Sections drawn from the apps below reports: the tracker, cooperation and calls for inputs.

Each section asks one selector of the app that owns the data for its figures and says "no data yet",
with the reason, when there are none: a report never invents a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from hrcoop.consultations.selectors import contributions_to_report
from hrcoop.cooperation.selectors import cooperation_by_modality
from hrcoop.reports.document import Section, Table
from hrcoop.tracking.selectors import implementation_progress


def _counted_section(
    *,
    key: str,
    title: str,
    rows_of: Callable[..., Sequence[Sequence[Any]]],
    columns: list[str],
    methods: str,
    empty: str,
    **kwargs: Any,
) -> Section:
    section = Section(key=key, title=title)
    rows = rows_of(**kwargs)
    if not rows:
        section.no_data = empty
        return section
    section.tables.append(
        Table(key=key, caption=title, columns=columns, rows=[list(row) for row in rows], methods=methods)
    )
    return section


def cooperation_section(*, year: int, state_iso3: str | None = None) -> Section:
    return _counted_section(
        key="cooperation_by_modality",
        title=_("Cooperation by modality: North-South, South-South and triangular"),
        rows_of=cooperation_by_modality,
        columns=[_("Modality"), _("Cooperation records")],
        methods=_("Public cooperation records that started during the year, counted by modality."),
        empty=_("No data yet: no public cooperation record started in %(year)s.") % {"year": year},
        year=year,
        state_iso3=state_iso3,
    )


def progress_section(*, state_iso3: str, year: int) -> Section:
    return _counted_section(
        key="implementation_progress",
        title=_("Published implementation progress"),
        rows_of=implementation_progress,
        columns=[_("Progress"), _("Recommendations")],
        methods=_(
            "Recommendations by the progress the State has published for them, at the end of the year."
        ),
        empty=_("No data yet: the State has published no implementation progress by the end of %(year)s.")
        % {"year": year},
        state_iso3=state_iso3,
        year=year,
    )


def contributions_annex(*, year: int, resolution_id: int | None) -> Section:
    """The calls for inputs that serve a mandate of the report's resolution (none without one)."""
    if resolution_id is None:
        section = Section(key="contributions_received", title=_("Contributions received"))
        section.no_data = _("No contribution to the call for inputs for %(year)s has been published.") % {
            "year": year
        }
        return section
    return _counted_section(
        key="contributions_received",
        title=_("Contributions received"),
        rows_of=contributions_to_report,
        columns=[_("Contributor"), _("Kind"), _("Text")],
        methods=_("Contributions published in answer to the call for inputs to this report."),
        empty=_("No contribution to the call for inputs for %(year)s has been published.") % {"year": year},
        year=year,
        resolution_id=resolution_id,
    )
