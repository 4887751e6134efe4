"""The UPR Info importer and the registry writer on small files of both export formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from hrcoop.core.audit import events_for
from hrcoop.recommendations.identity import identity_key
from hrcoop.recommendations.models import (
    Classification,
    ImportRun,
    LabelKind,
    Provenance,
    Recommendation,
    Response,
)
from hrcoop.recommendations.selectors import registry_stats
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2015, write_2018

pytestmark = pytest.mark.django_db


def labels_of(rec: Recommendation, kind: LabelKind) -> set[str]:
    return {c.label.code for c in rec.classifications.filter(kind=kind).select_related("label")}


def test_2018_export_joint_recommendations_labels_and_provenance(
    reference_data: None, tmp_path: Path
) -> None:
    path = write_2018(tmp_path / "upr_2018.csv")
    [report] = import_files([path], format_name="upr-info", actor=None)

    assert report["rows"] == 5
    assert report["records_created"] == 4  # Ghana's and Norway's identical words are one record
    assert report["joint_rows_merged"] == 1
    assert Recommendation.objects.count() == 4
    nhri = Recommendation.objects.get(text__startswith="Establish a national human rights institution")
    assert {s.iso3 for s in nhri.recommending_states.all()} == {"GHA", "NOR"}
    assert labels_of(nhri, LabelKind.ISSUE) == {"national-human-rights-institution", "justice"}
    assert labels_of(nhri, LabelKind.ACTION_CATEGORY) == {"5"}
    assert nhri.response == Response.SUPPORTED
    assert nhri.session_id == 21 and nhri.cycle_id == 2
    assert len(nhri.public_id) == 11 and nhri.public_id.startswith("R")
    run = ImportRun.objects.get()
    assert set(nhri.classifications.values_list("provenance", "import_run")) == {
        (Provenance.IMPORTED, run.pk)
    }
    assert "imported from upr_2018.csv" in nhri.classifications.first().source  # type: ignore[union-attr]

    opcat = Recommendation.objects.get(text__startswith="Consider ratifying")
    assert opcat.recommending_states.count() == 0  # "&#40;Unknown&#41;": nobody known, not an error
    assert opcat.response == Response.NOTED
    assert labels_of(opcat, LabelKind.ISSUE) == {
        "international-instruments",
        "torture-and-other-cid-treatment",
    }
    trafficking = Recommendation.objects.get(state_under_review__iso3="CIV", response=Response.SUPPORTED)
    assert trafficking.text == "Continue its efforts to combat trafficking in persons & forced labour"
    assert {s.iso3 for s in trafficking.recommending_states.all()} == {"IRN"}

    [event] = events_for(run)
    assert event.action == "recommendations.import_file" and event.data["records_created"] == 4
    assert run.created == 4 and run.rows == 5 and run.finished_at is not None


def test_both_formats_are_one_registry(reference_data: None, tmp_path: Path) -> None:
    """The 2015 wording ("NHRI", "Accepted", Mac Roman) of the same recommendation is the same record."""
    import_files([write_2018(tmp_path / "new.csv")], format_name="upr-info", actor=None)
    old_rows = [
        (
            "Kenya",
            "establish a national  human rights institution in line with the Paris Principles ",
            "Japan",
            "Accepted",
            "5",
            "NHRI",
            "21",
        ),
        ("Côte d'Ivoire", "Ratify the Rome Statute", "Côte d'Ivoire", "Voluntary Pledge", "", "", "19"),
    ]
    [report] = import_files([write_2015(tmp_path / "old.csv", old_rows)], format_name="upr-info", actor=None)

    assert report["records_created"] == 1 and report["records_updated"] == 1
    assert report["change_samples"][0]["added_recommending_states"] == 1
    nhri = Recommendation.objects.get(text__startswith="Establish a national")
    assert {s.iso3 for s in nhri.recommending_states.all()} == {"GHA", "NOR", "JPN"}
    assert labels_of(nhri, LabelKind.ISSUE) == {"national-human-rights-institution", "justice"}
    pledge = Recommendation.objects.get(response=Response.VOLUNTARY_PLEDGE)
    assert pledge.state_under_review.iso3 == "CIV"
    assert labels_of(pledge, LabelKind.ACTION_CATEGORY) == set()
    stats = registry_stats()
    assert stats["recommendations"] == 5
    assert sum(stats["by_response"].values()) == 5
    assert sum(stats["by_action_category"].values()) == 5 and stats["by_action_category"]["none"] == 1


def test_identity_folds_whitespace_and_case_but_keeps_the_response() -> None:
    common = {"mechanism": "UPR", "state_iso3": "KEN", "session": 21}
    a = identity_key(text="Abolish the  death penalty ", response="noted", **common)
    assert a == identity_key(text="abolish the death penalty", response="noted", **common)
    assert a != identity_key(text="abolish the death penalty", response="supported", **common)
    assert a != identity_key(text="abolish the death penalty", response="noted", **{**common, "session": 22})


def test_reimport_adds_nothing_and_reports_it(reference_data: None, tmp_path: Path) -> None:
    path = write_2018(tmp_path / "upr.csv")
    import_files([path], format_name="upr-info", actor=None)
    counts = (Recommendation.objects.count(), Classification.objects.count())

    [again] = import_files([path], format_name="upr-info", actor=None)

    assert (Recommendation.objects.count(), Classification.objects.count()) == counts
    assert again["records_created"] == 0 and again["records_updated"] == 0
    assert again["records_unchanged"] == 4
    assert again["same_file_imported_before"] == [ImportRun.objects.order_by("pk").first().pk]  # type: ignore[union-attr]


def test_reimport_with_a_new_issue_records_the_change(reference_data: None, tmp_path: Path) -> None:
    import_files([write_2018(tmp_path / "a.csv")], format_name="upr-info", actor=None)
    changed = [
        (*row[:5], row[5] + ", Women's rights", row[6]) if "death" in row[1] else row for row in ROWS_2018
    ]

    [report] = import_files([write_2018(tmp_path / "b.csv", changed)], format_name="upr-info", actor=None)

    assert report["records_updated"] == 1 and report["records_created"] == 0
    assert report["change_samples"][0]["added_labels"] == ["womens-rights"]
    run = ImportRun.objects.get(pk=report["import_run"])
    assert run.updated == 1 and run.report["change_samples"] == report["change_samples"]


def test_conflicting_action_categories_keep_the_first(reference_data: None, tmp_path: Path) -> None:
    rows = [
        ("Kenya", "Abolish the death penalty", "France", "Noted", "5", "Death penalty", "21"),
        ("Kenya", "Abolish the death penalty", "Spain", "Noted", "4", "Death penalty", "21"),
    ]
    [report] = import_files([write_2018(tmp_path / "c.csv", rows)], format_name="upr-info", actor=None)

    assert report["action_category_conflicts"] == 1
    assert report["conflict_samples"][0] | {"public_id": None} == {
        "row": 3,
        "public_id": None,
        "kept": "5",
        "ignored": "4",
    }
    assert labels_of(Recommendation.objects.get(), LabelKind.ACTION_CATEGORY) == {"5"}


def test_dry_run_reports_and_writes_nothing(reference_data: None, tmp_path: Path) -> None:
    [report] = import_files(
        [write_2018(tmp_path / "d.csv")], format_name="upr-info", actor=None, dry_run=True
    )

    assert report["dry_run"] is True and report["records_created"] == 4 and report["import_run"] is None
    assert not Recommendation.objects.exists() and not ImportRun.objects.exists()


def test_gzip_is_detected_by_content(reference_data: None, tmp_path: Path) -> None:
    import gzip

    plain = write_2018(tmp_path / "e.csv").read_bytes()
    path = tmp_path / "export.dat"
    path.write_bytes(gzip.compress(plain))
    [report] = import_files([path], format_name="upr-info", actor=None)
    assert report["records_created"] == 4


def test_batches_merge_joint_rows_across_batch_boundaries(reference_data: None, tmp_path: Path) -> None:
    [report] = import_files(
        [write_2018(tmp_path / "f.csv")], format_name="upr-info", actor=None, batch_size=1
    )
    assert report["records_created"] == 4 and report["joint_rows_merged"] == 1
    nhri = Recommendation.objects.get(text__startswith="Establish")
    assert nhri.recommending_states.count() == 2
    assert labels_of(nhri, LabelKind.ISSUE) == {"national-human-rights-institution", "justice"}


def test_issue_labels_with_a_comma_stay_whole() -> None:
    from hrcoop.recommendations.importers.upr_info import split_issues

    assert split_issues("Justice, Torture and other cruel, inhuman or degrading treatment,NHRI") == [
        "Torture and other cruel, inhuman or degrading treatment",
        "Justice",
        "NHRI",
    ]
    assert split_issues("") == []


def test_label_sources_are_in_the_page_language_and_english_in_the_api(
    reference_data: None, tmp_path: Path, client: Client
) -> None:
    import_files([write_2018(tmp_path / "upr_2018.csv")], format_name="upr-info", actor=None)
    record = Recommendation.objects.get(text__startswith="Abolish the death penalty")

    page = client.get(f"/fr/recommendations/{record.public_id}/").content.decode()
    assert "importée depuis upr_2018.csv" in page
    # The API is cached per URL, whatever language a client asks for: it must answer in one language.
    api = client.get(f"/api/recommendations/{record.public_id}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {c["source"] for c in api["classifications"]} == {"imported from upr_2018.csv"}
