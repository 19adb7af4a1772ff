"""Every bad school file is refused with Thai messages naming row and column, and leaves the database as it was."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emes.registry import services
from emes.registry.parsing import ImportFileError
from tests.factories import SchoolFactory

from .conftest import registry_state, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["รหัสโรงเรียน", "ชื่อโรงเรียน", "กลุ่มโรงเรียน", "students_total"]
GOOD = ["99010001", "บ้านใหม่", "กลุ่มใหม่", "60"]


def _csv(rows, **kw):
    return lambda tmp: write_csv(tmp / "schools.csv", rows, **kw)


def _bytes(name: str, data: bytes):
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path
    return build


def _xlsx_with_formula(tmp: Path) -> Path:
    path = write_xlsx(tmp / "schools.xlsx", [HEADER, GOOD, ["99010002", "สอง", "กลุ่มใหม่", 40]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["D3"] = "=D2-20"
    workbook.save(path)
    return path


def _xlsx_merged(tmp: Path) -> Path:
    return write_xlsx(tmp / "schools.xlsx", [HEADER, GOOD, ["99010002", "สอง", "กลุ่มใหม่", 40]], merge="C2:C3")


BAD_FILES = {
    "unknown column": (_csv([HEADER + ["สีประจำโรงเรียน"], GOOD + ["แดง"]]),
                       ['แถวที่ 1 คอลัมน์ "สีประจำโรงเรียน": ไม่รู้จักคอลัมน์นี้ ดูชื่อคอลัมน์ที่รับได้ในหน้านำเข้าไฟล์']),
    "same field twice": (_csv([HEADER + ["school_group"], GOOD + ["กลุ่ม"]]),
                         ['แถวที่ 1 คอลัมน์ "school_group": เป็นข้อมูลเดียวกับคอลัมน์ "กลุ่มโรงเรียน" กรุณาเก็บไว้คอลัมน์เดียว']),
    "duplicate code": (_csv([HEADER, GOOD, ["99010002", "สอง", "", "1"], ["99010001", "ซ้ำ", "", "2"]]),
                       ['แถวที่ 4 คอลัมน์ "รหัสโรงเรียน": รหัส 99010001 ซ้ำกับแถวที่ 2']),
    "7-digit code": (_csv([HEADER, GOOD, ["9901001", "สั้น", "", "1"]]),
                     ['แถวที่ 3 คอลัมน์ "รหัสโรงเรียน": รหัส 9901001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก']),
    "code of another area": (_csv([HEADER, GOOD, ["99020001", "เขตอื่น", "", "1"]]),
                             ['แถวที่ 3 คอลัมน์ "รหัสโรงเรียน": รหัส 99020001 ขึ้นต้นด้วย 9902 ซึ่งเป็นรหัสของ สพป.ทดสอบ เขต 2 ไม่ใช่ 9901 จึงเป็นโรงเรียนของเขตพื้นที่อื่น']),
    "registered under another office": (_csv([HEADER, GOOD, ["99010077", "ของเขตสอง", "", "1"]]),
                                        ['แถวที่ 3 คอลัมน์ "รหัสโรงเรียน": โรงเรียน 99010077 ของเขตสอง อยู่ในทะเบียนของ สพป.ทดสอบ เขต 2 (9902) แล้ว การนำเข้าไม่ย้ายโรงเรียนข้ามเขตพื้นที่']),
    "empty file": (_bytes("schools.csv", b""), ["ไฟล์ว่างเปล่า ไม่มีข้อมูล"]),
    "header only": (_csv([HEADER]), ["ไฟล์มีแต่แถวหัวตาราง ไม่มีแถวข้อมูล"]),
    "pdf named csv": (_bytes("schools.csv", b"%PDF-1.4\n1 0 obj\n"), ["ไฟล์นี้เป็นไฟล์ PDF ไม่ใช่ไฟล์ CSV (.csv) / Excel (.xlsx)"]),
    "png named xlsx": (_bytes("schools.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ["ไฟล์นี้เป็นไฟล์ PNG ไม่ใช่ไฟล์ CSV (.csv) / Excel (.xlsx)"]),
    "other extension": (_bytes("schools.txt", b"a,b\n"), ["นำเข้าได้เฉพาะไฟล์ CSV (.csv) / Excel (.xlsx) (ไฟล์นี้ชื่อ schools.txt)"]),
    "non-numeric students": (_csv([HEADER, ["99010001", "หนึ่ง", "", "สิบ"]]),
                             ['แถวที่ 2 คอลัมน์ "students_total": "สิบ" ไม่ใช่ตัวเลขจำนวนนักเรียน']),
    "negative students": (_csv([HEADER, ["99010001", "หนึ่ง", "", "-4"]]),
                          ['แถวที่ 2 คอลัมน์ "students_total": -4 ติดลบ จำนวนนักเรียนต้องไม่น้อยกว่า 0']),
    "negative grade count": (_csv([["รหัสโรงเรียน", "รวมป.1"], ["99010001", "-1"]]),
                             ['แถวที่ 2 คอลัมน์ "รวมป.1": -1 ติดลบ จำนวนนักเรียนต้องไม่น้อยกว่า 0']),
    "xlsx formula": (_xlsx_with_formula, ['แถวที่ 3 คอลัมน์ "students_total": เซลล์ D3 เป็นสูตร กรุณาคัดลอกแล้ววางแบบค่า (วางเฉพาะค่า)']),
    "xlsx merged cells": (_xlsx_merged, ["แถวที่ 2: เซลล์ C2:C3 ถูกผสานไว้ กรุณายกเลิกการผสานเซลล์และกรอกข้อมูลให้ครบทุกแถว"]),
    "bad encoding": (_bytes("schools.csv", "รหัสโรงเรียน,ชื่อโรงเรียน\n".encode() + b"99010001,caf\xff\n"),
                     ['อ่านข้อความในไฟล์ไม่ได้ ไม่ใช่รหัส UTF-8 หรือ TIS-620 (Windows-874) กรุณาบันทึกเป็น "CSV UTF-8"']),
    "no code in a middle row": (_csv([HEADER, ["", "ไม่มีรหัส", "", "1"], GOOD]), ["แถวที่ 2: แถวนี้ไม่มีรหัสโรงเรียน"]),
    "unknown status": (_csv([["รหัสโรงเรียน", "school_status"], ["99010001", "หยุดชั่วคราว"]]),
                       ['แถวที่ 2 คอลัมน์ "school_status": สถานะ "หยุดชั่วคราว" ไม่ใช่ค่าที่รับได้ (โรงเรียนหลัก, เปิด, เปิดสอน, เรียนรวม, ปิด, ยุบ, ยุบรวม, ปิดกิจการ)']),
    "no code column": (_csv([["ชื่อโรงเรียน"], ["หนึ่ง"]]),
                       ["แถวที่ 1: ไฟล์ไม่มีคอลัมน์รหัสโรงเรียน (รหัสโรงเรียน, school_code_8_smis หรือ school_id_10)"]),
    "only other offices": (_csv([["area_code", "school_code_8_smis", "school_name"], ["9902", "99020001", "เขตสอง"]]),
                           ["ไม่พบโรงเรียนของสำนักงานเขตพื้นที่รหัส 9901 ในไฟล์นี้"]),
    "new school without name column": (_csv([["รหัสโรงเรียน", "รวมป.1"], ["99010001", "3"], ["99010009", "4"]]),
                                       ['แถวที่ 3 คอลัมน์ "รหัสโรงเรียน": โรงเรียน 99010009 ยังไม่อยู่ในทะเบียน การเพิ่มโรงเรียนใหม่ต้องมีคอลัมน์ชื่อโรงเรียน']),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_and_changes_nothing(case, school_a, office_b, planner_a, tmp_path):
    SchoolFactory(office=office_b, smis_code="99010077", name="ของเขตสอง")
    build, expected = BAD_FILES[case]
    path = build(tmp_path)
    before = registry_state()

    with pytest.raises(ImportFileError) as caught:
        services.upload_school_file(school_a.office, SimpleUploadedFile(path.name, path.read_bytes()), by=planner_a, academic_year=2568)

    assert caught.value.messages == expected
    assert registry_state() == before
    school_a.refresh_from_db()
    assert (school_a.name, school_a.cluster, school_a.students_total) == ("บ้านเดิม", "กลุ่มเดิม", 50)


def test_file_over_the_size_limit_is_refused(school_a, planner_a, settings):
    settings.EMES_IMPORT_MAX_BYTES = 1024 * 1024
    data = ("รหัสโรงเรียน,ชื่อโรงเรียน\n" + "99010001," + "ก" * (1024 * 1024) + "\n").encode()
    before = registry_state()

    with pytest.raises(ImportFileError) as caught:
        services.upload_school_file(school_a.office, SimpleUploadedFile("big.csv", data), by=planner_a, academic_year=2568)

    assert caught.value.messages == ["ไฟล์มีขนาด 3.0 MB เกินขนาดที่รับได้ 1 MB"]
    assert registry_state() == before


def test_many_errors_are_listed_together_up_to_fifty(school_a, planner_a, tmp_path):
    rows = [HEADER] + [[f"99010{n:03d}", f"โรง {n}", "", "x"] for n in range(100, 160)]
    path = write_csv(tmp_path / "many.csv", rows)

    with pytest.raises(ImportFileError) as caught:
        services.upload_school_file(school_a.office, SimpleUploadedFile(path.name, path.read_bytes()), by=planner_a, academic_year=2568)

    messages = caught.value.messages
    assert len(messages) == 51
    assert messages[0] == 'แถวที่ 2 คอลัมน์ "students_total": "x" ไม่ใช่ตัวเลขจำนวนนักเรียน'
    assert messages[-1] == "... และข้อผิดพลาดอื่นอีก 10 รายการ"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_thai_excel_encodings_are_accepted(encoding, office_a, planner_a, tmp_path):
    path = write_csv(tmp_path / "s.csv", [HEADER, GOOD], encoding=encoding)
    school_import = services.upload_school_file(office_a, SimpleUploadedFile(path.name, path.read_bytes()), by=planner_a, academic_year=2568)
    services.apply_school_import(school_import, by=planner_a)
    assert school_import.summary["added"] == 1
    from emes.models import School
    assert School.objects.get().name == "บ้านใหม่"


def test_xlsx_of_values_is_accepted(office_a, planner_a, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["ตารางรายชื่อโรงเรียน"], [], HEADER, [99010001, "บ้านใหม่", "กลุ่มใหม่", 60.0], [None, None, None, 60]],
                      merge="A1:D1")  # a merged title above the header is fine: the data area has none
    school_import = services.upload_school_file(office_a, SimpleUploadedFile(path.name, path.read_bytes()), by=planner_a, academic_year=2568)
    summary = services.apply_school_import(school_import, by=planner_a)
    assert summary["added"] == 1
    from emes.models import School
    assert School.objects.get().students_total == 60


def test_file_and_registry_problems_are_listed_together_by_row(school_a, office_b, planner_a, tmp_path):
    SchoolFactory(office=office_b, smis_code="99010077", name="ของเขตสอง")
    path = write_csv(tmp_path / "mixed.csv", [
        HEADER,
        ["99010077", "ของเขตสอง", "", "5"],      # registered under office B
        ["9901001", "สั้น", "", "x"],            # bad code and bad number in one row
        ["99020001", "เขตอื่น", "", "1"],        # another area's prefix
        GOOD,
    ])

    with pytest.raises(ImportFileError) as caught:
        services.upload_school_file(school_a.office, SimpleUploadedFile(path.name, path.read_bytes()), by=planner_a, academic_year=2568)

    assert caught.value.messages == [
        'แถวที่ 2 คอลัมน์ "รหัสโรงเรียน": โรงเรียน 99010077 ของเขตสอง อยู่ในทะเบียนของ สพป.ทดสอบ เขต 2 (9902) แล้ว การนำเข้าไม่ย้ายโรงเรียนข้ามเขตพื้นที่',
        'แถวที่ 3 คอลัมน์ "รหัสโรงเรียน": รหัส 9901001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก',
        'แถวที่ 3 คอลัมน์ "students_total": "x" ไม่ใช่ตัวเลขจำนวนนักเรียน',
        'แถวที่ 4 คอลัมน์ "รหัสโรงเรียน": รหัส 99020001 ขึ้นต้นด้วย 9902 ซึ่งเป็นรหัสของ สพป.ทดสอบ เขต 2 ไม่ใช่ 9901 จึงเป็นโรงเรียนของเขตพื้นที่อื่น',
    ]
