"""``hrcoop import upr-info`` and ``hrcoop stats --json`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hrcoop.recommendations.models import Recommendation
from tests.conftest import run_cli
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db


def test_dry_run_then_import_then_stats(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_2018(tmp_path / "upr.csv"))
    code, out, _ = run_cli(capsys, "import", "upr-info", path, "--dry-run")
    assert code == 0 and json.loads(out)[0]["records_created"] == 4
    assert not Recommendation.objects.exists()

    code, out, _ = run_cli(capsys, "import", "upr-info", path)
    assert code == 0 and json.loads(out)[0]["records_created"] == 4

    code, out, _ = run_cli(capsys, "stats", "--json")
    stats = json.loads(out)
    assert code == 0
    assert stats["recommendations"] == 4 and stats["states_under_review"] == 2
    assert stats["by_response"] == {
        "supported": 2,
        "supported_in_part": 0,
        "noted": 2,
        "pending": 0,
        "voluntary_pledge": 0,
    }
    assert stats["by_action_category"] == {"1": 0, "2": 1, "3": 1, "4": 0, "5": 2}
    assert stats["by_cycle"] == {"2": 4}


def test_a_bad_file_is_one_line_on_stderr(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = run_cli(capsys, "import", "upr-info", str(empty))
    assert code == 2 and out == ""
    assert (
        err.strip()
        == f"error: {empty}: the file is empty: expected a header row and at least one recommendation"
    )
