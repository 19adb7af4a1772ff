"""Every bad workbook is refused with Thai messages naming sheet, row and column, and leaves the plan as it was."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from plans.workbook import services
from emes.uploads import MAX_PROBLEMS
from plans.workbook.reader import PlanWorkbookError

from .conftest import FY, base_rows, build, edit, plan_state, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(office_a, planner_a, frame):
    """The base plan already imported, so "unchanged" covers real rows (counts and one field of each)."""
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(plan_import, by=planner_a)
    return plan_state()


def refused(office, planner, data: bytes, name: str = "plan.xlsx") -> list[str]:
    """The messages of the refusal; the test then checks the plan is unchanged."""
    with pytest.raises(PlanWorkbookError) as caught:
        services.upload_plan_workbook(office, FY, upload(data, name), by=planner)
    return caught.value.messages


def rows_with(change) -> object:
    rows = base_rows()
    change(rows)
    return rows


CASES = {
    "missing required values": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(name="", division=None))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "ชื่อโครงการ *": ต้องกรอกข้อมูลช่องนี้',
         'ชีต "โครงการ" แถว 3 คอลัมน์ "กลุ่มที่รับผิดชอบ *": ต้องกรอกข้อมูลช่องนี้'],
    ),
    "unknown division": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(division="11"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "กลุ่มที่รับผิดชอบ *": ไม่พบกลุ่มรหัส "11" ในสำนักงานนี้ กรุณาใช้รหัส: 01, 02'],
    ),
    "unknown strategy": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(strategy="กลยุทธ์ที่ 9"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "กลยุทธ์หลัก *": ไม่พบกลยุทธ์ "กลยุทธ์ที่ 9" ในปีงบประมาณนี้ กรุณาใช้รหัสจากรายการให้เลือก (เช่น กลยุทธ์ที่ 1, กลยุทธ์ที่ 2)'],
    ),
    "ambiguous bare strategy code": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(strategy="1"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "กลยุทธ์หลัก *": รหัส "1" ซ้ำกันหลายระดับ กรุณาเขียนตามรายการให้เลือก: นโยบาย สพฐ. ข้อ 1, กลยุทธ์ที่ 1'],
    ),
    "an unknown policy in the other strategies": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(strategies="นโยบาย ศธ. ข้อ 12, ยุทธศาสตร์ชาติ 7"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "สอดคล้องกับยุทธศาสตร์/นโยบาย": ไม่พบกลยุทธ์ "ยุทธศาสตร์ชาติ 7" ในปีงบประมาณนี้ กรุณาใช้รหัสจากรายการให้เลือก (เช่น ยุทธศาสตร์ชาติด้านที่ 3)'],
    ),
    "text in a money cell": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(budget="ห้าหมื่นบาท"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "งบประมาณ (บาท)": "ห้าหมื่นบาท" ไม่ใช่จำนวนเงิน (บาท) กรุณากรอกเฉพาะตัวเลข (เช่น 12500.50)'],
    ),
    "negative budget": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(budget=Decimal("-500")))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "งบประมาณ (บาท)": -500.00 ติดลบ จำนวนเงิน (บาท) ต้องไม่น้อยกว่า 0'],
    ),
    "quarters do not add up": (
        lambda o: build(o, rows_with(lambda r: r.budget[0].update(q4=Decimal("1000")))),
        ['ชีต "งบประมาณ" แถว 2 คอลัมน์ "แผนไตรมาส 1 ต.ค.-ธ.ค. (บาท)": แผนรายไตรมาสรวมกันได้ 81,000.00 บาท ไม่เท่ากับจำนวนเงิน 80,000.00 บาท'],
    ),
    "activities exceed the project's budget": (
        lambda o: build(o, rows_with(lambda r: r.activities[2].update(budget=Decimal("50000.01")))),
        ['ชีต "กิจกรรม" แถว 4 คอลัมน์ "งบประมาณ (บาท)": งบประมาณกิจกรรมของโครงการ 69-02-001 รวม 50,000.01 บาท เกินงบประมาณโครงการ 50,000.00 บาท'],
    ),
    "a CE year in a date": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(start_date="1/10/2025"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "วันเริ่มต้น": ปี 2025 เป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. (2568)'],
    ),
    "a CE fiscal year": (
        lambda o: edit(build(o), lambda wb: wb["คำอธิบาย"].__setitem__("B4", 2026)),
        ['ชีต "คำอธิบาย": เซลล์ B4: ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)'],
    ),
    "another fiscal year": (
        lambda o: edit(build(o), lambda wb: wb["คำอธิบาย"].__setitem__("B4", 2568)),
        ['ชีต "คำอธิบาย": สมุดงานนี้เป็นแผนของปีงบประมาณ 2568 (เซลล์ B4) ไม่ใช่ 2569 กรุณาดาวน์โหลดแบบฟอร์มของปีงบประมาณ 2569 หรือนำเข้าที่หน้าของปี 2568'],
    ),
    "another office": (
        lambda o: edit(build(o), lambda wb: wb["คำอธิบาย"].__setitem__("B3", "9902")),
        ['ชีต "คำอธิบาย": สมุดงานนี้เป็นของสำนักงานเขตพื้นที่ 9902 (เซลล์ B3) ไม่ใช่ 9901 กรุณาดาวน์โหลดแบบฟอร์มของสำนักงานนี้'],
    ),
    "a date outside the fiscal year": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(end_date=dt.date(2026, 10, 1)))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "วันสิ้นสุด": 1 ตุลาคม 2569 อยู่นอกปีงบประมาณ 2569 (1 ตุลาคม 2568 ถึง 30 กันยายน 2569)'],
    ),
    "duplicate project codes": (
        lambda o: build(o, rows_with(lambda r: r.projects.append({**r.projects[1], "name": "ซ้ำ"}))),
        ['ชีต "โครงการ" แถว 4 คอลัมน์ "รหัสโครงการ *": รหัสโครงการ 69-02-001 ซ้ำกับแถว 3 แต่ละโครงการต้องมีรหัสไม่ซ้ำกัน'],
    ),
    "a typed budget that differs from its lines": (
        lambda o: build(o, rows_with(lambda r: r.projects[0].update(budget=Decimal("100000")))),
        ['ชีต "โครงการ" แถว 2 คอลัมน์ "งบประมาณ (บาท)": งบประมาณ 100,000.00 บาท ไม่เท่ากับผลรวมรายการของโครงการในชีต "งบประมาณ" (100,000.50 บาท) กรุณาเว้นว่างหรือแก้ไขให้ถูกต้อง'],
    ),
    "an unknown owner": (
        lambda o: build(o, rows_with(lambda r: r.projects[1].update(owner="planner_b"))),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "ผู้รับผิดชอบโครงการ (ชื่อผู้ใช้)": ไม่พบบุคลากรของสำนักงานที่มีชื่อผู้ใช้ "planner_b"'],
    ),
    "an activity of an unknown project": (
        lambda o: build(o, rows_with(lambda r: r.activities.append({"project": "69-09-999", "order": 1, "name": "x"}))),
        ['ชีต "กิจกรรม" แถว 5 คอลัมน์ "รหัสโครงการ *": ไม่พบโครงการ 69-09-999 ในชีต "โครงการ"'],
    ),
    "a formula": (
        lambda o: edit(build(o), lambda wb: wb["โครงการ"].__setitem__("H3", "=40000+10000")),
        ['ชีต "โครงการ" แถว 3 คอลัมน์ "งบประมาณ (บาท)": เซลล์ H3 เป็นสูตร กรุณาคัดลอกแล้ววางแบบค่า (วางเฉพาะค่า)'],
    ),
    "merged cells": (
        lambda o: edit(build(o), lambda wb: wb["กิจกรรม"].merge_cells("A2:A3")),
        ['ชีต "กิจกรรม" แถว 2: เซลล์ A2:A3 ถูกผสานไว้ กรุณายกเลิกการผสานเซลล์และกรอกข้อมูลให้ครบทุกเซลล์'],
    ),
    "a missing sheet": (
        lambda o: edit(build(o), lambda wb: wb.remove(wb["กิจกรรม"])),
        ['สมุดงานไม่มีชีต "กิจกรรม" (ชีตที่พบ: คำอธิบาย, โครงการ, ตัวชี้วัด, งบประมาณ, รายการ) กรุณาดาวน์โหลดแบบฟอร์มแล้วคัดลอกข้อมูลลงไป'],
    ),
    "an unknown header": (
        lambda o: edit(build(o), lambda wb: wb["ตัวชี้วัด"].__setitem__("E1", "หน่วย")),
        ['ชีต "ตัวชี้วัด" แถว 1 คอลัมน์ "หน่วย": ไม่รู้จักคอลัมน์ "หน่วย" (เซลล์ E1) กรุณาใช้หัวคอลัมน์ตามแบบฟอร์ม: รหัสโครงการ, กลยุทธ์ (ตัวชี้วัดระดับกลยุทธ์), รหัสตัวชี้วัด, ตัวชี้วัด, หน่วยนับ, ค่าฐาน, ค่าเป้าหมาย, ทิศทาง (≥ / ≤), เป็นร้อยละ (ตัวตั้ง/ตัวหาร), ความถี่การรายงาน, ผู้รับผิดชอบตัวชี้วัด',
         'ชีต "ตัวชี้วัด" แถว 1: ไม่พบคอลัมน์ "หน่วยนับ" กรุณาเพิ่มกลับในแถวที่ 1 (ดูแบบฟอร์ม)'],
    ),
    "an empty workbook": (
        lambda o: _blank_workbook(),
        ['สมุดงานไม่มีชีต "คำอธิบาย", "โครงการ", "ตัวชี้วัด", "กิจกรรม", "งบประมาณ" (ชีตที่พบ: Sheet) กรุณาดาวน์โหลดแบบฟอร์มแล้วคัดลอกข้อมูลลงไป'],
    ),
}


def _blank_workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize("case", CASES)
def test_bad_workbook(case, office_a, planner_a, existing):
    make, expected = CASES[case]
    assert refused(office_a, planner_a, make(office_a)) == expected
    assert plan_state() == existing


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("plan.xlsx", "รหัสโครงการ,ชื่อโครงการ\n69-01-001,หนึ่ง\n".encode(), "ไฟล์นี้ไม่ใช่สมุดงาน Excel (.xlsx) (อาจเป็นไฟล์ CSV หรือไฟล์ข้อความที่เปลี่ยนชื่อ) กรุณาบันทึกจาก Excel เป็น .xlsx"),
    ("plan.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ไฟล์นี้เป็นไฟล์ PDF ไม่ใช่ไฟล์ Excel (.xlsx)"),
    ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "ไฟล์นี้เป็นไฟล์ Excel 97-2003 (.xls) / Word (.doc) ไม่ใช่ไฟล์ Excel (.xlsx)"),
    ("plan.xlsx", b"", "ไฟล์ว่างเปล่า ไม่มีข้อมูล"),
])
def test_a_file_that_is_not_xlsx_is_refused_by_its_content(name, data, expected, office_a, planner_a, existing):
    assert refused(office_a, planner_a, data, name) == [expected]
    assert plan_state() == existing


def test_a_zip_that_is_not_a_workbook_is_refused(office_a, planner_a, existing):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused(office_a, planner_a, out.getvalue()) == ["ไฟล์นี้เป็นไฟล์บีบอัด ZIP ไม่ใช่สมุดงาน Excel (.xlsx)"]
    assert plan_state() == existing


def test_a_file_over_the_limit_is_refused(settings, office_a, planner_a, existing):
    data = build(office_a)
    settings.EMES_IMPORT_MAX_BYTES = len(data) - 1
    [message] = refused(office_a, planner_a, data)
    assert message.startswith("ไฟล์มีขนาด 0.0 MB เกินขนาดที่รับได้")
    assert plan_state() == existing


def test_several_problems_are_listed_at_once_in_order(office_a, planner_a, existing):
    def change(rows):
        rows.projects[1].update(division="11", budget="ห้าหมื่น")
        rows.indicators[2]["target"] = "สูง"
        rows.budget[1]["amount"] = Decimal("-1")

    messages = refused(office_a, planner_a, build(office_a, rows_with(change)))
    # Sorted by sheet, row and column, whether found in the cells or against the office's codes.
    assert [m.split(":")[0] for m in messages] == [
        'ชีต "โครงการ" แถว 3 คอลัมน์ "กลุ่มที่รับผิดชอบ *"',
        'ชีต "โครงการ" แถว 3 คอลัมน์ "งบประมาณ (บาท)"',
        'ชีต "ตัวชี้วัด" แถว 4 คอลัมน์ "ค่าเป้าหมาย *"',
        'ชีต "งบประมาณ" แถว 3 คอลัมน์ "จำนวนเงิน (บาท) *"',
    ]
    assert plan_state() == existing


def test_at_most_50_problems_are_listed(office_a, planner_a, existing):
    rows = base_rows()
    rows.activities = [{"project": "69-02-001", "order": n, "name": "กิจกรรม", "budget": "ไม่ทราบ"} for n in range(1, 71)]
    messages = refused(office_a, planner_a, build(office_a, rows))
    assert len(messages) == MAX_PROBLEMS + 1
    assert messages[-1] == "... และข้อผิดพลาดอื่นอีก 20 รายการ"
    assert plan_state() == existing


def test_the_template_re_imports_as_nothing_to_import(office_a, planner_a, existing):
    template = services.build_plan_template(office_a, FY)
    assert refused(office_a, planner_a, template) == [
        'ชีต "โครงการ": ไม่มีข้อมูลให้นำเข้า: ชีต "โครงการ" ไม่มีโครงการ (แถวตัวอย่างไม่นำเข้า) กรุณากรอกโครงการ หรือดาวน์โหลดไฟล์แผนปัจจุบันมาแก้ไข'
    ]
    assert plan_state() == existing


def test_strategy_indicators_name_an_office_strategy_and_not_a_project_too(office_a, planner_a, existing):
    def change(rows):
        rows.indicators[3]["strategy"] = "นโยบาย สพฐ. ข้อ 1"
        rows.indicators[0]["strategy"] = "กลยุทธ์ที่ 2"
        rows.indicators.append({"name": "ไม่มีเจ้าของ", "unit": "ร้อยละ", "target": Decimal("1")})

    assert refused(office_a, planner_a, build(office_a, rows_with(change))) == [
        'ชีต "ตัวชี้วัด" แถว 2 คอลัมน์ "กลยุทธ์ (ตัวชี้วัดระดับกลยุทธ์)": กรอกรหัสโครงการหรือกลยุทธ์อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองช่อง',
        'ชีต "ตัวชี้วัด" แถว 5 คอลัมน์ "กลยุทธ์ (ตัวชี้วัดระดับกลยุทธ์)": นโยบาย สพฐ. ข้อ 1 เป็นยุทธศาสตร์หรือนโยบายส่วนกลาง ตัวชี้วัดระดับกลยุทธ์ใช้ได้เฉพาะกลยุทธ์ของสำนักงาน (กลยุทธ์ที่ …)',
        'ชีต "ตัวชี้วัด" แถว 6 คอลัมน์ "กลยุทธ์ (ตัวชี้วัดระดับกลยุทธ์)": กรุณากรอกรหัสโครงการ (หรือกลยุทธ์ สำหรับตัวชี้วัดระดับกลยุทธ์)',
    ]
    assert plan_state() == existing
