"""Benchmark: import offices and school lists from the real files of data/01_schools.

Run against a scratch database (it writes offices and schools):

    createdb -h 127.0.0.1 -U postgres emes_bench_import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_import DEBUG=true \\
        .venv/bin/python bench/school_import.py

Prints, per step: rows, seconds, queries; and the process's peak memory. Figures go in bench/README.md.
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from emes.models import Enrolment, Office, School  # noqa: E402
from emes.registry import services  # noqa: E402

DATA = ROOT / "data" / "01_schools"


def timed(label: str, fn):
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:6.2f} s {len(ctx):6d} queries")
    return result


def main() -> None:
    call_command("migrate", verbosity=0)
    School.objects.filter(office__area_code__in=["5703", "4502"]).delete()
    timed("import_offices (246 offices)", lambda: services.import_offices(DATA / "esa_list_obec_emis_2022.csv"))
    timed("import_offices again (no change)", lambda: services.import_offices(DATA / "esa_list_obec_emis_2022.csv"))
    cr3 = Office.objects.get(area_code="5703")
    cr3_file = DATA / "spp_chiangrai3" / "spp_chiangrai3_students_by_grade_2568.csv"
    timed("Chiang Rai 3: 139 schools + enrolments, preview+apply", lambda: services.import_schools_from_file(cr3_file, cr3, academic_year=2568))
    print(f"  schools {School.objects.filter(office=cr3).count()}, enrolment rows {Enrolment.objects.filter(school__office=cr3).count()}")
    timed("Chiang Rai 3 again (0 changes)", lambda: services.import_schools_from_file(cr3_file, cr3, academic_year=2568))
    big = Office.objects.get(area_code="4502")
    national = DATA / "obec_schools_all_2022-09.csv"
    timed("national list (29,579 rows) -> 4502, 333 schools, apply", lambda: services.import_schools_from_file(national, big, academic_year=2568))
    timed("national list -> 4502 again (0 changes)", lambda: services.import_schools_from_file(national, big, academic_year=2568))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
