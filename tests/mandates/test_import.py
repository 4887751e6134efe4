"""Storing parsed resolutions: the import service, idempotence, the citation graph, mandate status."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import ImportFailed, InvalidInput
from hrcoop.core.models import AuditEvent
from hrcoop.mandates.models import Citation, Mandate, Paragraph, Resolution
from hrcoop.mandates.selectors import citation_edges, mandates_tracker, recalled_by, tracker_summary
from hrcoop.mandates.services import fulfil_mandate, import_files, import_resolution_text

pytestmark = pytest.mark.django_db

CITING_TEXT = """Human Rights Council
Fifteenth session
Agenda item 3

15/99 Follow-up on internally displaced persons

The Human Rights Council,

Recalling its resolution 14/6 of 17 June 2010 and General Assembly resolution 64/162,

1. *Requests* the Special Rapporteur to report to the General Assembly at its sixty-sixth session;

2. *Decides* to continue its consideration of the matter at its eighteenth session.
"""


def seed_resolution(seed_text: str) -> Resolution:
    import_resolution_text(seed_text, source="seed.txt", actor=None)
    return Resolution.objects.get(number="47/...")


def test_seed_is_stored_with_its_structure(seed_text: str, reference_data: None) -> None:
    resolution = seed_resolution(seed_text)
    assert resolution.kind == "draft" and resolution.cite_key == ""
    assert resolution.paragraphs.filter(kind="preambular").count() == 34
    assert resolution.paragraphs.filter(kind="operative").count() == 36
    assert resolution.citations.count() == 31
    assert [s["iso3"] for s in resolution.sponsors] == ["AZE", "PSE"]
    para32 = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    assert (para32.addressee, para32.due_body, para32.due_session) == ("HC", "HRC", 50)
    assert (para32.due_start, para32.due_end) == (date(2022, 6, 13), date(2022, 7, 8))
    assert sorted(Mandate.objects.values_list("paragraph__number", flat=True), key=int) == [
        "21", "22", "30", "32", "36",
    ]  # fmt: skip
    event = AuditEvent.objects.get(action="mandates.resolution_imported")
    assert event.data["paragraphs"] == 70 and event.data["mandates"] == 5
    assert verify_audit_chain() == []


def test_reimport_is_idempotent_and_dry_run_writes_nothing(seed_text: str) -> None:
    dry = import_resolution_text(seed_text, source="seed.txt", actor=None, dry_run=True)
    assert dry.created == ["47/..."] and Resolution.objects.count() == 0 and AuditEvent.objects.count() == 0
    first = import_resolution_text(seed_text, source="seed.txt", actor=None)
    again = import_resolution_text(seed_text, source="seed.txt", actor=None)
    assert first.created == ["47/..."] and again.unchanged == ["47/..."] and again.created == []
    assert Resolution.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_changed_text_replaces_structure_and_keeps_fulfilment(seed_text: str) -> None:
    resolution = seed_resolution(seed_text)
    para32 = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    fulfil_mandate(para32, document_symbol="A/HRC/50/19", fulfilled_on=date(2022, 6, 1), actor=None)
    changed = seed_text.replace(
        "Urges* States to continue to support", "Urges* all States to continue to support"
    )
    summary = import_resolution_text(changed, source="seed-v2.txt", actor=None)
    assert summary.updated == ["47/..."]
    assert Resolution.objects.count() == 1 and Paragraph.objects.filter(resolution=resolution).count() == 70
    renewed = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    assert (renewed.fulfilled_by, renewed.fulfilled_on) == ("A/HRC/50/19", date(2022, 6, 1))
    assert AuditEvent.objects.filter(action="mandates.resolution_updated").count() == 1


def _snapshot() -> list[tuple[str, str, str]]:
    return list(Mandate.objects.values_list("paragraph__number", "kind", "fulfilled_by").order_by("id"))


def test_a_truncated_text_that_drops_mandates_is_refused_unless_forced(seed_text: str) -> None:
    """Defect 4: a file cut after paragraph 33 replaced the resolution and deleted para 36's mandate."""
    seed_resolution(seed_text)
    before, events = _snapshot(), AuditEvent.objects.count()
    truncated = seed_text[: seed_text.index("\n34. ")]
    with pytest.raises(ImportFailed, match=r"would drop 1 mandate\(s\), para 36 .*--force") as refused:
        import_resolution_text(truncated, source="cut.txt", actor=None)
    assert refused.value.where == "cut.txt"
    assert _snapshot() == before and AuditEvent.objects.count() == events

    summary = import_resolution_text(truncated, source="cut.txt", actor=None, force=True)
    assert summary.updated == ["47/..."]
    assert sorted(Mandate.objects.values_list("paragraph__number", flat=True), key=int) == [
        "21",
        "22",
        "30",
        "32",
    ]


def test_a_text_that_drops_a_fulfilled_mandate_is_refused_even_when_forced(seed_text: str) -> None:
    resolution = seed_resolution(seed_text)
    para32 = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    fulfil_mandate(para32, document_symbol="A/HRC/50/19", fulfilled_on=date(2022, 6, 1), actor=None)
    before, events = _snapshot(), AuditEvent.objects.count()
    truncated = seed_text[: seed_text.index("\n31. ")]
    for force in (False, True):
        with pytest.raises(ImportFailed, match=r"drop 1 fulfilled mandate\(s\), para 32 \(A/HRC/50/19\)"):
            import_resolution_text(truncated, source="cut.txt", actor=None, force=force)
    assert _snapshot() == before and AuditEvent.objects.count() == events


def test_not_a_resolution_is_rejected_and_nothing_is_stored(tmp_path: Path) -> None:
    bad = tmp_path / "minutes.txt"
    bad.write_text("Summary of proceedings\n\nThe President opened the session.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"minutes\.txt: not a resolution"):
        import_files([bad], actor=None)
    assert Resolution.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_undecodable_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(ImportFailed, match=r"scan\.txt: cannot read the file as UTF-8 text"):
        import_files([bad], actor=None)


def test_session_report_import(report_path: Path) -> None:
    (summary,) = import_files([report_path], actor=None)
    assert len(summary["created"]) == 35
    assert Resolution.objects.filter(kind="resolution").count() == 16
    assert Resolution.objects.filter(kind="decision").count() == 19
    renewals = Mandate.objects.filter(kind="renewal").select_related("resolution")
    assert sorted((m.resolution.number, m.renewal_years) for m in renewals) == [("14/11", 3), ("14/6", 3)]
    assert AuditEvent.objects.filter(action="mandates.resolution_imported").count() == 35


def test_citation_graph_links_both_ways(report_path: Path) -> None:
    # the citing text first: its citation of 14/6 is linked when 14/6 arrives
    import_resolution_text(CITING_TEXT, source="citing.txt", actor=None)
    citing = Resolution.objects.get(number="15/99")
    assert citing.citations.get(key="HRC res 14/6").target is None
    import_files([report_path], actor=None)
    idp = Resolution.objects.get(number="14/6")
    assert [c.resolution for c in recalled_by(idp)] == [citing]
    assert (citing, [idp]) in citation_edges()
    cited = Citation.objects.get(resolution=citing, key="GA res 64/162")
    assert cited.target is None, "a General Assembly resolution we do not hold stays unlinked"


def test_deadline_of_the_assembly(report_path: Path) -> None:
    import_resolution_text(CITING_TEXT, source="citing.txt", actor=None)
    ga = Mandate.objects.get(resolution__number="15/99", kind="report")
    assert (ga.addressee, ga.due_body, ga.due_session) == ("SPECIAL_PROCEDURES", "GA", 66)
    assert ga.due_start == date(2011, 9, 1)


def test_tracker_status_open_overdue_fulfilled(seed_text: str) -> None:
    resolution = seed_resolution(seed_text)
    before = mandates_tracker(addressee="HC", due_session=50, status="open", today=date(2022, 1, 1))
    assert [m.paragraph.number for m in before] == ["32"]
    overdue = mandates_tracker(status="overdue", today=date(2023, 1, 1))
    assert sorted(m.paragraph.number for m in overdue) == ["32", "36"]
    para32 = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    fulfil_mandate(para32, document_symbol="A/HRC/50/19", actor=None)
    assert [m.paragraph.number for m in mandates_tracker(status="fulfilled")] == ["32"]
    assert [m.paragraph.number for m in mandates_tracker(status="overdue", today=date(2023, 1, 1))] == ["36"]
    assert Mandate.objects.get(pk=para32.pk).status == "fulfilled"
    assert AuditEvent.objects.filter(action="mandates.mandate_fulfilled").count() == 1


def test_fulfil_with_a_bad_symbol_changes_nothing(seed_text: str) -> None:
    resolution = seed_resolution(seed_text)
    para32 = Mandate.objects.get(resolution=resolution, paragraph__number="32")
    with pytest.raises(InvalidInput, match="not a UN document symbol"):
        fulfil_mandate(para32, document_symbol="the report", actor=None)
    para32.refresh_from_db()
    assert (
        para32.fulfilled_by == ""
        and not AuditEvent.objects.filter(action="mandates.mandate_fulfilled").exists()
    )


def test_tracker_rejects_an_unknown_status() -> None:
    with pytest.raises(InvalidInput, match="unknown status 'late'"):
        list(mandates_tracker(status="late"))


def test_tracker_summary_by_addressee_and_session(seed_text: str) -> None:
    seed_resolution(seed_text)
    rows = tracker_summary(today=date(2023, 1, 1))
    by_key = {(r["addressee"], r["due_session"]): r for r in rows}
    assert by_key[("HC", 50)] == {
        "addressee": "HC", "due_session": 50, "due_body": "HRC", "annual": False,
        "open": 0, "overdue": 1, "fulfilled": 0,
    }  # fmt: skip
    assert by_key[("OHCHR", None)]["open"] == 2
    assert sum(r["open"] + r["overdue"] + r["fulfilled"] for r in rows) == Mandate.objects.count() == 5


def test_tracker_summary_rows_are_what_the_table_shows(report_path: Path) -> None:
    """A/HRC/14/37 asks the High Commissioner for two reports without a deadline and one every year to
    the Council: two rows, told apart by what they show, not one "none given" row twice."""
    import_files([report_path], actor=None)
    rows = tracker_summary(today=date(2023, 1, 1))
    keys = [(r["addressee"], r["due_body"], r["due_session"], r["annual"]) for r in rows]
    assert len(keys) == len(set(keys))
    high_commissioner = {
        (r["due_body"], r["due_session"], r["annual"]): r["open"] + r["overdue"] + r["fulfilled"]
        for r in rows
        if r["addressee"] == "HC"
    }
    assert high_commissioner == {
        ("", None, False): 2,
        ("HRC", None, True): 1,
        ("HRC", 15, True): 1,
        ("HRC", 17, False): 1,
    }
    special_procedures = {
        (r["due_body"], r["due_session"], r["annual"]): r["open"] + r["overdue"] + r["fulfilled"]
        for r in rows
        if r["addressee"] == "SPECIAL_PROCEDURES"
    }
    assert special_procedures == {
        ("", None, False): 6,
        ("HRC", None, True): 1,
        ("GA", 65, False): 1,
        ("HRC", 17, False): 1,
    }


def test_same_decision_from_two_documents_is_one_record(report_path: Path) -> None:
    """A/HRC/DEC/14/105 is printed in the session report and issued alone: one record, keyed by symbol."""
    import_files([report_path], actor=None)
    (summary,) = import_files([report_path.with_name("g1014611.txt")], actor=None)
    assert summary["created"] == [] and summary["updated"] + summary["unchanged"] == ["14/105"]
    assert Resolution.objects.filter(symbol="A/HRC/DEC/14/105").count() == 1
