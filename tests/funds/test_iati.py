"""IATI 2.03 files: valid against the XSDs, with codes from the IATI codelists, rejected when broken."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.cli import build_app
from hrcoop.core.errors import InvalidInput
from hrcoop.funds import iati
from hrcoop.reference.models import Fund
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 9, 1)


def schemas() -> Path:
    return shared_data("iati_schemas")


@cache
def codelist(name: str) -> set[str]:
    for folder in ("embedded", "non_embedded"):
        path = shared_data("iati_codelists") / folder / f"{name}.xml"
        if path.exists():
            return {code.text for code in etree.parse(str(path)).iter("code") if code.text}
    raise AssertionError(f"no codelist {name}")


def test_activities_file_is_valid_and_uses_codelist_codes(funded: list[AssistanceRequest]) -> None:
    result = iati.activities_file()
    iati.validate(result.xml, schema_dir=schemas(), name="iati-activities.xml")
    assert result.activities == 2 and result.left_out == [funded[2].public_id]
    doc = etree.fromstring(result.xml)
    # Activities come in the order of the requests' public ids, which the services draw at random.
    by_request = {a.findtext("iati-identifier").rsplit("-VFTC-", 1)[-1]: a for a in doc.iter("iati-activity")}
    assert set(by_request) == {funded[0].public_id, funded[1].public_id}
    first, second = by_request[funded[0].public_id], by_request[funded[1].public_id]
    assert first.find("recipient-country").get("code") == "MV"
    assert first.find("sector").get("code") == "15160"
    assert [t.get("code") for t in first.findall("tag")] == ["16"]
    assert {p.get("role") for p in first.findall("participating-org")} == {"1", "2", "3", "4"}
    values = [
        (t.find("transaction-type").get("code"), t.findtext("value")) for t in first.findall("transaction")
    ]
    assert values == [("2", "10000.00"), ("3", "4000.00"), ("3", "-4000.00")]
    assert first.find("result/indicator/title/narrative").text.startswith("Tracking database")
    assert second.find("participating-org[@role='4']/narrative").text == "National Human Rights Commission"
    assert [(t.get("vocabulary"), t.get("code")) for t in second.findall("tag")] == [
        ("2", "5"),
        ("2", "16"),
        ("3", "16.3"),
    ]

    checks = {
        "OrganisationRole": doc.xpath("//participating-org/@role"),
        "OrganisationType": doc.xpath("//participating-org/@type | //reporting-org/@type"),
        "TransactionType": doc.xpath("//transaction-type/@code"),
        "Sector": doc.xpath("//sector/@code"),
        "SectorVocabulary": doc.xpath("//sector/@vocabulary"),
        "TagVocabulary": doc.xpath("//tag/@vocabulary"),
        "UNSDG-Goals": doc.xpath("//tag[@vocabulary='2']/@code"),
        "UNSDG-Targets": doc.xpath("//tag[@vocabulary='3']/@code"),
        "Country": doc.xpath("//recipient-country/@code"),
        "ActivityStatus": doc.xpath("//activity-status/@code"),
        "ActivityDateType": doc.xpath("//activity-date/@type"),
        "ResultType": doc.xpath("//result/@type"),
        "Currency": doc.xpath("//value/@currency | //iati-activity/@default-currency"),
        "CRSChannelCode": [
            ref.rsplit("-", 1)[-1] for ref in {iati.REPORTING_ORG, iati.FUND_IDENTIFIERS["VFTC"]}
        ],
    }
    for name, used in checks.items():
        assert used and set(used) <= codelist(name), (
            f"{name}: {set(used) - codelist(name)} not in the codelist"
        )


def test_organisation_files_are_valid(funded: list[AssistanceRequest]) -> None:
    for fund in Fund.objects.all():
        xml = iati.organisation_file(fund)
        iati.validate(xml, schema_dir=schemas(), name=f"{fund.code}.xml")
    doc = etree.fromstring(iati.organisation_file(Fund.objects.get(code="VFTC")))
    assert doc.findtext("iati-organisation/organisation-identifier") == "XM-DAC-41137"
    # 3 x 10,000 + 123.45 in 2025, one of them confidential: the activities give 2 x 10,000 and the
    # expenditure, so 2025's total would give it away. It counts in the year it was recorded, which is
    # not shown while it is its only confidential amount (funds/disclosure.py).
    totals = doc.findall("iati-organisation/total-expenditure")
    assert [(t.find("period-start").get("iso-date"), t.findtext("value")) for t in totals] == [
        ("2025-01-01", "20123.45")
    ]
    AssistanceRequest.objects.filter(pk=funded[2].pk).update(confidential_fields=[])
    doc = etree.fromstring(iati.organisation_file(Fund.objects.get(code="VFTC")))
    assert doc.findtext("iati-organisation/total-expenditure/value") == "30123.45"


def test_worked_example_is_rejected_with_line_and_reason() -> None:
    xml = (schemas() / "worked-example.xml").read_bytes()
    with pytest.raises(InvalidInput) as error:
        iati.validate(xml, schema_dir=schemas(), name="worked-example.xml")
    assert error.value.where == "worked-example.xml, line 9"
    assert "other-identifier" in error.value.message and "reporting-org" in error.value.message


def test_a_broken_file_of_ours_is_rejected(funded: list[AssistanceRequest]) -> None:
    doc = etree.fromstring(iati.activities_file().xml)
    for sector in doc.iter("sector"):
        del sector.attrib["code"]
    broken = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with pytest.raises(InvalidInput, match="'code' is required") as error:
        iati.validate(broken, schema_dir=schemas(), name="broken.xml")
    assert error.value.where.startswith("broken.xml, line ")
    with pytest.raises(InvalidInput, match="not well-formed"):
        iati.validate(b"<iati-activities>", schema_dir=schemas(), name="cut.xml")


def test_cli_export(funded: list[AssistanceRequest], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["export", "iati", str(tmp_path / "out"), "--schemas", str(schemas())]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["activities"] == 2 and report["validated"] is True
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "iati-activities.xml",
        "iati-organisations-UPR-FTA.xml",
        "iati-organisations-UPR-PART.xml",
        "iati-organisations-VFTC.xml",
    ]
