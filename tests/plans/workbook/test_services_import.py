"""Plan workbook import: upload → preview → apply all or nothing; matching, removals, plan states, refusals."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from plans import services as plan_services
from plans.models import Activity, ActionPlan, Indicator, PlanImport, Project
from plans.workbook import services
from plans.workbook.reader import PlanWorkbookError
from tests.factories import IndicatorResultFactory, QuarterlyReportFactory

from .conftest import FY, base_rows, build, plan_state, upload

pytestmark = pytest.mark.django_db


def _import(office, planner, data: bytes) -> PlanImport:
    plan_import = services.upload_plan_workbook(office, FY, upload(data), by=planner)
    services.apply_plan_import(plan_import, by=planner, fingerprint=plan_import.summary["fingerprint"])
    return plan_import


def test_first_import_creates_the_plan_and_everything_in_it(office_a, planner_a, frame):
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    assert plan_import.status == PlanImport.Status.PREVIEWED
    assert Project.objects.count() == 0  # nothing written by the upload
    summary = plan_import.summary
    assert (summary["projects_added"], summary["indicators_added"], summary["activities_added"], summary["budget_lines_added"]) == (2, 4, 3, 2)

    applied = services.apply_plan_import(plan_import, by=planner_a, fingerprint=summary["fingerprint"])
    assert applied["changes"] == 11 and applied["applied_by"] == "planner_a"
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImport.Status.APPLIED and plan_import.applied_at is not None

    p1 = Project.objects.get(code="69-01-001")
    assert p1.budget == Decimal("100000.50")  # the sum of its budget lines
    assert p1.strategy == frame["s1"] and p1.division.code == "01" and p1.owner == planner_a
    assert set(p1.strategies.all()) == {frame["obec1"], frame["nat3"]}
    assert (p1.start_date, p1.end_date) == (dt.date(2025, 10, 1), dt.date(2026, 9, 30))
    assert p1.rationale == "เหตุผลบรรทัดแรก\nบรรทัดที่สอง"
    assert list(p1.activities.values_list("order", "months", "budget")) == [(1, [11, 12], Decimal("60000")), (2, [1, 2, 3], Decimal("40000"))]
    line = p1.budget_lines.get(source="area")
    assert (line.amount, line.q1, line.q2) == (Decimal("20000.50"), 0, Decimal("20000.50"))
    first = p1.indicators.get(code="1")
    assert (first.baseline, first.target, first.direction, first.is_percentage, first.frequency) == (Decimal("70"), Decimal("80"), "gte", True, "semiannual")
    assert p1.indicators.get(name="จำนวนอุบัติเหตุในโรงเรียน").direction == "lte"
    p2 = Project.objects.get(code="69-02-001")
    assert p2.budget == Decimal("50000") and p2.owner is None and p2.budget_lines.count() == 0
    strategy_indicator = Indicator.objects.get(strategy=frame["s1"])
    assert (strategy_indicator.code, strategy_indicator.project) == ("S1.1", None)
    plan = ActionPlan.objects.get()
    assert (plan.version, plan.status, plan.created_by) == (1, "draft", planner_a)  # ensure_plan made version 1


def test_reimporting_the_same_file_changes_nothing(office_a, planner_a, frame):
    data = build(office_a)
    _import(office_a, planner_a, data)
    before = plan_state()
    again = services.upload_plan_workbook(office_a, FY, upload(data), by=planner_a)
    assert again.summary["changes"] == 0
    assert again.summary["projects_unchanged"] == 2 and again.summary["indicators_unchanged"] == 4
    preview = services.preview_plan_import(again)
    assert not preview.has_changes
    services.apply_plan_import(again, by=planner_a, fingerprint=preview.fingerprint)
    assert plan_state() == {**before, "imports": before["imports"] + 1}


def test_changes_are_previewed_field_by_field_and_applied(office_a, planner_a, frame):
    _import(office_a, planner_a, build(office_a))
    rows = base_rows()
    rows.projects[1]["name"] = "โครงการจัดทำแผนปฏิบัติการ"
    rows.projects[1]["budget"] = Decimal("60000")
    rows.projects[0]["strategies"] = "นโยบาย สพฐ. ข้อ 1"
    rows.indicators[2]["target"] = Decimal("2")
    rows.activities[1]["m4"] = "✓"
    rows.budget[0].update(amount=Decimal("90000"), q3=Decimal("10000"))
    del rows.activities[2]  # activity 1 of 69-02-001 removed
    rows.activities.append({"project": "69-02-001", "order": 5, "name": "ติดตามผล", "m9": "✓", "budget": Decimal("1000")})
    changes = services.check_plan_workbook(build(office_a, rows), office_a, FY)

    projects = {line.key: {c.field: (c.old, c.new) for c in line.changes} for line in changes.changed["projects"]}
    assert projects["69-02-001"] == {"name": ("โครงการจัดทำแผน", "โครงการจัดทำแผนปฏิบัติการ"), "budget": ("50,000.00", "60,000.00")}
    assert projects["69-01-001"]["strategies"] == ("ยุทธศาสตร์ชาติด้านที่ 3, นโยบาย สพฐ. ข้อ 1", "นโยบาย สพฐ. ข้อ 1")
    assert projects["69-01-001"]["budget"] == ("100,000.50", "110,000.50")  # follows its budget lines
    assert [(c.old, c.new) for c in changes.changed["indicators"][0].changes] == [("1", "2")]
    assert [(line.key, line.name) for line in changes.removed["activities"]] == [("69-02-001 · 1", "ประชุมจัดทำแผน")]
    assert [line.key for line in changes.added["activities"]] == ["69-02-001 · 5"]
    assert [(c.label, c.old, c.new) for c in changes.changed["activities"][0].changes] == [("เดือนที่ดำเนินการ", "ม.ค., ก.พ., มี.ค.", "ม.ค., ก.พ., มี.ค., เม.ย.")]

    _import(office_a, planner_a, build(office_a, rows))
    p1, p2 = Project.objects.get(code="69-01-001"), Project.objects.get(code="69-02-001")
    assert (p2.name, p2.budget) == ("โครงการจัดทำแผนปฏิบัติการ", Decimal("60000"))
    assert list(p1.strategies.values_list("code", flat=True)) == ["1"] and p1.strategies.get().level == "obec"
    assert p1.budget == Decimal("110000.50")
    assert list(p2.activities.values_list("order", flat=True)) == [5]
    assert p1.activities.get(order=2).months == [1, 2, 3, 4]


def test_a_budget_line_edited_in_an_export_carries_the_project_budget(office_a, planner_a, frame):
    """The export repeats the old total next to the lines; editing a line alone is enough, the total follows."""
    _import(office_a, planner_a, build(office_a))
    rows = base_rows()
    rows.projects[0]["budget"] = Decimal("100000.50")  # as exported: the old sum
    rows.budget[0].update(amount=Decimal("90000"), q3=Decimal("10000"))
    changes = services.check_plan_workbook(build(office_a, rows), office_a, FY)
    [line] = changes.changed["projects"]
    assert [(c.field, c.old, c.new) for c in line.changes] == [("budget", "100,000.50", "110,000.50")]
    rows.projects[0]["budget"] = Decimal("120000")  # typed anew, and not the sum: refused
    with pytest.raises(PlanWorkbookError) as caught:
        services.check_plan_workbook(build(office_a, rows), office_a, FY)
    assert caught.value.messages == [
        'ชีต "โครงการ" แถว 2 คอลัมน์ "งบประมาณ (บาท)": งบประมาณ 120,000.00 บาท ไม่เท่ากับผลรวมรายการของโครงการในชีต "งบประมาณ" (110,000.50 บาท) กรุณาเว้นว่างหรือแก้ไขให้ถูกต้อง'
    ]


def test_indicators_are_matched_by_code_then_by_name(office_a, planner_a, frame):
    _import(office_a, planner_a, build(office_a))
    coded = Indicator.objects.get(code="1")
    named = Indicator.objects.get(name="จำนวนอุบัติเหตุในโรงเรียน")
    rows = base_rows()
    rows.indicators[0]["name"] = "ร้อยละของโรงเรียนที่ผ่านเกณฑ์ความปลอดภัย"  # renamed, same code
    rows.indicators[1]["code"] = "2"  # gets a code, same name
    _import(office_a, planner_a, build(office_a, rows))
    assert Indicator.objects.get(pk=coded.pk).name == "ร้อยละของโรงเรียนที่ผ่านเกณฑ์ความปลอดภัย"
    assert Indicator.objects.get(pk=named.pk).code == "2"
    assert Indicator.objects.count() == 4


def test_a_project_missing_from_the_workbook_is_removed_with_its_children(office_a, planner_a, frame):
    _import(office_a, planner_a, build(office_a))
    rows = base_rows()
    rows.projects = rows.projects[:1]
    rows.indicators = [i for i in rows.indicators if i.get("project") != "69-02-001"]
    rows.activities = [a for a in rows.activities if a["project"] != "69-02-001"]
    changes = services.check_plan_workbook(build(office_a, rows), office_a, FY)
    assert [(line.key, line.note) for line in changes.removed["projects"]] == [
        ("69-02-001", "พร้อมตัวชี้วัด 1 ตัว กิจกรรม 1 กิจกรรม และรายการงบประมาณ 0 รายการ")]
    _import(office_a, planner_a, build(office_a, rows))
    assert list(Project.objects.values_list("code", flat=True)) == ["69-01-001"]
    assert Activity.objects.count() == 2 and Indicator.objects.count() == 3


def test_a_project_with_quarterly_reports_is_never_removed(office_a, planner_a, frame):
    _import(office_a, planner_a, build(office_a))
    QuarterlyReportFactory(project=Project.objects.get(code="69-02-001"))
    rows = base_rows()
    rows.projects = rows.projects[:1]
    rows.indicators = [i for i in rows.indicators if i.get("project") != "69-02-001"]
    rows.activities = [a for a in rows.activities if a["project"] != "69-02-001"]
    before = plan_state()
    with pytest.raises(PlanWorkbookError) as caught:
        services.upload_plan_workbook(office_a, FY, upload(build(office_a, rows)), by=planner_a)
    assert caught.value.messages == [
        'ชีต "โครงการ": โครงการ 69-02-001 โครงการจัดทำแผน ไม่อยู่ในสมุดงาน แต่มีรายงานผลรายไตรมาสแล้ว จึงลบไม่ได้ กรุณาเพิ่มกลับในชีตนี้'
    ]
    assert plan_state() == before


def test_an_indicator_with_results_is_never_removed(office_a, planner_a, frame):
    _import(office_a, planner_a, build(office_a))
    indicator = Indicator.objects.get(code="1")
    IndicatorResultFactory(indicator=indicator, report=QuarterlyReportFactory(project=indicator.project))
    rows = base_rows()
    del rows.indicators[0]
    before = plan_state()
    with pytest.raises(PlanWorkbookError) as caught:
        services.check_plan_workbook(build(office_a, rows), office_a, FY)
    assert caught.value.messages == [
        'ชีต "ตัวชี้วัด": ตัวชี้วัด "ร้อยละของโรงเรียนที่ผ่านการประเมินความปลอดภัย" ของ 69-01-001 ไม่อยู่ในสมุดงาน แต่มีผลการดำเนินงานรายงานแล้ว จึงลบไม่ได้ กรุณาเพิ่มกลับในชีตนี้'
    ]
    assert plan_state() == before


def test_a_second_apply_and_a_stale_preview_are_refused(office_a, planner_a, frame):
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    stale = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(plan_import, by=planner_a, fingerprint=plan_import.summary["fingerprint"])
    with pytest.raises(ValidationError, match="นำเข้าไปแล้ว"):
        services.apply_plan_import(plan_import, by=planner_a)
    before = plan_state()
    # The second upload was previewed against an empty plan: its fingerprint no longer matches (now 0 changes).
    with pytest.raises(ValidationError) as caught:
        services.apply_plan_import(stale, by=planner_a, fingerprint=stale.summary["fingerprint"])
    assert caught.value.messages == ["แผนมีการเปลี่ยนแปลงหลังจากแสดงตัวอย่างนี้ กรุณาตรวจสอบตัวอย่างใหม่แล้วยืนยันอีกครั้ง"]
    assert plan_state() == before
    assert PlanImport.objects.get(pk=stale.pk).status == PlanImport.Status.PREVIEWED


def test_discard(office_a, planner_a, frame):
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.discard_plan_import(plan_import, by=planner_a)
    assert PlanImport.objects.get().status == PlanImport.Status.DISCARDED
    with translation.override("en"), pytest.raises(ValidationError, match="This file was discarded"):
        services.apply_plan_import(plan_import, by=planner_a)
    with translation.override("en"), pytest.raises(ValidationError, match="already been applied or discarded"):
        services.discard_plan_import(plan_import, by=planner_a)
    assert Project.objects.count() == 0


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_import_is_refused_while_the_plan_is_submitted_or_approved(state, office_a, planner_a, director_a, frame):
    first = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    pending = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(first, by=planner_a)
    plan = plan_services.submit_plan(ActionPlan.objects.get(), by=planner_a)
    if state == "approved":
        plan = plan_services.approve_plan(plan, by=director_a)
    rows = base_rows()
    rows.projects[1]["name"] = "ชื่อใหม่"
    before = plan_state()
    with pytest.raises(ValidationError) as caught:
        services.upload_plan_workbook(office_a, FY, upload(build(office_a, rows)), by=planner_a)
    status = {"submitted": "เสนอขออนุมัติ", "approved": "อนุมัติแล้ว"}[state]
    assert caught.value.messages == [f"แผนปีงบประมาณ 2569 มีสถานะ {status} จึงแก้ไขไม่ได้ กรุณาขอปรับแผนก่อน"]
    # An upload previewed while the plan was a draft cannot be applied any more either.
    with pytest.raises(ValidationError) as caught:
        services.apply_plan_import(pending, by=planner_a)
    assert caught.value.messages == [f"แผนปีงบประมาณ 2569 มีสถานะ {status} จึงแก้ไขไม่ได้ กรุณาขอปรับแผนก่อน"]
    assert plan_state() == before
    assert PlanImport.objects.get(pk=pending.pk).status == PlanImport.Status.PREVIEWED

    if state == "approved":
        amendment = plan_services.open_amendment(plan, by=planner_a, reason="ปรับชื่อโครงการ")
        _import(office_a, planner_a, build(office_a, rows))
        assert Project.objects.get(code="69-02-001").name == "ชื่อใหม่"
        assert ActionPlan.objects.current(office_a, FY) == amendment


def test_only_the_plan_officer_imports(office_a, director_a, viewer_a, planner_a, frame):
    for user in (director_a, viewer_a):
        with pytest.raises(PermissionDenied):
            services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=user)
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    with pytest.raises(PermissionDenied):
        services.apply_plan_import(plan_import, by=director_a)
    assert Project.objects.count() == 0


def test_a_ce_fiscal_year_is_refused(office_a, planner_a, frame):
    with pytest.raises(ValidationError) as caught:
        services.upload_plan_workbook(office_a, 2026, upload(build(office_a)), by=planner_a)
    assert caught.value.messages == ["ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"]


def test_an_applied_workbook_analyzes_the_plan_tables(office_a, planner_a, frame, django_capture_on_commit_callbacks):
    # Issue 18: fresh planner statistics after a bulk import (emes.db.analyze), once committed.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            _import(office_a, planner_a, build(office_a))
    analyzed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert len(analyzed) == 1
    for table in ("plans_project", "plans_indicator", "plans_activity", "plans_budgetline"):
        assert f'"{table}"' in analyzed[0]
