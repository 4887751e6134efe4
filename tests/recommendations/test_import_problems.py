"""A run reports every problem of every file at once; ``--skip-invalid`` imports the rest, and its
rejects file, once corrected, imports cleanly; the report's counts always add up."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrcoop.core.errors import ImportFailed
from hrcoop.core.models import AuditEvent
from hrcoop.recommendations.importers.base import ImportRejected
from hrcoop.recommendations.importers.upr_info import REASON_COLUMN
from hrcoop.recommendations.models import Classification, ImportRun, Recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import run_cli, shared_data
from tests.recommendations.upr_info_fixtures import HEADER_2018, ROWS_2018, write_2015, write_2018

pytestmark = pytest.mark.django_db

GOOD = ("Kenya", "Guarantee the independence of the judiciary", "France", "Supported", "4", "Justice", "21")
EMPTY_SESSION = (
    "Kenya",
    "Protect journalists from attacks",
    "Norway",
    "Supported",
    "5",
    "Freedom of the press",
    "",
)
UNKNOWN_ISSUE = ("Kenya", "Adopt a law on refugees", "Ghana", "Noted", "4", "Astrology", "21")
TWO_PROBLEMS = ("Kenya", "", "Ghana", "Maybe", "4", "Justice", "21")
UNKNOWN_STATE = (
    "Kenya",
    "Ratify the Convention on enforced disappearances",
    "Atlantis",
    "Noted",
    "3",
    "",
    "21",
)
UNKNOWN_ISSUE_AGAIN = ("Côte d'Ivoire", "Register every birth", "France", "Supported", "5", "Astrology", "19")


def snapshot() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Recommendation, Classification, ImportRun, AuditEvent))


def two_bad_files(folder: Path) -> list[Path]:
    return [
        write_2018(folder / "first.csv", [*ROWS_2018, EMPTY_SESSION, UNKNOWN_ISSUE, TWO_PROBLEMS]),
        write_2018(folder / "second.csv", [GOOD, UNKNOWN_STATE, UNKNOWN_ISSUE_AGAIN]),
    ]


def test_every_bad_row_and_unknown_label_of_every_file_is_reported_and_nothing_written(
    reference_data: None, tmp_path: Path
) -> None:
    first, second = two_bad_files(tmp_path)
    before = snapshot()
    for dry_run in (True, False):
        with pytest.raises(ImportRejected) as info:
            import_files([first, second], format_name="upr-info", actor=None, dry_run=dry_run)
        assert snapshot() == before
    found = {(Path(p.file).name, p.row, p.column) for p in info.value.problems}
    assert found == {
        ("first.csv", 7, "Session"),
        ("first.csv", 8, "Issue"),
        ("first.csv", 9, "Recommendation"),
        ("first.csv", 9, "Response"),
        ("second.csv", 3, "RS"),
        ("second.csv", 4, "Issue"),
    }
    message = str(info.value)
    assert message.startswith("6 problems in 2 file(s); nothing was imported:")
    assert "unknown issue 'Astrology'" in message and "unknown recommending State 'Atlantis'" in message
    by_file = {Path(report["file"]).name: report for report in info.value.reports}
    assert by_file["first.csv"]["unknown_labels"] == [
        {"kind": "issue", "value": "Astrology", "rows": 1, "first_row": 8}
    ]
    assert by_file["second.csv"]["unknown_labels"][0]["first_row"] == 4
    assert [r["rows_rejected"] for r in by_file.values()] == [3, 2]


def test_cli_names_every_problem_on_stderr(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "import", "upr-info", "--dry-run", *map(str, two_bad_files(tmp_path)))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "error: 6 problems in 2 file(s); nothing was imported:"
    assert any(
        "second.csv, row 3, column 'RS': unknown recommending State 'Atlantis'" in line for line in lines
    )
    assert lines[-2:] == [
        "unknown labels (add them to the vocabulary, or import with --new-labels):",
        "  issue 'Astrology': 2 row(s)",
    ]


def test_rejects_file_keeps_the_source_format_and_imports_once_corrected(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = tmp_path / "rejects.csv"
    files = [str(path) for path in two_bad_files(tmp_path)]
    code, out, _ = run_cli(capsys, "import", "upr-info", *files, "--skip-invalid", str(rejects))
    assert code == 0
    reports = json.loads(out)
    assert [r["rows_rejected"] for r in reports] == [3, 2]
    assert Recommendation.objects.count() == 4 + 1  # the good rows of both files

    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the 2018 export's BOM and line ends
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == [*HEADER_2018, REASON_COLUMN]
    assert [row[3] for row in rows[1:]] == [
        EMPTY_SESSION[1],
        UNKNOWN_ISSUE[1],
        "",
        UNKNOWN_STATE[1],
        UNKNOWN_ISSUE_AGAIN[1],
    ]
    assert rows[3][-1].startswith(
        "first.csv row 9: Recommendation: the recommendation text is empty; Response:"
    )

    # As it is, the rejects file is rejected again, for the same reasons.
    with pytest.raises(ImportRejected) as info:
        import_files([rejects], format_name="upr-info", actor=None)
    assert len(info.value.problems) == 6

    # Corrected in place (a person edits the cells; the reason column may stay), it imports cleanly.
    corrected = [rows[0]]
    for row in rows[1:]:
        row[3] = row[3] or "Combat corruption in the police"
        row[4] = "Ghana" if row[4] == "Atlantis" else row[4]
        row[7] = "Noted" if row[7] == "Maybe" else row[7]
        row[9] = row[9].replace("Astrology", "Asylum-seekers - refugees")
        row[10] = row[10] or "21"
        corrected.append(row)
    with rejects.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(corrected)
    [report] = import_files([rejects], format_name="upr-info", actor=None)
    assert report["rows_rejected"] == 0 and report["records_created"] == 5
    assert Recommendation.objects.count() == 10


def test_rejects_of_a_2015_export_are_mac_roman_with_cr_line_ends(
    reference_data: None, tmp_path: Path
) -> None:
    source = write_2015(
        tmp_path / "old.csv", [("Côte d'Ivoire", "Ratify", "France", "Accepted", "4", "Astrology", "19")]
    )
    rejects = tmp_path / "rejects.csv"
    import_files([source], format_name="upr-info", actor=None, skip_invalid=rejects)
    raw = rejects.read_bytes()
    assert raw.count(b"\r") == 2 and b"\n" not in raw
    assert "Côte d'Ivoire".encode("mac_roman") in raw


def count_sum(report: dict[str, int]) -> int:
    return sum(
        report[key]
        for key in (
            "records_created",
            "records_updated",
            "records_unchanged",
            "joint_rows_merged",
            "duplicate_rows",
            "rows_rejected",
        )
    )


ROW = st.tuples(
    st.sampled_from(["Kenya", "Côte d'Ivoire"]),
    st.sampled_from(["Abolish the death penalty", "Ratify the Optional Protocol", "Protect journalists"]),
    st.sampled_from(["Ghana", "Norway", "France", "Atlantis"]),
    st.sampled_from(["Supported", "Noted", ""]),
    st.sampled_from(["4", "5"]),
    st.sampled_from(["Justice", "Death penalty", "Justice, Women's rights", "Astrology"]),
    st.sampled_from(["19", "21", ""]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(ROW, min_size=1, max_size=25),
    second=st.lists(ROW, min_size=1, max_size=25),
    batch_size=st.integers(min_value=1, max_value=30),
)
def test_counts_add_up_over_any_batch_size(
    reference_data: None,
    tmp_path: Path,
    first: list[tuple[str, ...]],
    second: list[tuple[str, ...]],
    batch_size: int,
) -> None:
    """rows = created + updated + unchanged + merged + duplicates + rejected, wherever the batches
    cut a record's rows, on a first import and on a later one that answers and extends it."""
    with transaction.atomic():
        for name, rows in (("first.csv", first), ("second.csv", second + first)):
            path = write_2018(tmp_path / name, rows)
            [report] = import_files(
                [path],
                format_name="upr-info",
                actor=None,
                skip_invalid=tmp_path / "r.csv",
                batch_size=batch_size,
            )
            assert report["rows"] == len(rows)
            assert count_sum(report) == len(rows), report
        transaction.set_rollback(True)


def test_a_record_straddling_a_batch_boundary_is_counted(reference_data: None, tmp_path: Path) -> None:
    """The same record answered by two rows in two batches of a re-import: each row counted once."""
    text = "Abolish the death penalty"
    write_2018(tmp_path / "pending.csv", [("Kenya", text, "Ghana", "", "5", "Death penalty", "21")])
    import_files([tmp_path / "pending.csv"], format_name="upr-info", actor=None)
    rows = [("Kenya", text, state, "Supported", "5", "Death penalty", "21") for state in ("Ghana", "Norway")]
    [report] = import_files(
        [write_2018(tmp_path / "answered.csv", rows)], format_name="upr-info", actor=None, batch_size=1
    )
    assert report["records_updated"] == 1 and report["joint_rows_merged"] == 1
    assert count_sum(report) == report["rows"] == 2


def test_a_new_record_never_takes_the_id_a_changed_record_kept(reference_data: None, tmp_path: Path) -> None:
    """CI's hypothesis run found it: a record made pending beside its answered twin gets the id of its
    pending key; answered later it keeps that id, and a new pending row of the same text then wanted it."""
    answered, pending = (
        ("Côte d'Ivoire", "Ratify the Optional Protocol", "Ghana", response, "4", "Justice", "19")
        for response in ("Supported", "")
    )
    first = write_2018(tmp_path / "first.csv", [answered, pending])
    import_files([first], format_name="upr-info", actor=None)
    noted = (*answered[:3], "Noted", *answered[4:])
    later = write_2018(tmp_path / "later.csv", [noted, answered, pending])
    [report] = import_files([later], format_name="upr-info", actor=None, batch_size=1)
    assert count_sum(report) == report["rows"] == 3
    ids = list(Recommendation.objects.values_list("public_id", flat=True))
    assert len(ids) == len(set(ids)) == 3


# --- issue 19, defect 13: nested JSON and NUL characters -------------------------------------------


def test_deeply_nested_json_is_one_clear_error(
    reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nested.json"
    path.write_text("[" + "[" * 100_000 + "]" * 100_000 + "]", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", "uhri", str(path))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.strip() == f"error: {path}, row 1: element 1 is nested too deeply " + (
        "(lists or objects inside each other thousands of times): not an annotation"
    )


@pytest.mark.parametrize(
    ("where", "field"),
    [("Text", "Text"), ("Symbol", "Symbol"), ("Themes", "Themes")],
)
def test_a_nul_character_is_refused_with_file_row_and_field(
    reference_data: None, tmp_path: Path, where: str, field: str
) -> None:
    record = {
        "AnnotationId": "nul-1",
        "AnnotationType": "Recommendation",
        "Body": "UPR",
        "Countries": ["Kenya"],
        "Text": "Ratify the Convention against Torture",
        "Symbol": "A/HRC/44/9",
        "Themes": ["Torture and other cruel, inhuman or degrading treatment or punishment"],
        "UprSession": ["35"],
        "UprPositions": ["Supported"],
    }
    record[where] = (
        [record[where][0] + "\x00"] if isinstance(record[where], list) else record[where] + "\x00 "
    )
    path = tmp_path / "nul.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    before = snapshot()
    with pytest.raises(ImportFailed) as info:
        import_files([path], format_name="uhri", actor=None)
    assert snapshot() == before
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 1, field)
    assert "NUL character" in str(info.value)


def test_a_nul_character_in_a_csv_cell_is_refused(reference_data: None, tmp_path: Path) -> None:
    """Past the first 64 kB, where the check for a binary file does not look, the row is refused."""
    padding = [
        ("Kenya", f"Recommendation {n} " + "x" * 200, "Ghana", "Noted", "4", "Justice", "21")
        for n in range(400)
    ]
    bad = ("Kenya", "Protect\x00 journalists", "Ghana", "Noted", "4", "Justice", "21")
    path = write_2018(tmp_path / "nul.csv", [*padding, bad])
    assert b"\x00" not in path.read_bytes()[: 64 * 1024]
    with pytest.raises(ImportFailed) as info:
        import_files([path], format_name="upr-info", actor=None)
    assert (info.value.row, info.value.column) == (402, "Recommendation")
    assert "NUL character" in str(info.value)
    assert not Recommendation.objects.exists()


# --- issue 19, defect 19: the encoding of a 2015 export -------------------------------------------

ACCENTED = [
    (
        "Paraguay",
        "Protect the rights of the Guaraní people",
        "Spain",
        "Accepted",
        "4",
        "Indigenous peoples",
        "10",
    ),
    (
        "Thailand",
        "Review the lèse-majesté law",
        "France",
        "Noted",
        "5",
        "Freedom of opinion and expression",
        "12",
    ),
]


@pytest.mark.parametrize(
    ("encoding", "name"), [("mac_roman", "mac_roman"), ("latin-1", "cp1252"), ("utf-8", "utf-8")]
)
def test_a_2015_export_is_read_in_the_encoding_it_was_saved_in(
    reference_data: None, tmp_path: Path, encoding: str, name: str
) -> None:
    [report] = import_files(
        [write_2015(tmp_path / "old.csv", ACCENTED, encoding=encoding)], format_name="upr-info", actor=None
    )
    assert report["encoding"] == name
    assert bool(report["warnings"]) == (name != "mac_roman")
    assert set(Recommendation.objects.values_list("text", flat=True)) == {row[1] for row in ACCENTED}


def test_the_published_2015_exports_are_told_from_their_latin_1_copies(
    reference_data: None, tmp_path: Path
) -> None:
    from hrcoop.recommendations.importers.files import detect_encoding

    for name in ("1-5", "17-20", "voluntary"):
        path = shared_data("upr_info_terman", f"upr_info_sessions_{name}.csv.gz")
        assert detect_encoding(path, usual="mac_roman") == ("mac_roman", None)
        copy = tmp_path / f"{name}.csv"
        copy.write_bytes(gzip.decompress(path.read_bytes()).decode("mac_roman").encode("cp1252"))
        assert detect_encoding(copy, usual="mac_roman") == ("cp1252", None)


def test_rejects_of_two_export_formats_go_to_one_file_each(reference_data: None, tmp_path: Path) -> None:
    old = write_2015(
        tmp_path / "old.csv", [("Kenya", "Ratify", "France", "Accepted", "4", "Astrology", "19")]
    )
    new = write_2018(
        tmp_path / "new.csv", [("Kenya", "Ratify", "France", "Supported", "4", "Astrology", "21")]
    )
    rejects = tmp_path / "rejects.csv"
    reports = import_files([old, new], format_name="upr-info", actor=None, skip_invalid=rejects)
    second = tmp_path / "rejects.2018-utf-8-sig.csv"
    assert reports[0]["rejects_written_to"] == [str(rejects), str(second)]
    assert rejects.read_bytes().startswith(b"To,To-Rgrp") and second.read_bytes().startswith(
        b"\xef\xbb\xbfSuR;"
    )
    for path in (rejects, second):  # each is an export of its own format: rejected again, for its label
        with pytest.raises(ImportRejected, match="unknown issue 'Astrology'"):
            import_files([path], format_name="upr-info", actor=None)


def test_uhri_rejects_are_the_json_export_and_import_once_corrected(
    reference_data: None, tmp_path: Path
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "uhri_export.json"
    annotations = json.loads(fixture.read_text(encoding="utf-8"))
    annotations[1]["Body"] = "Council of Elders"
    annotations[2]["Text"] = {"nested": "object"}
    source = tmp_path / "uhri.json"
    source.write_text(json.dumps(annotations), encoding="utf-8")
    rejects = tmp_path / "rejects.json"
    [report] = import_files([source], format_name="uhri", actor=None, skip_invalid=rejects)
    assert report["rows_rejected"] == 2
    written = json.loads(rejects.read_text(encoding="utf-8"))
    assert [a["AnnotationId"] for a in written] == [
        annotations[1]["AnnotationId"],
        annotations[2]["AnnotationId"],
    ]
    assert written[0]["ImportProblem"].startswith("uhri.json element 2: Body: unknown recommending body")
    assert written[1]["ImportProblem"] == "uhri.json element 3: Text: expected a text, found dict"
    written[0]["Body"] = "UPR"
    written[1]["Text"] = "Adopt a national action plan against racism"
    rejects.write_text(json.dumps(written), encoding="utf-8")
    before = Recommendation.objects.count()
    [again] = import_files([rejects], format_name="uhri", actor=None)
    assert again["rows_rejected"] == 0 and Recommendation.objects.count() == before + 2


# --- found by hypothesis (tests/recommendations/test_parser_fuzz.py): a lone UTF-16 surrogate -----


def test_a_lone_surrogate_is_refused_and_written_back_to_the_rejects_file(
    reference_data: None, tmp_path: Path
) -> None:
    """JSON's "\\ud800" escape is valid syntax but no character: the row is refused naming the field,
    and the rejects file (which used to fail with UnicodeEncodeError) keeps the escape as it was."""
    record = {
        "AnnotationId": "half-1",
        "AnnotationType": "Recommendation",
        "Body": "UPR",
        "Countries": ["Kenya"],
        "Text": "Ratify the Convention \ud800 against Torture",
        "Symbol": "A/HRC/44/9",
        "Themes": ["Torture and other cruel, inhuman or degrading treatment or punishment"],
        "UprSession": ["35"],
        "UprPositions": ["Supported"],
    }
    path = tmp_path / "half.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    before = snapshot()
    with pytest.raises(ImportFailed) as info:
        import_files([path], format_name="uhri", actor=None)
    assert snapshot() == before
    assert (info.value.row, info.value.column) == (1, "Text")
    assert "half of a UTF-16 pair" in str(info.value)

    rejects = tmp_path / "rejects.json"
    [report] = import_files([path], format_name="uhri", actor=None, skip_invalid=rejects)
    assert report["rows_rejected"] == 1
    assert json.loads(rejects.read_text(encoding="utf-8"))[0]["Text"] == record["Text"]
