"""Benchmark: the follow-up pages of an office with 150 projects × 4 quarterly reports.

Run against a scratch database (it writes a synthetic office 9952 and its FY 2569 projects and reports):

    createdb -h 127.0.0.1 -U postgres emes_bench_followup
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_followup DEBUG=true \\
        .venv/bin/python bench/quarterly_followup.py

The office has 10 divisions, 20 project owners and 150 projects (budgets 20,000-800,000 baht), each with
4 indicators and a report for each of Q1-Q4 in a realistic mix of statuses (about 75 % on time, 10 % late,
15 % draft / returned / never started), 4 indicator results per report and money disbursed every quarter.
Prints, per page: seconds, queries and size (each page requested twice through the test client; the
second, warm request is the one timed), then the process's peak memory. Figures go in bench/README.md.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from emes.models import Division, Membership, Office, Role  # noqa: E402
from plans.followup.selectors import quarter_due_dates  # noqa: E402
from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport, Strategy  # noqa: E402

FY = 2569
AREA = "9952"
PROJECTS, INDICATORS, DIVISIONS, OWNERS = 150, 4, 10, 20
BANGKOK = ZoneInfo("Asia/Bangkok")


def setup() -> tuple[Office, object]:
    User = get_user_model()
    office, _ = Office.objects.update_or_create(area_code=AREA, defaults={"name": "สพป.ทดสอบติดตามผล เขต 1"})
    Project.objects.filter(office=office).delete()
    divisions = [
        Division.objects.update_or_create(office=office, code=f"{n:02d}", defaults={"name": f"กลุ่มที่ {n}", "short_name": f"กลุ่ม {n}"})[0]
        for n in range(1, DIVISIONS + 1)
    ]
    strategy, _ = Strategy.objects.update_or_create(office=office, fiscal_year=FY, level=Strategy.Level.OFFICE, code="1",
                                                    defaults={"name": "กลยุทธ์ที่ 1"})
    owners = []
    for n in range(OWNERS):
        user, _ = User.objects.get_or_create(username=f"bench_fu_owner{n:02d}", defaults={"first_name": f"ผู้รับผิดชอบ{n}", "last_name": "ทดสอบ"})
        Membership.objects.get_or_create(user=user, office=office, role=Role.PROJECT_OWNER, defaults={"division": divisions[n % DIVISIONS]})
        owners.append(user)
    planner, _ = User.objects.get_or_create(username="bench_fu_planner", defaults={"first_name": "วัดผล", "last_name": "ติดตาม"})
    Membership.objects.get_or_create(user=planner, office=office, role=Role.PLAN_OFFICER)

    rng = random.Random(2569)
    due = quarter_due_dates(office, FY)
    projects = Project.objects.bulk_create([
        Project(office=office, fiscal_year=FY, code=f"69-{p % DIVISIONS + 1:02d}-{p:03d}", name=f"โครงการพัฒนาคุณภาพการศึกษา ที่ {p + 1}",
                strategy=strategy, division=divisions[p % DIVISIONS], owner=owners[p % OWNERS], budget=Decimal(rng.randrange(20, 800) * 1000))
        for p in range(PROJECTS)
    ])
    indicators = Indicator.objects.bulk_create([
        Indicator(project=p, code=str(i + 1), name=f"ร้อยละของโรงเรียนที่บรรลุเป้าหมายข้อ {i + 1}", unit="ร้อยละ", target=Decimal(80))
        for p in projects for i in range(INDICATORS)
    ])
    by_project: dict[int, list[Indicator]] = {}
    for ind in indicators:
        by_project.setdefault(ind.project_id, []).append(ind)
    reports = []
    for p in projects:
        for q in (1, 2, 3, 4):
            roll = rng.random()
            status, submitted = "approved", due[q - 1] - dt.timedelta(days=rng.randrange(0, 5))
            if roll > 0.75:
                submitted = due[q - 1] + dt.timedelta(days=rng.randrange(1, 15))
            if roll > 0.85:
                status, submitted = rng.choice(["draft", "returned", None]), None
            if status is None:
                continue
            reports.append(QuarterlyReport(
                project=p, quarter=q, status=status, implementation="in_progress", progress=25 * q,
                budget_disbursed=(p.budget * Decimal(rng.uniform(0.1, 0.25))).quantize(Decimal("0.01")),
                submitted_at=dt.datetime.combine(submitted, dt.time(10), tzinfo=BANGKOK) if submitted else None,
            ))
    reports = QuarterlyReport.objects.bulk_create(reports)
    IndicatorResult.objects.bulk_create([
        IndicatorResult(report=r, indicator=ind, actual=Decimal(rng.randrange(50, 100)))
        for r in reports for ind in by_project[r.project_id]
    ])
    print(f"data: {len(projects)} projects, {len(indicators)} indicators, {len(reports)} reports, "
          f"{len(reports) * INDICATORS} results")
    return office, planner


def main() -> None:
    call_command("migrate", verbosity=0)
    office, planner = setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the test client's host name
    client = Client()
    client.force_login(planner)
    pages = [
        ("completeness (default quarter)", reverse("plans:completeness", args=[AREA, FY])),
        ("completeness ?quarter=2", reverse("plans:completeness", args=[AREA, FY]) + "?quarter=2"),
        ("disbursement (with the SVG chart)", reverse("plans:disbursement", args=[AREA, FY])),
        ("indicator tracking (600 indicators)", reverse("plans:indicator-tracking", args=[AREA, FY])),
        ("Excel of Q4", reverse("plans:quarter-export", args=[AREA, FY, 4])),
    ]
    for label, url in pages:
        client.get(url)  # warm: session, per-user caches, templates, fonts
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<42} {seconds:6.2f} s {len(ctx):4d} queries {len(response.content) / 1024:6.0f} KB")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
