"""The one entry to build a report: its kind, year and language in, the document (and its files) out.

Used by the command line, the background task and the tests alike, so all three build the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrcoop.core.errors import InvalidInput
from hrcoop.reports.builders.cooperation import build_cooperation_report
from hrcoop.reports.builders.country import build_country_profile
from hrcoop.reports.builders.fund_update import DEFAULT_FUND, build_fund_update
from hrcoop.reports.document import Report
from hrcoop.reports.rendering import render_html, render_pdf

KINDS = ("fund-update", "cooperation", "country")
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def check_language(language: str) -> str:
    code = language.lower()
    if code == "zh":
        code = "zh-hans"
    if code not in LANGUAGES:
        raise InvalidInput(
            _("%(language)r is not one of the six UN languages: use %(codes)s")
            % {"language": language, "codes": ", ".join(LANGUAGES)},
            where="lang",
        )
    return code


def build_report(
    kind: str,
    *,
    year: int,
    language: str,
    state: str = "",
    fund: str = DEFAULT_FUND,
    as_of: dt.date | None = None,
) -> Report:
    """Build the report of ``kind`` in ``language``: every text of it, data labels included."""
    language = check_language(language)
    with translation.override(language):
        if kind == "fund-update":
            return build_fund_update(year=year, fund_code=fund)
        if kind == "cooperation":
            return build_cooperation_report(year=year, as_of=as_of)
        if kind == "country":
            if not state:
                raise InvalidInput(
                    _("a country profile needs a State: give its ISO 3166 alpha-3 code"), where="state"
                )
            return build_country_profile(iso3=state, year=year)
    raise InvalidInput(
        _("unknown kind of report %(kind)r: use %(kinds)s") % {"kind": kind, "kinds": ", ".join(KINDS)},
        where="kind",
    )


@dataclass(frozen=True)
class Output:
    html: Path
    pdf: Path
    data_version: str


def file_stem(report: Report) -> str:
    qualifier = report.parameters.get("state") or report.parameters.get("fund") or ""
    parts = [report.kind, str(report.year), *([qualifier] if qualifier else []), report.language]
    return "-".join(parts)


def write_report(report: Report, out_dir: Path, *, built_on: dt.date | None = None) -> Output:
    """Write ``<kind>-<year>[-<state|fund>]-<lang>.html`` and ``.pdf`` into ``out_dir``."""
    built_on = built_on or timezone.localdate()
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(report, built_on=built_on)
    stem = file_stem(report)
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(html))
    return Output(html=html_path, pdf=pdf_path, data_version=report.data_version())
