"""File reading rules of ``emes.registry.parsing`` that need no database."""
from __future__ import annotations

import pytest

from emes.uploads import read_upload
from emes.registry.parsing import (
    CellError, ImportFileError, Problem, cell_count, province_from_office_name, read_table,
)


@pytest.mark.parametrize(("name", "province"), [
    ("สพป.แพร่ เขต 2", "แพร่"),
    ("สพม.กรุงเทพมหานคร เขต 1", "กรุงเทพมหานคร"),
    ("สพป.กรุงเทพมหานคร", "กรุงเทพมหานคร"),
    ("สพม.จันทบุรี ตราด", "จันทบุรี"),  # several provinces: the first, where the office sits
    ("สพม.พังงา ภูเก็ต ระนอง", "พังงา"),
    ("สพป.เชียงราย เขต 3", "เชียงราย"),
    ("สำนักบริหารงานการศึกษาพิเศษ", ""),
    ("สพป.ไม่มีจังหวัดนี้ เขต 1", ""),
])
def test_province_from_office_name(name, province):
    assert province_from_office_name(name) == province


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (12, 12), (12.0, 12), ("1,234", 1234), ("๑๒", 12), ("", None), ("-", None), (None, None), ("7.00", 7),
])
def test_cell_count_accepts_counts(value, expected):
    assert cell_count(value) == expected


@pytest.mark.parametrize(("value", "fragment"), [
    ("สิบ", "ไม่ใช่ตัวเลขจำนวนนักเรียน"), ("-3", "ติดลบ"), (-3, "ติดลบ"), (2.5, "ไม่ใช่จำนวนเต็ม"), ("2.5", "ไม่ใช่จำนวนเต็ม"),
    (True, "ไม่ใช่จำนวนนักเรียน"), (250000, "มากเกิน"),
])
def test_cell_count_refuses_non_counts(value, fragment):
    with pytest.raises(CellError, match=fragment):
        cell_count(value)


def test_problem_reads_as_a_thai_sentence_with_row_and_column():
    problem = Problem("รหัส 5402001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก", row=5, column="รหัสโรงเรียน")
    assert str(problem) == 'แถวที่ 5 คอลัมน์ "รหัสโรงเรียน": รหัส 5402001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก'


def test_more_than_fifty_problems_are_cut_with_a_count():
    error = ImportFileError([Problem("x", row=n) for n in range(2, 62)])
    assert len(error.messages) == 51
    assert error.messages[-1] == "... และข้อผิดพลาดอื่นอีก 10 รายการ"
    assert len(error.problems) == 60


@pytest.mark.parametrize(("data", "name", "fragment"), [
    (b"%PDF-1.7\n...", "list.csv", "ไฟล์ PDF"),
    (b"\x89PNG\r\n\x1a\n....", "list.xlsx", "ไฟล์ PNG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "list.xlsx", "Excel 97-2003"),
    (b"a,b\n1,2\n", "list.txt", "เฉพาะไฟล์ CSV (.csv) / Excel (.xlsx)"),
    (b"a,b\n1,2\n", "list.xlsx", "ไม่ใช่สมุดงาน Excel"),
    (b"PK\x03\x04garbage", "list.xlsx", "ไฟล์บีบอัด ZIP"),
    (b"", "list.csv", "ไฟล์ว่างเปล่า"),
    (b"a,b\x00\x01\n", "list.csv", "ไม่ใช่ไฟล์ข้อความ"),
])
def test_file_type_is_checked_by_content(data, name, fragment):
    with pytest.raises(ImportFileError) as caught:
        read_upload(data, filename=name, kinds=("csv", "xlsx"))
    assert fragment in caught.value.messages[0]


def test_csv_in_tis620_and_with_semicolons_is_read():
    data = "รหัสโรงเรียน;ชื่อโรงเรียน\n54020001;บ้านน้ำริน\n".encode("cp874")
    table = read_table(data, "list.csv")
    assert table.header == ["รหัสโรงเรียน", "ชื่อโรงเรียน"]
    assert table.rows == [(2, ["54020001", "บ้านน้ำริน"])]
    assert table.encoding.startswith("TIS-620")


def test_csv_with_bom_is_read_as_utf8():
    table = read_table("\ufeffรหัสโรงเรียน,ชื่อโรงเรียน\n54020001,บ้านน้ำริน\n".encode("utf-8"), "list.csv")
    assert table.header[0] == "รหัสโรงเรียน"
    assert table.encoding == "UTF-8"


def test_text_in_neither_encoding_is_refused():
    with pytest.raises(ImportFileError, match="UTF-8 หรือ TIS-620"):
        read_table(b"code,name\n54020001,caf\xff\xfe\n", "list.csv")


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(settings):
    """A ZIP bomb named .xlsx: its unpacked size is checked (emes.uploads) before openpyxl reads it."""
    import io

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    settings.EMES_UPLOAD_MAX_UNPACKED_BYTES = 1000  # a real bomb unpacks to gigabytes
    with pytest.raises(ImportFileError) as caught:
        read_table(buffer.getvalue(), "list.xlsx")
    assert "MB" in " ".join(caught.value.messages)
