"""Benchmark: build the annual report book for the demo office and for a 150-project / 600-indicator / 300-school office.

Run against a scratch database (it writes a synthetic office 9950):

    createdb -h 127.0.0.1 -U postgres emes_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench DEBUG=true \
        .venv/bin/python bench/annual_report.py

Prints, per office (wall and CPU seconds: on a shared machine CPU time is the fairer figure): projects, indicators, schools, queries of the data step, seconds of the whole in-process
build (data + charts + HTML + WeasyPrint), seconds of WeasyPrint alone on the same final HTML, their
ratio (issue 15's goal: at most 1.3), pages; and the process's peak memory. Figures go in bench/README.md.
"""
from __future__ import annotations

import io
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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from demo.loader import load_demo  # noqa: E402
from emes.models import Division, Office, School  # noqa: E402
from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport, Strategy  # noqa: E402
from weasyprint import HTML  # noqa: E402

from reports.annual.build import book_html  # noqa: E402
from reports.annual.data import book_data  # noqa: E402
from reports.services import build_annual_report_pdf  # noqa: E402


def synthetic_office(projects: int = 150, indicators_per_project: int = 4) -> Office:
    """Office 9950 with ``projects`` projects, 4 indicators each and Q1-Q4 reports (rebuilt each run)."""
    rng = random.Random(150)
    with transaction.atomic():
        office, _ = Office.objects.get_or_create(area_code="9950", defaults={"name": "สพป.ทดสอบสมรรถนะ เขต 1"})
        Project.objects.filter(office=office).delete()
        for n in range(300):
            School.objects.update_or_create(smis_code=f"9950{n:04d}", defaults={
                "office": office, "name": f"โรงเรียนทดสอบ {n + 1}", "district": f"อำเภอที่ {n % 8 + 1}",
                "cluster": f"กลุ่มโรงเรียนที่ {n % 20 + 1}", "school_type": "ประถม" if n % 3 else "ขยายโอกาส",
                "students_total": rng.randrange(20, 900)})
        divisions = [Division.objects.get_or_create(office=office, code=f"{i:02d}", defaults={"name": f"กลุ่มที่ {i}"})[0] for i in range(1, 11)]
        strategies = [
            Strategy.objects.get_or_create(office=office, fiscal_year=2569, level="office", code=str(i), defaults={"name": f"กลยุทธ์ที่ {i} ยกระดับคุณภาพการศึกษา"})[0]
            for i in range(1, 6)
        ]
        for n in range(projects):
            p = Project.objects.create(
                office=office, fiscal_year=2569, code=f"69-B-{n:03d}", name=f"โครงการพัฒนาคุณภาพการศึกษาที่ {n + 1}",
                strategy=strategies[n % 5], division=divisions[n % 10], budget=Decimal(rng.randrange(20, 800) * 1000),
            )
            inds = [Indicator.objects.create(project=p, name=f"ร้อยละของโรงเรียนที่ดำเนินการ {k}", unit="ร้อยละ", target=Decimal(80)) for k in range(indicators_per_project)]
            for q in (1, 2, 3, 4):
                r = QuarterlyReport.objects.create(project=p, quarter=q, status="approved", budget_disbursed=p.budget * Decimal("0.2"), submitted_at=timezone.now())
                IndicatorResult.objects.bulk_create([IndicatorResult(report=r, indicator=i, actual=Decimal(rng.randrange(50, 100))) for i in inds])
    return office


def measure(office: Office) -> None:
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        data = book_data(office, 2569)
        t_data = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    pdf = build_annual_report_pdf(office, 2569)
    t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
    html, _ = book_html(office, 2569)
    t0, c0 = time.perf_counter(), time.process_time()
    HTML(string=html, base_url=str(Path(__file__).resolve().parent.parent)).write_pdf()
    t_weasy, c_weasy = time.perf_counter() - t0, time.process_time() - c0
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{office.area_code} {office.name}: {len(data.results.projects)} projects, {data.results.indicator_total} indicators, "
        f"{data.basics.schools} schools; data {len(ctx.captured_queries)} queries {t_data:.3f} s; whole build {t_build:.2f} s wall "
        f"({c_build:.2f} s CPU); WeasyPrint alone {t_weasy:.2f} s wall ({c_weasy:.2f} s CPU); ratio {t_build / t_weasy:.2f} wall, "
        f"{c_build / c_weasy:.2f} CPU; {pages} pages, {len(pdf):,} bytes"
    )


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    load_demo()
    measure(Office.objects.get(area_code="5402"))
    measure(synthetic_office())
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
