"""Importers, one module per source format; ``base`` holds what they share.

``FORMATS`` maps the name used on the command line (``hrcoop import <name>``) to its parser; the one
registry writer in ``hrcoop.recommendations.services.imports`` serves them all.
"""

from __future__ import annotations

from hrcoop.recommendations.importers.base import FormatParser
from hrcoop.recommendations.importers.ohchr_list import OhchrListParser
from hrcoop.recommendations.importers.uhri import UhriParser
from hrcoop.recommendations.importers.upr_info import UprInfoParser

FORMATS: dict[str, FormatParser] = {
    "upr-info": UprInfoParser(),
    "uhri": UhriParser(),
    "ohchr-list": OhchrListParser(),
}
