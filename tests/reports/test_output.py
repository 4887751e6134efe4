"""The documents themselves: PDFs that render in the six languages' scripts, and reproducible output."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hrcoop.reports.building import build_report, write_report
from hrcoop.reports.rendering import render_html
from tests.reports.conftest import Year

pytestmark = pytest.mark.django_db

ARABIC = re.compile("[\u0600-\u06ff]")
CHINESE = re.compile("[\u4e00-\u9fff]")


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed: the PDF cannot be inspected")
    return path


def page_darkness(pgm: Path) -> int:
    """How many pixels of a greyscale page are not white."""
    data = pgm.read_bytes()
    magic, width, height, _max_value, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return sum(1 for value in pixels[: int(width) * int(height)] if value < 200)


def fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF, as pdffonts lists them."""
    listing = subprocess.run([poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]


@pytest.mark.parametrize(
    ("language", "script", "font"),
    [("ar", ARABIC, "Noto-Sans-Arabic"), ("zh-hans", CHINESE, "WenQuanYi"), ("fr", None, "DejaVu")],
)
def test_pdf_pages_render_with_embedded_fonts_for_the_script(
    year_2021: Year, tmp_path: Path, language: str, script: re.Pattern[str] | None, font: str
) -> None:
    report = build_report("fund-update", year=2021, language=language)
    output = write_report(report, tmp_path, built_on=dt.date(2026, 12, 6))

    subprocess.run(
        [poppler("pdftoppm"), "-r", "30", "-gray", str(output.pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) >= 2
    assert all(page_darkness(page) > 500 for page in pages), "a blank page"

    embedded = fonts(output.pdf)
    assert embedded and all(is_embedded for _name, is_embedded in embedded)
    assert any(font in name for name, _embedded in embedded), embedded
    text = subprocess.run(
        [poppler("pdftotext"), str(output.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    if script is not None:
        assert len(script.findall(text)) > 100  # titles, headings, columns, the Council's labels
    assert "2021" in text


def test_the_same_data_gives_the_same_document_apart_from_its_date(year_2021: Year, tmp_path: Path) -> None:
    first = build_report("cooperation", year=2021, language="fr", as_of=dt.date(2026, 12, 6))
    second = build_report("cooperation", year=2021, language="fr", as_of=dt.date(2026, 12, 6))
    assert first.data_version() == second.data_version()
    monday = render_html(first, built_on=dt.date(2026, 12, 7))
    assert render_html(second, built_on=dt.date(2026, 12, 7)) == monday
    tuesday = render_html(second, built_on=dt.date(2026, 12, 8))
    differing = [(a, b) for a, b in zip(monday.splitlines(), tuesday.splitlines(), strict=True) if a != b]
    [(before, after)] = differing  # the date, written as a French reader writes it
    assert "7 décembre 2026" in before and "8 décembre 2026" in after

    a = write_report(first, tmp_path / "a", built_on=dt.date(2026, 12, 7))
    b = write_report(second, tmp_path / "b", built_on=dt.date(2026, 12, 7))
    assert a.pdf.read_bytes() == b.pdf.read_bytes()


def test_a_new_figure_changes_the_data_version(year_2021: Year) -> None:
    from hrcoop.core.money import Money
    from hrcoop.funds import services
    from hrcoop.funds.models import Donor

    before = build_report("fund-update", year=2021, language="en").data_version()
    services.record_pledge(
        fund_code="VFTC",
        donor_id=Donor.objects.get(name="Qatar").pk,
        amount=Money(100, "USD"),
        pledged_on=dt.date(2021, 12, 31),
        idempotency_key="one-more",
        actor=year_2021.secretariat,
    )
    assert build_report("fund-update", year=2021, language="en").data_version() != before
