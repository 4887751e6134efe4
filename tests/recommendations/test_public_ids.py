"""A record's public id does not depend on import history (issue 18, Imports 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db

TEXT = "Abolish the death penalty"


def row(response: str, by: str = "Ghana") -> tuple[str, ...]:
    return ("Kenya", TEXT, by, response, "5", "Death penalty", "21")


def ids_after(tmp_path: Path, *exports: list[tuple[str, ...]]) -> dict[str, str]:
    """Import the exports in order on a registry as it was; the public ids by response, then undo."""
    with transaction.atomic():
        for number, rows in enumerate(exports):
            import_files([write_2018(tmp_path / f"{number}.csv", rows)], format_name="upr-info", actor=None)
        ids = dict(Recommendation.objects.values_list("response", "public_id"))
        transaction.set_rollback(True)
    return ids


def test_pending_then_answered_has_the_id_of_answered_at_once(reference_data: None, tmp_path: Path) -> None:
    later = ids_after(tmp_path, [row("")], [row("Supported")])
    at_once = ids_after(tmp_path, [row("Supported")])
    pending = ids_after(tmp_path, [row("")])
    assert later == at_once == {"supported": pending["pending"]}


def test_a_text_answered_in_two_ways_gets_two_ids_and_the_first_is_stable(
    reference_data: None, tmp_path: Path
) -> None:
    split = ids_after(tmp_path, [row("Supported"), row("Noted", by="Norway")])
    assert len(set(split.values())) == 2
    assert split["supported"] == ids_after(tmp_path, [row("Supported")])["supported"]
    assert split["noted"] != ids_after(tmp_path, [row("Noted")])["noted"]  # the second takes the other id
