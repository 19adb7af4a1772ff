"""The import's cost in queries does not grow with the plan: the same count for 10 and 60 projects."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Project
from plans.workbook import services
from plans.workbook.template import PlanRows

from .conftest import FY, build, upload

pytestmark = pytest.mark.django_db


def rows(n: int, *, version: int = 1) -> PlanRows:
    """``n`` projects with 4 indicators, 3 activities and 2 budget lines each; ``version`` 2 changes every one of them."""
    out = PlanRows()
    for p in range(n):
        code = f"69-01-{p:03d}"
        out.projects.append({"code": code, "name": f"โครงการ {p} ฉบับ {version}", "strategy": "กลยุทธ์ที่ 1",
                             "strategies": "นโยบาย สพฐ. ข้อ 1" if version == 1 else "ยุทธศาสตร์ชาติด้านที่ 3", "division": "01", "owner": "planner_a"})
        for i in range(4):
            out.indicators.append({"project": code, "code": str(i + 1), "name": f"ตัวชี้วัด {i}", "unit": "ร้อยละ", "target": Decimal(70 + version)})
        for a in range(3 if version == 1 else 2):  # version 2 removes one activity per project
            out.activities.append({"project": code, "order": a + 1, "name": f"กิจกรรม {a}", "m10": "✓", "budget": Decimal(1000 * version)})
        out.budget.append({"project": code, "source": "งบ สพฐ.", "amount": Decimal(10000 * version), "q1": Decimal(10000 * version), "q2": 0, "q3": 0, "q4": 0})
        out.budget.append({"project": code, "source": "อื่น ๆ", "amount": Decimal(5000), "q1": 0, "q2": 0, "q3": Decimal(5000), "q4": 0})
    return out


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def _run(office, planner, n: int) -> list[int]:
    """Queries of: upload (read + preview + store), apply (create everything), upload and apply of a version changing everything."""
    counts = []
    first = upload(build(office, rows(n)))
    holder = {}
    counts.append(_queries(lambda: holder.update(i=services.upload_plan_workbook(office, FY, first, by=planner))))
    counts.append(_queries(lambda: services.apply_plan_import(holder["i"], by=planner)))
    second = upload(build(office, rows(n, version=2)))
    counts.append(_queries(lambda: holder.update(i=services.upload_plan_workbook(office, FY, second, by=planner))))
    counts.append(_queries(lambda: services.apply_plan_import(holder["i"], by=planner)))
    assert holder["i"].summary["projects_changed"] == n and holder["i"].summary["activities_removed"] == n
    Project.objects.filter(office=office).delete()
    return counts


def test_query_count_does_not_grow_with_projects(office_a, planner_a, frame):
    _run(office_a, planner_a, 1)  # the first import creates the plan (version 1) and caches the user's roles
    small = _run(office_a, planner_a, 10)
    large = _run(office_a, planner_a, 60)
    assert small == large, (small, large)
    assert max(small) <= 40, small
