"""Resolutions as data, without Django: text in, structure out.

The parsing core is pure Python so that it is fast (see ``bench/parse_resolutions.py``) and can be
tested on thousands of mutated texts without a database. ``parse_resolution`` reads one resolution or
draft; ``split_session_report`` cuts a Council session report into its resolutions and decisions.
"""

from hrcoop.mandates.parsing.splitter import ReportPart, parse_document, split_session_report
from hrcoop.mandates.parsing.structure import (
    Footnote,
    NotAResolution,
    Paragraph,
    ParsedResolution,
    Sponsor,
    SubParagraph,
    parse_resolution,
)

__all__ = [
    "Footnote",
    "NotAResolution",
    "Paragraph",
    "ParsedResolution",
    "ReportPart",
    "Sponsor",
    "SubParagraph",
    "parse_document",
    "parse_resolution",
    "split_session_report",
]
