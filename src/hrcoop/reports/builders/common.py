"""What every builder needs: the bounds of a report year and the words for labels the registry keeps
only in English."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext_lazy as _

from hrcoop.core.errors import InvalidInput

# The registry names regional groups in English only; the reports give them in the report's language.
REGIONAL_GROUP_NAMES = {
    "AFRICAN": _("African States"),
    "APG": _("Asia-Pacific States"),
    "EEG": _("Eastern European States"),
    "GRULAC": _("Latin American and Caribbean States"),
    "WEOG": _("Western European and other States"),
    "": _("No regional group"),
}

FIRST_YEAR = 2006  # the Council's first year: nothing a report covers is older


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= 2100:
        raise InvalidInput(
            _("%(year)s is not a report year: give a year from %(first)s on")
            % {"year": year, "first": FIRST_YEAR},
            where="year",
        )
    return year


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January, next 1 January) of ``year`` in the time zone of the Office (``TIME_ZONE``).

    A request submitted at 00:30 on 1 January in Geneva belongs to the new year, as the register shows it.
    """
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def group_name(code: str | None) -> str:
    return str(REGIONAL_GROUP_NAMES.get(code or "", code or ""))


def in_english(name: str) -> str:
    """A name the registers hold in English only, set inside a sentence of the report's language.

    On a right-to-left page it goes between Unicode direction isolates (FSI ... PDI): without them the
    bidirectional algorithm reorders its words and punctuation with the Arabic around it (a resolution's
    quoted title came out with its quotes and the sentence's full stop in the wrong places).
    """
    return f"\u2068{name}\u2069" if get_language_bidi() else name
