"""Benchmark: the action-plan workbook of a 150-project office: build, upload (read + preview), apply, re-import, export.

Run against a scratch database (it writes a synthetic office 9951 and its plan for FY 2569):

    createdb -h 127.0.0.1 -U postgres emes_bench_plan
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_plan DEBUG=true \\
        .venv/bin/python bench/plan_workbook.py

The workbook has 150 projects, 600 indicators (4 per project), 450 activities (3 per project) and 300 budget
lines (2 sources per project), plus 5 indicators of office strategies. Prints, per step: seconds and queries;
the file sizes; the rendering of the plan overview page; and the process's peak memory. Figures go in
bench/README.md.
"""
from __future__ import annotations

import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from emes.models import Division, Membership, Office, Role  # noqa: E402
from plans.models import ActionPlan, PlanImport, Project, Strategy  # noqa: E402
from plans.workbook import services  # noqa: E402
from plans.workbook.template import PlanRows, workbook_lists, write_workbook  # noqa: E402

FY = 2569
AREA = "9951"
PROJECTS, INDICATORS, ACTIVITIES = 150, 4, 3


def timed(label: str, fn):
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"{label:<62} {seconds:6.2f} s {len(ctx):5d} queries")
    return result


def setup() -> tuple[Office, object]:
    from django.contrib.auth import get_user_model

    office, _ = Office.objects.update_or_create(area_code=AREA, defaults={"name": "สพป.ทดสอบสมรรถนะ เขต 1"})
    PlanImport.objects.filter(office=office).delete()
    Project.objects.filter(office=office).delete()
    ActionPlan.objects.filter(office=office).delete()
    for n in range(1, 11):
        Division.objects.update_or_create(office=office, code=f"{n:02d}", defaults={"name": f"กลุ่มที่ {n}", "short_name": f"กลุ่ม {n}"})
    for n in range(1, 6):
        Strategy.objects.update_or_create(office=office, fiscal_year=FY, level=Strategy.Level.OFFICE, code=str(n), defaults={"name": f"กลยุทธ์ที่ {n}"})
    for n in range(1, 5):
        Strategy.objects.get_or_create(office=None, fiscal_year=FY, level=Strategy.Level.OBEC, code=str(n), defaults={"name": f"นโยบาย สพฐ. ข้อ {n}"})
    planner, _ = get_user_model().objects.get_or_create(username="bench_planner", defaults={"first_name": "วัดผล", "last_name": "สมรรถนะ"})
    Membership.objects.get_or_create(user=planner, office=office, role=Role.PLAN_OFFICER)
    return office, planner


def plan_rows(version: int = 1) -> PlanRows:
    """150 projects with budgets of 20,000-800,000 baht split over two sources and planned by quarter (baht)."""
    rng = random.Random(2569 + version)
    rows = PlanRows()
    for p in range(PROJECTS):
        code = f"69-{p % 10 + 1:02d}-{p:03d}"
        obec = Decimal(rng.randrange(20, 600) * 1000)
        area = Decimal(rng.randrange(0, 200) * 1000)
        rows.projects.append({
            "code": code, "name": f"โครงการพัฒนาคุณภาพการศึกษา ที่ {p + 1}", "strategy": f"กลยุทธ์ที่ {p % 5 + 1}",
            "strategies": f"นโยบาย สพฐ. ข้อ {p % 4 + 1}", "division": f"{p % 10 + 1:02d}", "owner": "bench_planner",
            "responsible_people": "นางสาวทดสอบ สมรรถนะ", "rationale": "หลักการและเหตุผลของโครงการ " * 8,
            "objectives": "1. เพื่อพัฒนาคุณภาพผู้เรียน\n2. เพื่อพัฒนาครู", "targets_quantity": "โรงเรียน 103 โรง", "targets_quality": "ผู้เรียนมีคุณภาพ",
        })
        for i in range(INDICATORS):
            rows.indicators.append({"project": code, "code": str(i + 1), "name": f"ร้อยละของโรงเรียนที่บรรลุเป้าหมายข้อ {i + 1}", "unit": "ร้อยละ",
                                    "baseline": Decimal(60 + i), "target": Decimal(80 + i), "direction": "≥", "frequency": "รายไตรมาส"})
        share = (obec + area) / ACTIVITIES
        for a in range(ACTIVITIES):
            rows.activities.append({"project": code, "order": a + 1, "name": f"กิจกรรมที่ {a + 1}", f"m{(a * 3 + 10 - 1) % 12 + 1}": "✓",
                                    "budget": share.quantize(Decimal("1")) - 1})
        rows.budget.append({"project": code, "source": "งบ สพฐ.", "amount": obec, "q1": obec / 2, "q2": obec / 2, "q3": 0, "q4": 0})
        if area:
            rows.budget.append({"project": code, "source": "งบเขตพื้นที่", "amount": area, "q1": 0, "q2": 0, "q3": area, "q4": 0})
    for s in range(1, 6):
        rows.indicators.append({"strategy": f"กลยุทธ์ที่ {s}", "code": f"S{s}", "name": f"ตัวชี้วัดของกลยุทธ์ที่ {s}", "unit": "ร้อยละ", "target": Decimal(80)})
    return rows


def main() -> None:
    call_command("migrate", verbosity=0)
    office, planner = setup()
    rows = plan_rows()
    data = timed("build the workbook (write 150 projects)", lambda: write_workbook(office, FY, workbook_lists(office, FY), rows))
    print(f"  workbook {len(data) / 1024:.0f} KB: {len(rows.projects)} projects, {len(rows.indicators)} indicators, "
          f"{len(rows.activities)} activities, {len(rows.budget)} budget lines")

    def upload(payload: bytes) -> PlanImport:
        return services.upload_plan_workbook(office, FY, SimpleUploadedFile("plan.xlsx", payload), by=planner)

    first = timed("upload: read + check + preview (all new)", lambda: upload(data))
    print(f"  preview: {first.summary['changes']} changes")
    timed("apply (create everything, first plan version)", lambda: services.apply_plan_import(first, by=planner))
    again = timed("upload the same file again (0 changes)", lambda: upload(data))
    print(f"  preview: {again.summary['changes']} changes")
    timed("apply it (nothing to write)", lambda: services.apply_plan_import(again, by=planner))
    changed_rows = plan_rows(version=2)
    changed = write_workbook(office, FY, workbook_lists(office, FY), changed_rows)
    revised = timed("upload a revision (every budget changes)", lambda: upload(changed))
    print(f"  preview: {revised.summary['changes']} changes")
    timed("apply the revision", lambda: services.apply_plan_import(revised, by=planner))
    exported = timed("export the plan", lambda: services.export_plan_workbook(office, FY))
    print(f"  export {len(exported) / 1024:.0f} KB")
    check = timed("preview the export against the plan", lambda: services.check_plan_workbook(exported, office, FY))
    print(f"  preview of the export: {check.summary()['changes']} changes")
    try:
        url = reverse("plans:plan", args=[office.area_code, FY])
    except NoReverseMatch:
        url = None
    if url:
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host name
        client = Client()
        client.force_login(planner)
        response = timed("render the plan overview page (150 projects)", lambda: client.get(url))
        print(f"  overview: HTTP {response.status_code}, {len(response.content) / 1024:.0f} KB")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
