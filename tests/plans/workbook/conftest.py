"""Fixtures of the plan workbook tests: office A's frame (divisions, strategies), workbooks built in
memory with the production writer, and a snapshot of the plan to prove that a refused file changed nothing."""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emes.models import Division
from plans.models import Activity, ActionPlan, BudgetLine, Indicator, PlanImport, Project, Strategy
from plans.workbook.template import PlanRows, workbook_lists, write_workbook
from tests.factories import DivisionFactory, StrategyFactory

FY = 2569


@pytest.fixture
def frame(office_a, planner_a) -> dict:
    """Office A's divisions 01 and 02, office strategies 1 and 2 of FY 2569, shared national strategy 3, ministry policy 12, OBEC policy 1.

    Office strategy 1 and OBEC policy 1 share the code "1" on purpose: the workbook names them with their level.
    """
    return {
        "divisions": [DivisionFactory(office=office_a, code="01", name="กลุ่มอำนวยการ", short_name="กลุ่มอำนวยการ"),
                      DivisionFactory(office=office_a, code="02", name="กลุ่มนโยบายและแผน", short_name="กลุ่มนโยบายฯ")],
        "s1": StrategyFactory(office=office_a, fiscal_year=FY, code="1", name="กลยุทธ์ด้านความปลอดภัย"),
        "s2": StrategyFactory(office=office_a, fiscal_year=FY, code="2", name="กลยุทธ์ด้านโอกาส"),
        "obec1": StrategyFactory(office=None, fiscal_year=FY, level=Strategy.Level.OBEC, code="1", name="นโยบาย สพฐ. ด้านความปลอดภัย"),
        "nat3": StrategyFactory(office=None, fiscal_year=FY, level=Strategy.Level.NATIONAL, code="3", name="ยุทธศาสตร์ชาติด้านทรัพยากรมนุษย์"),
        "moe12": StrategyFactory(office=None, fiscal_year=FY, level=Strategy.Level.MINISTRY, code="12", name="นโยบาย ศธ. การเรียนรู้ตลอดชีวิต"),
    }


def base_rows() -> PlanRows:
    """Two projects: one with two budget lines, two activities and two indicators; one with a typed budget; and a strategy indicator."""
    return PlanRows(
        projects=[
            {"code": "69-01-001", "name": "โครงการสำนักงานปลอดภัย", "strategy": "กลยุทธ์ที่ 1", "strategies": "นโยบาย สพฐ. ข้อ 1, ยุทธศาสตร์ชาติด้านที่ 3",
             "division": "01 กลุ่มอำนวยการ", "owner": "planner_a", "responsible_people": "นางสาวทดสอบ ใจดี", "budget": None,
             "start_date": dt.date(2025, 10, 1), "end_date": dt.date(2026, 9, 30), "rationale": "เหตุผลบรรทัดแรก\nบรรทัดที่สอง",
             "objectives": "1. เพื่อความปลอดภัย", "targets_quantity": "40 โรงเรียน", "targets_quality": "โรงเรียนปลอดภัย"},
            {"code": "69-02-001", "name": "โครงการจัดทำแผน", "strategy": "กลยุทธ์ที่ 2", "strategies": "นโยบาย ศธ. ข้อ 12", "division": "02", "budget": Decimal("50000")},
        ],
        indicators=[
            {"project": "69-01-001", "code": "1", "name": "ร้อยละของโรงเรียนที่ผ่านการประเมินความปลอดภัย", "unit": "ร้อยละ", "baseline": Decimal("70"),
             "target": Decimal("80"), "direction": "≥", "is_percentage": "ใช่", "frequency": "รายครึ่งปี", "responsible": "นายทดสอบ"},
            {"project": "69-01-001", "name": "จำนวนอุบัติเหตุในโรงเรียน", "unit": "ครั้ง", "target": Decimal("5"), "direction": "≤"},
            {"project": "69-02-001", "name": "แผนปฏิบัติการได้รับอนุมัติ", "unit": "ฉบับ", "target": Decimal("1")},
            {"strategy": "กลยุทธ์ที่ 1", "code": "S1.1", "name": "ร้อยละของสถานศึกษาปลอดภัย", "unit": "ร้อยละ", "target": Decimal("90")},
        ],
        activities=[
            {"project": "69-01-001", "order": 1, "name": "ประชุมเชิงปฏิบัติการ", "m11": "✓", "m12": "✓", "budget": Decimal("60000"), "responsible": "กลุ่มอำนวยการ"},
            {"project": "69-01-001", "order": 2, "name": "นิเทศติดตาม", "m1": "✓", "m2": "✓", "m3": "✓", "budget": Decimal("40000")},
            {"project": "69-02-001", "order": 1, "name": "ประชุมจัดทำแผน", "m10": "✓", "budget": Decimal("50000")},
        ],
        budget=[
            {"project": "69-01-001", "source": "งบ สพฐ.", "amount": Decimal("80000"), "q1": Decimal("50000"), "q2": Decimal("30000"), "q3": 0, "q4": 0},
            {"project": "69-01-001", "source": "งบเขตพื้นที่", "amount": Decimal("20000.50"), "q1": 0, "q2": Decimal("20000.50"), "q3": 0, "q4": 0},
        ],
    )


def build(office, rows: PlanRows | None = None, *, fiscal_year: int = FY, examples: PlanRows | None = None) -> bytes:
    """A plan workbook for ``office`` written by the production writer (``rows`` default: :func:`base_rows`)."""
    return write_workbook(office, fiscal_year, workbook_lists(office, fiscal_year), rows if rows is not None else base_rows(), examples=examples)


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    """``data`` loaded with openpyxl, changed by ``change(workbook)``, saved again."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def plan_state() -> dict:
    """Counts of every plan table the import writes, and one field of each row: a refused file must leave it equal."""
    return {
        "projects": sorted(Project.objects.values_list("code", "name", "budget", "division__code", "strategy__code")),
        "links": sorted(Project.strategies.through.objects.values_list("project__code", "strategy__code")),
        "indicators": sorted(Indicator.objects.values_list("name", "target")),
        "activities": sorted(Activity.objects.values_list("project__code", "order", "budget")),
        "budget_lines": sorted(BudgetLine.objects.values_list("project__code", "source", "amount")),
        "imports": PlanImport.objects.count(),
        "plans": sorted(ActionPlan.objects.values_list("version", "status")),
        "divisions": Division.objects.count(),
    }
