"""``hrcoop import upr-info`` and ``hrcoop stats --json`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers.base import ParsedRecommendation
from hrcoop.recommendations.models import Label, LabelKind, Recommendation, Response
from hrcoop.recommendations.services.resolver import Resolver
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


def test_new_labels_of_a_later_export_are_added_only_when_asked(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A later export may bring issues the vocabulary does not know: stop and name it, or with
    ``--new-labels`` add it, list it in the report, and know it from then on."""
    rows = [("Kenya", "Regulate space debris", "Ghana", "Supported", "5", "General, Space law", "21")]
    path = str(write_2018(tmp_path / "later.csv", rows))
    code, _, err = run_cli(capsys, "import", "upr-info", path)
    assert code == 2 and "row 2, column 'Issue': unknown issue 'Space law'" in err
    assert not Label.objects.filter(name="Space law").exists()

    code, out, _ = run_cli(capsys, "import", "upr-info", path, "--new-labels", "--dry-run")
    assert code == 0 and json.loads(out)[0]["labels_added"] == [
        {"kind": "issue", "code": "space-law", "name": "Space law", "row": 2}
    ]
    assert not Label.objects.filter(name="Space law").exists()  # a dry run writes nothing

    code, out, _ = run_cli(capsys, "import", "upr-info", path, "--new-labels")
    assert code == 0 and [a["code"] for a in json.loads(out)[0]["labels_added"]] == ["space-law"]
    record = Recommendation.objects.get(text="Regulate space debris")
    issues = set(record.classifications.filter(kind="issue").values_list("label__code", flat=True))
    assert issues == {"general", "space-law"}

    again = str(write_2018(tmp_path / "again.csv", [(*rows[0][:1], "Launch nothing", *rows[0][2:])]))
    code, out, _ = run_cli(capsys, "import", "upr-info", again)  # known now, without the flag
    assert code == 0 and json.loads(out)[0]["labels_added"] == []


@pytest.mark.parametrize("kind", [LabelKind.ACTION_CATEGORY, LabelKind.SDG_GOAL, LabelKind.SDG_TARGET])
def test_new_labels_never_extend_a_fixed_scale(reference_data: None, kind: LabelKind) -> None:
    item = ParsedRecommendation(
        row=2, state_under_review="Kenya", text="Do something", response=Response.NOTED, labels=[(kind, "99")]
    )
    with pytest.raises(ImportFailed, match=r"not in the vocabulary$"):
        Resolver("a.csv", new_labels=True).entry(item)
    assert not Label.objects.filter(kind=kind, code="99").exists()
