"""hrcoop's own localisation formats (``FORMAT_MODULE_PATH``), where Django's differ from the CLDR
(Unicode's locale data, as Babel ships it) or from UN practice; every other format is Django's.

- English: dates as the UN writes them, "6 December 2026" (Django's default is "Dec. 6, 2026").
- Arabic and Chinese: numbers grouped by three with "," and a "." decimal mark, as the CLDR has it
  (Django groups neither).
"""
