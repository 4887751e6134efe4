"""Chinese: decimal point and thousands comma grouped by three, as the Unicode CLDR writes zh numbers
(Django's module groups by four with an empty separator, i.e. not at all)."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
