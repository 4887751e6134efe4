"""The ``uhri`` importer: the JSON and XLSX exports of the Universal Human Rights Index.

The fixture ``fixtures/uhri_export.json`` is written from the field list in DESIGN.md §5: UPR
recommendations to Slovenia and China (one with a Supported and a Noted part), recommendations of a
treaty body given by code (CRC) and by name (CEDAW), one of a special rapporteur, and a "Concern",
which recommends nothing and is skipped. The workbook is made from the same records in the test.
"""

from __future__ import annotations

import datetime
import gzip
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers import uhri
from hrcoop.recommendations.importers.base import ParsedRecommendation, recommendations_only
from hrcoop.recommendations.importers.uhri import XLSX_COLUMNS, UhriParser
from hrcoop.recommendations.models import Classification, ImportRun, LabelKind, Recommendation, Response
from hrcoop.recommendations.services.imports import import_files
from tests.conftest import shared_data

FIXTURE = Path(__file__).with_name("fixtures") / "uhri_export.json"
RECORDS: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))


def parse(path: Path) -> list[ParsedRecommendation]:
    return list(recommendations_only(UhriParser().parse(path)))


def write_xlsx(path: Path, records: list[dict[str, Any]], *, drop: str = "") -> Path:
    """The workbook OHCHR's export would give for ``records``: list cells hold one value per line."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    columns = [column for column in XLSX_COLUMNS if column != drop]
    sheet.append(columns)
    for record in records:
        row = []
        for column in columns:
            value = record[XLSX_COLUMNS[column]]
            if column == "Document Publication Date":
                value = datetime.datetime.fromisoformat(value)
            row.append("\n".join(value) if isinstance(value, list) else value)
        sheet.append(row)
    workbook.save(path)
    return path


def test_json_export(reference_data: None) -> None:
    items = parse(FIXTURE)
    assert [(i.mechanism, i.state_under_review, i.response) for i in items] == [
        ("UPR", "Slovenia", Response.SUPPORTED),
        ("UPR", "Slovenia", Response.NOTED),
        ("UPR", "China", Response.SUPPORTED_IN_PART),
        ("CRC", "Slovenia", Response.PENDING),
        ("CEDAW", "Slovenia", Response.PENDING),
        ("SP", "China", Response.PENDING),
    ]
    first = items[0]
    assert first.source_id == "0f6c1d2e-7b1a-4c55-9a43-2b8e5a1c0d01"
    assert (first.document_symbol, first.paragraph, first.session, first.cycle) == (
        "A/HRC/43/15",
        "121.1",
        34,
        3,
    )
    assert (
        first.text
        == "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance"
    )
    assert first.recommending_states == ["France", "Lithuania"]
    assert first.date == datetime.date(2019, 12, 11)
    assert first.labels == [
        (LabelKind.THEME, "Acceptance of international norms"),
        (LabelKind.THEME, "Enforced disappearances"),
        (LabelKind.AFFECTED_PERSONS, "Disappeared persons"),
        (LabelKind.SDG_TARGET, "16.3"),
        (LabelKind.SDG_GOAL, "16"),
    ]
    assert items[3].session is None and items[3].recommending_states == []
    assert first.columns["recommending_states"] == "UprRecommendingCountry"


def test_xlsx_export_reads_like_the_json(reference_data: None, tmp_path: Path) -> None:
    from_json = parse(FIXTURE)
    from_xlsx = parse(write_xlsx(tmp_path / "uhri.xlsx", RECORDS))
    assert len(from_xlsx) == len(from_json)
    for xlsx, json_item in zip(from_xlsx, from_json, strict=True):
        assert xlsx.row == json_item.row + 1  # the header is row 1; JSON rows count annotations
        assert xlsx.cycle is None  # the workbook has no cycle column: the writer takes it from the session
        assert (xlsx.text, xlsx.labels, xlsx.recommending_states, xlsx.response, xlsx.session, xlsx.date) == (
            json_item.text,
            json_item.labels,
            json_item.recommending_states,
            json_item.response,
            json_item.session,
            json_item.date,
        )
    assert from_xlsx[0].columns["recommending_states"] == "UPR Reccomending States"


def test_semicolon_separated_cells_keep_themes_whole(reference_data: None, tmp_path: Path) -> None:
    record = dict(
        RECORDS[3], Themes=["Children: definition; general principles; protection", "Cultural rights"]
    )
    path = write_xlsx(tmp_path / "uhri.xlsx", [record])
    workbook = openpyxl.load_workbook(path)
    workbook.active["H2"] = "Children: definition; general principles; protection;Cultural rights"
    workbook.save(path)
    assert [value for kind, value in parse(path)[0].labels if kind == LabelKind.THEME] == record["Themes"]


def test_json_is_read_element_by_element(reference_data: None, tmp_path: Path, monkeypatch: Any) -> None:
    """Chunks of 7 characters split strings, escapes and UTF-8 sequences; the result is the same, and an
    element is handed on before the rest of the file is read (a break after it fails only then)."""
    whole = parse(FIXTURE)
    monkeypatch.setattr(uhri, "CHUNK_CHARS", 7)
    assert parse(FIXTURE) == whole
    assert whole[1].recommending_states == ["Czechia", "Côte d\u2019Ivoire"]
    broken = tmp_path / "uhri.json"
    text = FIXTURE.read_text(encoding="utf-8")
    broken.write_text(text[: text.index("AnnotationId", 100) + 200], encoding="utf-8")  # inside element 2
    items = recommendations_only(UhriParser().parse(broken))
    assert next(items).paragraph == "121.1"
    with pytest.raises(ImportFailed, match=r"element 2 .* truncated"):
        next(items)


def test_gzip_json(reference_data: None, tmp_path: Path) -> None:
    path = tmp_path / "uhri.json.gz"
    path.write_bytes(gzip.compress(FIXTURE.read_bytes()))
    assert parse(path) == parse(FIXTURE)


def broken_json(tmp_path: Path, records: Any) -> Path:
    path = tmp_path / f"uhri-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_broken_exports_name_file_row_and_field(reference_data: None, tmp_path: Path) -> None:
    csv_file = tmp_path / "export.csv"
    csv_file.write_text("To,To-Rgrp,To-Org,Text,From\nSlovenia,EEG,EU,Ratify ICRMW,Peru\n", encoding="utf-8")
    cases: dict[str, tuple[Path, str, str]] = {
        "an object, not an array": (broken_json(tmp_path, {"value": RECORDS}), "", "expected a JSON array"),
        "wrong format": (csv_file, "", "expected a JSON array"),
        "an element is not an object": (
            broken_json(tmp_path, [RECORDS[0], "x"]),
            "row 2",
            "not an annotation",
        ),
        "unknown body": (
            broken_json(tmp_path, [RECORDS[0], dict(RECORDS[3], Body="Committee of Friends")]),
            "row 2, column 'Body'",
            "unknown recommending body 'Committee of Friends'",
        ),
        "bad SDG": (
            broken_json(tmp_path, [dict(RECORDS[0], Sdgs=["99.1 - Colonise Mars"])]),
            "row 1, column 'Sdgs'",
            "'99.1 - Colonise Mars' is not an SDG",
        ),
        "bad position": (
            broken_json(tmp_path, [dict(RECORDS[0], UprPositions=["Maybe"])]),
            "row 1, column 'UprPositions'",
            "unknown position 'Maybe'",
        ),
        "no text": (broken_json(tmp_path, [dict(RECORDS[0], Text=" ")]), "row 1, column 'Text'", "no text"),
        "bad date": (
            broken_json(tmp_path, [dict(RECORDS[0], PublicationDate="soon")]),
            "row 1, column 'PublicationDate'",
            "not a date",
        ),
        "missing column": (
            write_xlsx(tmp_path / "uhri.xlsx", RECORDS, drop="Countries Concerned"),
            "row 1",
            "lacks the column(s) Countries Concerned",
        ),
        "a 10 MB field": (
            broken_json(tmp_path, [dict(RECORDS[0], Text="x" * 10_000_000)]),
            "row 1",
            "longer than 1,000,000 characters",
        ),
    }
    for case, (path, where, message) in cases.items():
        with pytest.raises(ImportFailed) as failure:
            parse(path)
        assert failure.value.where.startswith(str(path)), case
        assert where in failure.value.where, (case, failure.value.where)
        assert message in failure.value.message, (case, failure.value.message)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(FIXTURE.read_text(encoding="utf-8").replace("\u2019", "'").encode("latin-1"))
    with pytest.raises(ImportFailed, match="not UTF-8"):
        parse(latin1)


def counts() -> tuple[int, int, int, int]:
    through = Recommendation.recommending_states.through
    return (
        Recommendation.objects.count(),
        through.objects.count(),
        Classification.objects.count(),
        ImportRun.objects.count(),
    )


def test_import_again_and_bad_state_leave_the_registry_unchanged(
    reference_data: None, tmp_path: Path
) -> None:
    [report] = import_files([FIXTURE], format_name="uhri", actor=None)
    assert (report["rows"], report["records_created"]) == (6, 6)
    crc = Recommendation.objects.get(source_id="c3d9a0f4-1e6b-4b8e-a2a7-9d4e0b7c5a04")
    assert (crc.mechanism_id, crc.session_id, crc.response) == ("CRC", None, "pending")
    china = Recommendation.objects.get(source_id="8a1e77b0-3f0e-4d7e-8d0c-51f0c2b6e403")
    assert (china.cycle_id, china.response) == (3, "supported_in_part")
    assert sorted(china.classifications.values_list("label__code", flat=True)) == [
        "16",
        "16.1",
        "D23",
        "general",
    ]
    before = counts()
    [again] = import_files([write_xlsx(tmp_path / "uhri.xlsx", RECORDS)], format_name="uhri", actor=None)
    assert (again["records_created"], again["records_updated"], again["records_unchanged"]) == (0, 0, 6)
    assert counts()[:3] == before[:3]
    before = counts()
    unknown = broken_json(
        tmp_path, [RECORDS[0], dict(RECORDS[1], UprRecommendingCountry=["Czechia", "Atlantis"])]
    )
    with pytest.raises(ImportFailed) as failure:
        import_files([unknown], format_name="uhri", actor=None)
    assert failure.value.where == f"{unknown}, row 2, column 'UprRecommendingCountry'"
    assert "unknown recommending State 'Atlantis'" in failure.value.message
    assert counts() == before


def test_same_recommendation_from_the_thematic_list_and_the_index(reference_data: None) -> None:
    """121.1 of A/HRC/43/15 comes from both sources: one record, with the labels of both."""
    thematic_list = shared_data(
        "upr_docs_slovenia", "cycle3", "UPR34_Slovenia_Thematic_list_of_Recommendations.txt"
    )
    import_files([thematic_list], format_name="ohchr-list", actor=None)
    [report] = import_files([FIXTURE], format_name="uhri", actor=None)
    assert report["records_created"] == 5
    record = Recommendation.objects.get(source_id="A/HRC/43/15 para 121.1")
    codes = set(record.classifications.values_list("label__code", flat=True))
    assert {"16", "16.3"} <= codes


def test_json_memory_does_not_grow_with_the_file(reference_data: None, tmp_path: Path) -> None:
    """4,000 annotations (3.3 MB): after the first record, parsing the rest holds one chunk and one
    record at a time, so the peak stays far below the size of the file."""
    import tracemalloc

    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for index in range(4000):
            record = dict(RECORDS[index % 6], AnnotationId=f"annotation-{index}")
            handle.write(("," if index else "") + json.dumps(record))
        handle.write("]")
    items = recommendations_only(UhriParser().parse(path))
    next(items)  # builds the name index once
    tracemalloc.start()
    count = 1 + sum(1 for _ in items)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 4000
    assert path.stat().st_size > 3_000_000
    assert peak < 1_000_000, f"peak {peak:,} bytes for a {path.stat().st_size:,}-byte file"


def test_command_line(reference_data: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``hrcoop import uhri`` prints the report; a bad file is one line on stderr, exit status 2."""
    from hrcoop.cli import main

    with pytest.raises(SystemExit) as done:
        main(["import", "uhri", str(FIXTURE), "--dry-run"])
    assert done.value.code in (0, None)
    [report] = json.loads(capsys.readouterr().out)
    assert (report["dry_run"], report["rows"], report["records_created"]) == (True, 6, 6)
    assert Recommendation.objects.count() == 0
    corrupt = tmp_path / "uhri.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 a broken download")
    unknown_theme = broken_json(tmp_path, [dict(RECORDS[0], Themes=["Happiness"])])
    for path, message in [
        (corrupt, f"error: {corrupt}: not a readable XLSX workbook"),
        (unknown_theme, f"error: {unknown_theme}, row 1, column 'Themes': unknown theme 'Happiness'"),
    ]:
        with pytest.raises(SystemExit) as failed:
            main(["import", "uhri", str(path)])
        assert failed.value.code == 2
        assert capsys.readouterr().err.startswith(message)
    assert counts() == (0, 0, 0, 0)
