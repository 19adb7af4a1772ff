"""The responses workbook: units × questions with statuses, BE dates and lateness, numbers as numbers, text as
text even when it looks like a formula, the summary per question, text answers, evidence file names only, README."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import services
from inspections.outputs.exports import responses_workbook
from tests.factories import SchoolFactory

from .conftest import TODAY
from .helpers import sheet_rows, workbook

pytestmark = pytest.mark.django_db


def test_responses_sheet(full_round):
    wb = workbook(responses_workbook(full_round, today=TODAY))
    assert len(wb.sheetnames) == 5
    ws = wb.worksheets[0]
    rows = sheet_rows(ws, 3)
    header, data = rows[0], {row[2]: row for row in rows[1:]}
    assert len(data) == 4 and len(header) == 11 + 4  # 11 columns per unit, one per question
    s1, s2, s3 = data["โรงเรียนบ้านทดสอบ 1"], data["โรงเรียนบ้านทดสอบ 2"], data["โรงเรียนบ้านทดสอบ 3"]
    division = data["กลุ่มส่งเสริมการจัดการศึกษา"]
    assert s1[1] == "99010001" and division[1] == "05"
    # Numbers stay numbers; yes/no in words; the file question lists the file names.
    assert s1[11] == 85.5 and isinstance(s2[11], (int, float)) and division[11] == 100
    assert s1[14] == "หลักฐานการอ่าน.pdf"
    # Dates are real dates shown in BE; the submission time in BE text; late and the 30 working days.
    assert s1[6] == dt.datetime(2026, 2, 16) and ws.cell(row=4, column=7).number_format == "[$-107041E]d/m/yyyy"
    assert "2569" in s2[7] and s2[8] and s2[10] == 2
    assert s3[7] is None and s3[8] and s3[10] == 9 and s3[11] is None
    assert s1[8] is None and s1[10] is None


def test_formula_safe(full_round):
    wb = workbook(responses_workbook(full_round, today=TODAY))
    ws = wb.worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    texts = wb.worksheets[2]
    (formula_like,) = [c for row in texts.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert formula_like.data_type == "s" and formula_like.quotePrefix


def test_other_sheets(full_round):
    wb = workbook(responses_workbook(full_round, today=TODAY))
    assert len(wb.worksheets) == 5
    summary = {row[0]: row for row in sheet_rows(wb.worksheets[1], 4)}
    assert summary[1][6] == 100 and summary[1][8] == 3 and summary[1][9] == Decimal("255.5") and summary[1][13] == 1
    assert (summary[2][14], summary[2][15]) == (2, 1) and summary[4][16] == 1
    texts = sheet_rows(wb.worksheets[2], 4)
    assert len(texts) == 3 and {t[5] for t in texts} >= {"ครูขาดแคลนสื่อการสอน", "ดำเนินการตามแผน"}
    (evidence,) = sheet_rows(wb.worksheets[3], 4)
    assert evidence[0] == "99010001" and evidence[3] == "หลักฐานการอ่าน.pdf" and isinstance(evidence[5], int)
    assert not any("http" in str(v) or "/" in str(v) and "inspections/" in str(v) for v in evidence)
    readme = [row[0] for row in sheet_rows(wb.worksheets[4]) if row[0]]
    assert len(readme) >= 8


def test_queries_do_not_grow_with_units(cast, full_round):
    def count():
        r = type(full_round).objects.select_related("office").get(pk=full_round.pk)
        with CaptureQueriesContext(connection) as ctx:
            responses_workbook(r, today=TODAY)
        return len(ctx.captured_queries)

    few = count()
    services.reopen_round(full_round, by=cast.planner, reason="เพิ่มหน่วยรับตรวจ")
    full_round.refresh_from_db()
    services.dispatch_forms(full_round, by=cast.planner, schools=[SchoolFactory(office=cast.office, smis_code=f"9904{i:04d}") for i in range(12)])
    assert count() == few <= 10
