"""Asking for a report or for the open data records one audit event of its declared kind."""

from __future__ import annotations

import pytest

from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role
from hrcoop.reports import services
from hrcoop.reports.actions import ReportAction
from tests.conftest import records_exactly

pytestmark = pytest.mark.django_db


def test_requests_record_one_event_each() -> None:
    desk = User.objects.create_user("desk")
    grant_role(desk, Role.SECRETARIAT, actor=None)
    with records_exactly(ReportAction.BUILD_REQUESTED):
        services.request_build(kind="cooperation", year=2025, language="en", actor=desk)
    with records_exactly(ReportAction.OPEN_DATA_REQUESTED):
        services.request_open_data(actor=desk)
