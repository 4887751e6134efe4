"""Sections drawn from apps that other branches build: ``tracking``, ``cooperation`` and calls for inputs.

Each section asks one function for its figures, named in ``PROVIDERS`` as "module:function". Until the
app that provides it is installed and the name is wired here, the section says "no data yet" and why;
a report never invents a figure. The contract of each function (what it is called with, what it must
return) is written beside its name; docs/reports.md repeats it for whoever wires it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from hrcoop.reports.document import Section, Table

# name -> (the Django app that owns the data, "module:function" or "" while not yet wired)
PROVIDERS: dict[str, tuple[str, str]] = {
    # cooperation_by_modality(*, year: int, state_iso3: str | None) -> list[tuple[str, int]]
    #   Public cooperation records that started in ``year`` (of one State, as provider or beneficiary,
    #   when ``state_iso3`` is given), counted by modality: [(modality label in the active language,
    #   count), ...] in the order North-South, South-South, triangular; [] when there are none.
    "cooperation_by_modality": ("hrcoop.cooperation", "hrcoop.cooperation.selectors:cooperation_by_modality"),
    # implementation_progress(*, state_iso3: str, year: int) -> list[tuple[str, int]]
    #   The State's *published* implementation progress at the end of ``year``: [(progress status label
    #   in the active language, number of recommendations), ...] in the tracker's order; [] if none.
    "implementation_progress": ("hrcoop.tracking", "hrcoop.tracking.selectors:implementation_progress"),
    # contributions_received(*, year: int, resolution_id: int) -> list[tuple[str, str, str]]
    #   Published contributions to the calls for inputs of the report of ``year`` on that resolution:
    #   [(contributor, kind of contributor in the active language, link to the text), ...].
    "contributions_received": (
        "hrcoop.consultations",
        "hrcoop.consultations.selectors:contributions_to_report",
    ),
}


def provider(name: str) -> Callable[..., Any] | None:
    app, target = PROVIDERS[name]
    if not target or not apps.is_installed(app):
        return None
    module_name, _sep, attribute = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), attribute)
    return function


def _counted_section(
    *,
    key: str,
    title: str,
    name: str,
    columns: list[str],
    methods: str,
    missing: str,
    empty: str,
    **kwargs: Any,
) -> Section:
    section = Section(key=key, title=title)
    function = provider(name)
    if function is None:
        section.no_data = missing
        return section
    rows = function(**kwargs)
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
        name="cooperation_by_modality",
        columns=[_("Modality"), _("Cooperation records")],
        methods=_("Public cooperation records that started during the year, counted by modality."),
        missing=_(
            "No data yet: the register of offers, matches and cooperation records is not part of this "
            "deployment yet, so cooperation by modality cannot be counted."
        ),
        empty=_("No data yet: no public cooperation record started in %(year)s.") % {"year": year},
        year=year,
        state_iso3=state_iso3,
    )


def progress_section(*, state_iso3: str, year: int) -> Section:
    return _counted_section(
        key="implementation_progress",
        title=_("Published implementation progress"),
        name="implementation_progress",
        columns=[_("Progress"), _("Recommendations")],
        methods=_(
            "Recommendations by the progress the State has published for them, at the end of the year."
        ),
        missing=_(
            "No data yet: the implementation tracker is not part of this deployment yet, so the State's "
            "published progress cannot be shown."
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
        name="contributions_received",
        columns=[_("Contributor"), _("Kind"), _("Text")],
        methods=_("Contributions published in answer to the call for inputs to this report."),
        missing=_(
            "No data yet: calls for inputs are not part of this deployment yet, so the contributions "
            "received cannot be listed."
        ),
        empty=_("No contribution to the call for inputs for %(year)s has been published.") % {"year": year},
        year=year,
        resolution_id=resolution_id,
    )
