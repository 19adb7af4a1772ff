"""The printable lists of a batch, read back: the PDF as text (pypdf), the XLSX with openpyxl."""
from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from .helpers import HEADER_ROW, one_time_passwords, pdf_text, xlsx_rows

pytestmark = pytest.mark.django_db


def test_pdf_lists_every_school_with_code_and_password(batch_a):
    text = pdf_text(batch_a)
    # pypdf reads a shifted tone mark (ป่า) as followed by a space; compare without spaces.
    compact = text.replace(" ", "")
    passwords = one_time_passwords(batch_a)
    for code, name in [("99010001", "โรงเรียนบ้านดอนแก้ว"), ("99010002", "โรงเรียนบ้านห้วยทราย"), ("99010003", "โรงเรียนวัดป่าแดง")]:
        assert name in compact and code in text
        # once in the register, once on the school's own slip
        assert text.count(passwords[code]) == 2
    assert "บ้านร้างเรียนรวม" not in text  # closed school: no account
    assert "https://emes.test/accounts/login/" in text
    assert "ต้องตั้งรหัสผ่านใหม่" in compact  # the first-login change, read back right (ต้อง, not ตูอง)


def test_pdf_is_a4(batch_a):
    from pypdf import PdfReader

    with batch_a.pdf.open("rb") as f:
        page = PdfReader(BytesIO(f.read())).pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (page.mediabox.width, page.mediabox.height))
    assert round(width_mm) == 210 and round(height_mm) == 297


def test_xlsx_register(batch_a):
    with batch_a.xlsx.open("rb") as f:
        ws = load_workbook(BytesIO(f.read())).active
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == ["ที่", "รหัสโรงเรียน", "ชื่อโรงเรียน", "กลุ่มโรงเรียน", "ชื่อผู้ใช้", "รหัสผ่านชั่วคราว", "ลงชื่อผู้รับ"]
    assert "สพป.ทดสอบ เขต 1" in ws["A1"].value or "ทดสอบ เขต 1" in ws["A1"].value
    rows = xlsx_rows(batch_a)
    assert len(rows) == 3
    assert [r[0] for r in rows] == [1, 2, 3]
    # hand-out order: cluster in Thai dictionary order (เมือง before ลุ่มน้ำยม), then code
    assert [r[1] for r in rows] == ["99010001", "99010002", "99010003"]
    assert rows[0][2] == "โรงเรียนบ้านดอนแก้ว" and rows[0][3] == "กลุ่มโรงเรียนเมือง"
    for r in range(HEADER_ROW + 1, HEADER_ROW + 4):
        for col in (2, 5, 6):  # code, username, password
            cell = ws.cell(row=r, column=col)
            assert cell.data_type == "s" and cell.number_format == "@", (r, col)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # the header repeats on every page
    assert ws.column_dimensions["C"].width >= 30


def test_a_code_with_leading_zeros_stays_text(office_a, planner_a):
    """SMIS codes are text: a code such as 01010001 must not lose its zero in Excel."""
    from emes.people import services
    from tests.factories import SchoolFactory

    SchoolFactory(office=office_a, smis_code="01010001", name="บ้านศูนย์นำ")
    batch = services.create_school_accounts(office_a, by=planner_a)
    assert xlsx_rows(batch)[0][1] == "01010001" and xlsx_rows(batch)[0][4] == "01010001"
