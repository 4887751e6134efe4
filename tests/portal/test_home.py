from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_lists_states_and_is_translatable(reference_data: None, client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Ivoire" in response.content.decode()
    arabic = client.get("/ar/")
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.content.decode()
