"""Report builders: pure functions of the data that return a ``document.Report`` (docs/reports.md).

One module per report (``fund_update``, ``cooperation``, ``country``); the figures two reports share
live in ``registry`` (recommendations) and ``assistance`` (requests and their clocks); sections drawn
from the tracker, cooperation and calls for inputs live in ``elsewhere``.
"""
