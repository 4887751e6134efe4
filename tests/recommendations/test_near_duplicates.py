"""Texts that differ only in punctuation, brackets, spaces or a mis-decoded character are one
recommendation; a response that changes between two exports is kept as history (issue 18, Imports 2)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from hrcoop.core.models import AuditEvent
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import write_2015, write_2018

pytestmark = pytest.mark.django_db

VARIANTS = [
    "Ratify the Optional Protocol (OP-CAT) to the Convention against Torture.",
    "Ratify  the Optional Protocol ( OPCAT ) to the Convention against Torture",
    "ratify the optional protocol, OP-CAT, to the Convention against Torture ;",
]


def test_punctuation_brackets_and_spaces_make_no_second_record(reference_data: None, tmp_path: Path) -> None:
    rows = [
        ("Kenya", text, by, "Supported", "5", "Torture and other CID treatment", "21")
        for text, by in zip(VARIANTS, ["Ghana", "Norway", "France"], strict=True)
    ]
    [report] = import_files([write_2018(tmp_path / "a.csv", rows)], format_name="upr-info", actor=None)
    assert report["records_created"] == 1 and report["joint_rows_merged"] == 2
    record = Recommendation.objects.get()
    assert record.text == VARIANTS[0]  # the first row's wording is kept
    assert {s.iso3 for s in record.recommending_states.all()} == {"GHA", "NOR", "FRA"}


def test_a_mis_decoded_text_is_the_same_recommendation_and_stored_repaired(
    reference_data: None, tmp_path: Path
) -> None:
    right = "Protect the rights of the Guaraní people"
    wrong = right.encode("utf-8").decode("latin-1")  # "GuaranÃ\xad": UTF-8 read as Latin-1
    assert "Ã" in wrong
    rows = [
        ("Paraguay", text, "Spain", "Supported", "4", "Indigenous peoples", "10") for text in (wrong, right)
    ]
    [report] = import_files([write_2018(tmp_path / "a.csv", rows)], format_name="upr-info", actor=None)
    assert report["records_created"] == 1 and report["duplicate_rows"] == 1
    assert Recommendation.objects.get().text == right


def test_existing_records_are_rekeyed_and_a_near_duplicate_pair_left_apart(
    reference_data: None, tmp_path: Path
) -> None:
    """Migration 0007 on records keyed by the old fold: each then matches the rows that name it."""
    rows = [
        ("Kenya", VARIANTS[0], "Ghana", "Supported", "5", "Justice", "21"),
        ("Kenya", "Abolish the death penalty", "Ghana", "Noted", "5", "Death penalty", "21"),
    ]
    path = write_2018(tmp_path / "a.csv", rows)
    import_files([path], format_name="upr-info", actor=None)
    first, second = Recommendation.objects.order_by("pk")
    # As an older installation has them: old keys, and a near-duplicate made before the change.
    Recommendation.objects.filter(pk=first.pk).update(identity_key="old-1")
    Recommendation.objects.filter(pk=second.pk).update(identity_key="old-2")
    near = Recommendation.objects.create(
        public_id="RNEARDUPLIC",
        identity_key="old-3",
        mechanism_id="UPR",
        state_under_review=first.state_under_review,
        session_id=21,
        cycle_id=2,
        text=VARIANTS[1],
        response="supported",
    )
    migration = importlib.import_module("hrcoop.recommendations.migrations.0007_identity_ignores_punctuation")
    migration.rekey(apps, None)
    keys = dict(Recommendation.objects.values_list("pk", "identity_key"))
    assert keys[first.pk] == first.identity_key and keys[second.pk] == second.identity_key
    assert keys[near.pk] == "old-3"  # the newer of the pair stays apart, for a person to merge
    [again] = import_files([path], format_name="upr-info", actor=None)
    assert again["records_created"] == 0 and again["records_unchanged"] == 2


def test_a_response_that_changes_between_exports_is_kept_as_history(
    reference_data: None, tmp_path: Path
) -> None:
    text = "Decriminalise defamation"
    older = write_2015(
        tmp_path / "2015.csv", [("Kenya", text, "Norway", "Accepted", "5", "Freedom of the press", "21")]
    )
    newer = write_2018(
        tmp_path / "2018.csv", [("Kenya", text, "Norway", "Noted", "5", "Freedom of the press", "21")]
    )
    import_files([older], format_name="upr-info", actor=None)
    record = Recommendation.objects.get()
    [report] = import_files([newer], format_name="upr-info", actor=None)
    assert Recommendation.objects.count() == 1
    record.refresh_from_db()
    assert record.response == "noted"
    assert report["responses_changed"] == [
        {"public_id": record.public_id, "row": 2, "from": "supported", "to": "noted"}
    ]
    assert report["records_updated"] == 1 and report["responses_recorded"] == 0
    event = AuditEvent.objects.get(action=RecommendationAction.RESPONSE_RECORDED)
    assert (event.data["from"], event.data["to"], event.data["file"]) == ("supported", "noted", "2018.csv")


def test_one_export_answering_a_text_in_two_ways_keeps_two_records(
    reference_data: None, tmp_path: Path
) -> None:
    text = "Decriminalise defamation"
    rows = [
        ("Kenya", text, "Norway", "Supported", "5", "Freedom of the press", "21"),
        ("Kenya", text, "Ghana", "Noted", "5", "Freedom of the press", "21"),
    ]
    for _ in range(2):  # and importing it again changes nothing
        [report] = import_files([write_2018(tmp_path / "a.csv", rows)], format_name="upr-info", actor=None)
        assert report["responses_changed"] == []
    assert sorted(Recommendation.objects.values_list("response", flat=True)) == ["noted", "supported"]
