"""A demo user is recorded as made by the demo, after the role it holds."""

from __future__ import annotations

import pytest

from hrcoop.core.actions import CoreAction
from hrcoop.core.models import Role
from hrcoop.demo.actions import DemoAction
from hrcoop.demo.workspace import demo_user
from tests.conftest import records_exactly

pytestmark = pytest.mark.django_db


def test_a_demo_user_records_its_role_then_itself(reference_data: None) -> None:
    with records_exactly(CoreAction.ROLE_GRANTED, DemoAction.USER_CREATED):
        demo_user("demo-someone", "Someone", Role.STATE_FOCAL_POINT, ["SVN"], [])
