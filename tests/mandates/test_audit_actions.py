"""Importing a resolution records that it was imported, or updated when its text changed (nothing when
it did not); recording the document that fulfils a mandate records one event."""

from __future__ import annotations

import pytest

from hrcoop.mandates.actions import MandateAction
from hrcoop.mandates.models import Mandate
from hrcoop.mandates.services import fulfil_mandate, import_resolution_text
from tests.conftest import records_exactly
from tests.mandates.test_import import CITING_TEXT

pytestmark = pytest.mark.django_db


def test_an_import_and_a_fulfilment_record_one_event_each() -> None:
    with records_exactly(MandateAction.RESOLUTION_IMPORTED):
        import_resolution_text(CITING_TEXT, source="citing.txt", actor=None)
    with records_exactly():  # the same text again: nothing changed, nothing recorded
        import_resolution_text(CITING_TEXT, source="citing.txt", actor=None)
    amended = CITING_TEXT.replace("Recalling its resolution", "Recalling also its resolution")
    with records_exactly(MandateAction.RESOLUTION_UPDATED):
        import_resolution_text(amended, source="citing-amended.txt", actor=None)
    with records_exactly(MandateAction.MANDATE_FULFILLED):
        fulfil_mandate(Mandate.objects.first(), document_symbol="A/66/285", actor=None)  # type: ignore[arg-type]
