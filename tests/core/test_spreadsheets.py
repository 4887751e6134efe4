"""CSV cells that a spreadsheet program shows as text, and a byte-order mark so it reads UTF-8."""

from __future__ import annotations

import csv
import io

import pytest

from hrcoop.core.spreadsheets import csv_lines, inert


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'),
        ("=1+2+cmd|' /C calc'!A0", "'=1+2+cmd|' /C calc'!A0"),
        ("+41 22 917 90 00", "'+41 22 917 90 00"),
        ("-- see annex", "'-- see annex"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("-120.50", "-120.50"),  # a negative amount stays a number
        ("+3", "+3"),
        ("Ratify the Convention", "Ratify the Convention"),
        ("Côte d'Ivoire = partner", "Côte d'Ivoire = partner"),
        (-5, -5),
        (None, None),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_made_text(value: object, shown: object) -> None:
    assert inert(value) == shown


def test_the_file_starts_with_a_byte_order_mark_and_quotes_as_csv_does() -> None:
    text = "".join(csv_lines([["name", "amount"], ['Côte d\'Ivoire, "Abidjan"', "-1.00"], ["=2*3", "7"]]))
    assert text.startswith("\ufeffname,amount\r\n")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["name", "amount"],
        ['Côte d\'Ivoire, "Abidjan"', "-1.00"],
        ["'=2*3", "7"],
    ]
