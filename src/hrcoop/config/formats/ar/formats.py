"""Arabic: dates as "6 ديسمبر 2026"; numbers grouped by three with "," and a "." decimal mark, as the
Unicode CLDR writes Arabic with Latin digits (Django groups none). Both marks are bidirectional "common
separators", so a grouped number stays one number on a right-to-left page."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
