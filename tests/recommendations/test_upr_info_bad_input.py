"""Bad input: each gets one clear error naming file, row and column, and leaves the database unchanged."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from hrcoop.core.errors import ImportFailed
from hrcoop.core.models import AuditEvent
from hrcoop.recommendations.models import Classification, ImportRun, Recommendation
from hrcoop.recommendations.services.imports import import_files
from hrcoop.recommendations.services.writer import BATCH_SIZE
from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2018

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Recommendation, Classification, ImportRun, AuditEvent))


def rejected(path: Path, *, batch_size: int = BATCH_SIZE) -> ImportFailed:
    """Import ``path`` after a good file; the error is returned and nothing of the bad file stays."""
    before = snapshot()
    with pytest.raises(ImportFailed) as info:
        import_files([path], format_name="upr-info", actor=None, batch_size=batch_size)
    assert snapshot() == before
    assert info.value.file == str(path)
    return info.value


@pytest.fixture
def good(reference_data: None, tmp_path: Path) -> None:
    import_files([write_2018(tmp_path / "good.csv")], format_name="upr-info", actor=None)


def with_row(row: tuple[str, ...]) -> Callable[[Path], Path]:
    return lambda path: write_2018(path, [*ROWS_2018, row])


def test_empty_file(good: None, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "the file is empty" in str(rejected(path))


def test_header_only(good: None, tmp_path: Path) -> None:
    assert "no recommendation rows" in str(rejected(write_2018(tmp_path / "header.csv", [])))


def test_wrong_header(good: None, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,name,value\n1,a,b\n", encoding="utf-8")
    error = rejected(path)
    assert error.row == 1
    assert "not a UPR Info export: the header is 'id,name,value'" in str(error)


def test_wrong_encoding(good: None, tmp_path: Path) -> None:
    """A 2018 export (UTF-8) saved as Windows-1252: "Côte" has a byte UTF-8 cannot read."""
    error = rejected(write_2018(tmp_path / "cp1252.csv", ROWS_2018, encoding="cp1252"))
    assert (error.row, error.column) == (5, "SuR")
    assert "byte 0xf4 is not valid UTF-8-SIG" in str(error)


def test_utf16(good: None, tmp_path: Path) -> None:
    error = rejected(write_2018(tmp_path / "utf16.csv", ROWS_2018, encoding="utf-16"))
    assert "encoded as UTF-16" in str(error)


def test_truncated_gzip(good: None, tmp_path: Path) -> None:
    rows = [
        ("Kenya", f"Recommendation number {n} " + "x" * 200, "Ghana", "Supported", "4", "General", "21")
        for n in range(3000)
    ]
    data = gzip.compress(write_2018(tmp_path / "big.csv", rows).read_bytes())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    error = rejected(path)
    assert "gzip file is truncated" in str(error)
    assert error.row is not None and error.row > 1  # rows before the cut were read, and rolled back


def test_unknown_state(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Atlantis", "Do something", "Ghana", "Supported", "4", "General", "21"))(
            tmp_path / "state.csv"
        )
    )
    assert (error.row, error.column) == (7, "SuR")
    assert "unknown State 'Atlantis'" in str(error)


def test_unknown_recommending_state(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Kenya", "Do something", "Narnia", "Supported", "4", "General", "21"))(
            tmp_path / "from.csv"
        )
    )
    assert (error.row, error.column) == (7, "RS")
    assert "'Narnia'" in str(error)


def test_unknown_issue_label(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Kenya", "Do something", "Ghana", "Supported", "4", "General, Space law", "21"))(
            tmp_path / "issue.csv"
        )
    )
    assert (error.row, error.column) == (7, "Issue")
    assert "unknown issue 'Space law'" in str(error) and "--new-labels" in str(error)


def test_unknown_response_and_action(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Kenya", "Do something", "Ghana", "Rejected", "4", "General", "21"))(
            tmp_path / "response.csv"
        )
    )
    assert (error.row, error.column) == (7, "Response") and "unknown response 'Rejected'" in str(error)
    error = rejected(
        with_row(("Kenya", "Do something", "Ghana", "Noted", "7", "General", "21"))(tmp_path / "action.csv")
    )
    assert (error.row, error.column) == (7, "Action") and "unknown action category '7'" in str(error)


def test_ten_megabyte_field(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Kenya", "x" * 10_000_000, "Ghana", "Supported", "4", "General", "21"))(
            tmp_path / "huge.csv"
        )
    )
    assert (error.row, error.column) == (7, "Recommendation")
    assert "field of 10,000,000 characters" in str(error)


def test_binary_file(good: None, tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert "binary file" in str(rejected(path))


def test_spreadsheet_instead_of_csv(good: None, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x14\x00" * 100)
    assert "ZIP container" in str(rejected(path))


def test_missing_file(good: None, tmp_path: Path) -> None:
    assert "no such file" in str(rejected(tmp_path / "nowhere.csv"))


def test_failure_late_in_a_large_file_rolls_back_earlier_batches(good: None, tmp_path: Path) -> None:
    error = rejected(
        with_row(("Kenya", "Do something", "Ghana", "Supported", "4", "General", "99"))(
            tmp_path / "late.csv"
        ),
        batch_size=2,
    )
    assert (error.row, error.column) == (7, "Session") and "unknown UPR session 99" in str(error)


def test_a_bad_file_leaves_the_good_files_of_its_run_unimported(reference_data: None, tmp_path: Path) -> None:
    """All or nothing per run: the files of one export only make sense together."""
    bad = tmp_path / "empty.csv"
    bad.write_bytes(b"")
    with pytest.raises(ImportFailed) as info:
        import_files([write_2018(tmp_path / "ok.csv"), bad], format_name="upr-info", actor=None)
    assert info.value.file == str(bad)
    assert ImportRun.objects.count() == 0 and Recommendation.objects.count() == 0
