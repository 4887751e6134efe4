"""Number formats where Django's own leave large numbers ungrouped (``FORMAT_MODULE_PATH``).

Django looks here first and falls back to its own module of the language for every name not set here,
so each file holds only what it changes. Reports, ledgers and statistics write amounts with the
thousands grouped in every UN language (``number_format(..., force_grouping=True)``); Django's Arabic
module sets no grouping and its Chinese one an empty separator, which printed "5000000" in both.
"""
