"""Small UPR Info export files written byte for byte as the real exports are (see the importer)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER_2015 = [
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]
HEADER_2018 = [
    "SuR",
    "Rgrp",
    "Org",
    "Recommendation",
    "RS",
    "Rgrp",
    "Org",
    "Response",
    "Action",
    "Issue",
    "Session",
]

# (State under review, text, recommending State, response, action, issues, session) in the 2018 wording.
ROWS_2018 = [
    (
        "Kenya",
        "Establish a national human rights institution in line with the Paris Principles",
        "Ghana",
        "Supported",
        "5",
        "National Human Rights Institution",
        "21",
    ),
    (
        "Kenya",
        "Establish a national human rights institution in line with the Paris Principles",
        "Norway",
        "Supported",
        "5",
        "National Human Rights Institution, Justice",
        "21",
    ),
    (
        "Kenya",
        "Consider ratifying the Optional Protocol to the Convention against Torture",
        "&#40;Unknown&#41;",
        "Noted",
        "3",
        "International instruments, Torture and other CID treatment",
        "21",
    ),
    (
        "Côte d'Ivoire",
        "Continue its efforts to combat trafficking in persons &amp; forced labour",
        "Iran (Islamic Republic of)",
        "Supported",
        "2",
        "Trafficking, Rights of the child",
        "19",
    ),
    ("Côte d'Ivoire", "Abolish the death penalty", "France", "Noted", "5", "Death penalty", "19"),
]


def write_2018(path: Path, rows: list[tuple[str, ...]] | None = None, *, encoding: str = "utf-8-sig") -> Path:
    """Semicolon-separated, UTF-8 with BOM, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER_2018)
    for state, text, by, response, action, issues, session in rows if rows is not None else ROWS_2018:
        writer.writerow([state, "Africa", "AU", text, by, "", "", response, action, issues, session])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_2015(path: Path, rows: list[tuple[str, ...]], *, encoding: str = "mac_roman") -> Path:
    """Comma-separated, Mac Roman (as published), CR line ends; rows as in ``ROWS_2018``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\r")
    writer.writerow(HEADER_2015)
    for state, text, by, response, action, issues, session in rows:
        writer.writerow([state, "Africa", "AU", text, by, "", "", response, action, issues, session])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
