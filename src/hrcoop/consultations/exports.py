"""The published answers of a call as rows, for CSV, XLSX and JSON: one row per answer.

Rows come from ``selectors.public_answers`` only, so an answer kept unpublished, a draft, or an answer
to a call that publishes nothing never reaches a file. Cells pass through ``core.spreadsheets.inert``
in both spreadsheet formats: a respondent's text could otherwise run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from hrcoop.consultations.models import Call
from hrcoop.consultations.selectors import public_answers
from hrcoop.core.spreadsheets import inert

COLUMNS = [
    "call", "submission", "respondent", "kind", "state_iso3", "regional_group", "submitted_at", "late",
    "question", "question_kind", "question_text", "answer", "language",
]  # fmt: skip


def answer_records(call: Call) -> Iterator[dict[str, Any]]:
    answers = (
        public_answers(call)
        .select_related("submission__state__regional_group")
        .order_by("submission__submitted_at", "submission_id", "question__position")
    )
    for answer in answers:
        submission = answer.submission
        state = submission.state
        yield {
            "call": call.pk,
            "submission": submission.pk,
            "respondent": submission.respondent,
            "kind": submission.kind,
            "state_iso3": state.iso3 if state is not None else "",
            "regional_group": state.regional_group_id
            if state is not None and state.regional_group_id
            else "",
            "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else "",
            "late": submission.late,
            "question": answer.question.position,
            "question_kind": answer.question.kind,
            "question_text": answer.question.text,
            "answer": answer.value,
            "language": answer.language,
        }


def answer_rows(call: Call) -> Iterator[list[Any]]:
    yield COLUMNS
    for record in answer_records(call):
        yield [record[column] for column in COLUMNS]


def xlsx_bytes(call: Call) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("answers")
    for row in answer_rows(call):
        sheet.append([inert(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
