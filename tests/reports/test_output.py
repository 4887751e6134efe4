"""The documents themselves: PDFs that render in the six languages' scripts, and reproducible output."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from hrcoop.core.money import Money
from hrcoop.funds import services as funds
from hrcoop.reports import charts
from hrcoop.reports.building import build_report, write_report
from hrcoop.reports.document import Table
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


def page_footer(pdf: Path, *, page: int, rtl: bool) -> str:
    """The words of a page's bottom margin in reading order, as the eye meets them on the page.

    ``pdftotext -bbox`` gives each word where it is drawn (an Arabic word's letters in drawing order,
    left to right); they are read from the right on a right-to-left page.
    """
    xhtml = subprocess.run(
        [poppler("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ET.fromstring(xhtml)
    [drawn] = root.iter("{http://www.w3.org/1999/xhtml}page")
    margin = float(drawn.get("height", 0)) - 2.4 * 72 / 2.54  # the @page bottom margin, 2.4 cm
    words = [w for w in drawn.iter("{http://www.w3.org/1999/xhtml}word") if float(w.get("yMin", 0)) > margin]
    words.sort(key=lambda w: float(w.get("xMin", 0)), reverse=rtl)
    return " ".join((w.text or "")[::-1] if ARABIC.search(w.text or "") else w.text or "" for w in words)


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

    # The page counter reads "page 1 of N" in the language, from the right in Arabic ("4 / 1" it was).
    with translation.override(language):
        counter = _("Page %(n)s of %(total)s") % {"n": 1, "total": len(pages)}
    assert page_footer(output.pdf, page=1, rtl=language == "ar") == counter


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


@pytest.mark.parametrize(
    ("language", "pledged", "received"),
    [
        ("en", "1,234,567.00 USD", "1,984,567.00 USD"),
        ("fr", "1\u00a0234\u00a0567,00 USD", "1\u00a0984\u00a0567,00 USD"),
        ("ar", "1,234,567.00 USD", "1,984,567.00 USD"),
        ("zh-hans", "1,234,567.00 USD", "1,984,567.00 USD"),
    ],
)
def test_amounts_are_written_with_the_separators_of_the_reports_language(
    year_2021: Year, language: str, pledged: str, received: str
) -> None:
    """In the tables and in the text alike; Django's Arabic and Chinese formats grouped nothing."""
    donor = funds.register_donor(
        name="Ireland", kind="member_state", state_iso3="IRL", actor=year_2021.secretariat
    )
    pledge = funds.record_pledge(
        fund_code="VFTC",
        donor_id=donor.pk,
        amount=Money(123_456_700, "USD"),
        pledged_on=dt.date(2021, 5, 3),
        idempotency_key="ireland",
        actor=year_2021.secretariat,
    )
    funds.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(123_456_700, "USD"),
        received_on=dt.date(2021, 6, 3),
        idempotency_key="ireland-paid",
        actor=year_2021.secretariat,
    )
    html = render_html(
        build_report("fund-update", year=2021, language=language), built_on=dt.date(2026, 12, 6)
    )
    contributions = html.split('id="table-contributions_by_donor"')[1].split("</table>")[0]
    assert f'<td class="n">{pledged}</td>' in contributions
    introduction = html.split('id="section-introduction"')[1].split("</section>")[0]
    assert received in introduction


def test_chart_axes_write_numbers_as_the_text_does() -> None:
    table = Table(
        key="t", caption="", columns=["Row", "Count"], rows=[["a", 12_000], ["b", 3_000]], methods=""
    )
    for language, written in (("en", "12,000"), ("fr", "12\u00a0000"), ("ar", "12,000")):
        with translation.override(language):
            svg = charts.bars(table, column="Count", key="k", caption="", methods="").svg
        assert f">{written}</text>" in svg, language


def test_names_kept_in_english_are_isolated_on_a_right_to_left_page(year_2021: Year) -> None:
    """The bidirectional algorithm would reorder an English title's quotes and words with the Arabic."""
    english, arabic = (
        build_report("country", year=2021, language=language, state="FJI") for language in ("en", "ar")
    )
    assert english.title == "Country profile: Fiji"
    assert "\u2068Fiji\u2069" in arabic.title and "\u2068Fiji\u2069" in arabic.sections[0].paragraphs[0]
