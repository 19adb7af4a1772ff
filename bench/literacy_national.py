"""Benchmark: the literacy summary at national scale — all 29,579 OBEC schools submitting three grades.

Run against a scratch database (it writes offices, schools, a round per office and their results):

    createdb -h 127.0.0.1 -U postgres emes_lit_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_lit_bench DEBUG=true \
        .venv/bin/python bench/literacy_national.py

Loads the offices (``emes.registry.services.import_offices``) and every school of
``data/01_schools/obec_schools_all_2022-09.csv``. 2,358 schools carry 43 old secondary area codes
(``1017xx`` …) that the 2022 office list no longer has: they go to 43 synthetic offices with those codes
and the file's own office name, so all 29,579 schools are in. The file has no clusters or districts:
each office's schools get synthetic ones (15 schools a cluster, 40 a district, in file order). Every
school submits ป.1-ป.3 of round 1, academic year 2569, with random but valid counts (seeded). Then it
times the national summary (every office and the country) and the summary of the largest office
(4502, 333 schools) with its Excel and PDF, and prints rows, seconds, queries and peak RSS.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from emes.models import Office, School  # noqa: E402
from emes.registry.services import import_offices  # noqa: E402
from literacy.models import GradeResult, LiteracyRound, Skill, SkillResult, Submission  # noqa: E402
from literacy.summary import national_summary, round_summary  # noqa: E402

DATA = Path(settings.BASE_DIR) / "data" / "01_schools"
YEAR, NUMBER, GRADES = 2569, 1, ["p1", "p2", "p3"]


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def load() -> None:
    t0 = time.perf_counter()
    import_offices(DATA / "esa_list_obec_emis_2022.csv")
    rows = list(csv.DictReader((DATA / "obec_schools_all_2022-09.csv").open(encoding="utf-8")))
    offices = dict(Office.objects.values_list("area_code", "pk"))
    old = {r["area_code"]: r["esa_name"] for r in rows if r["area_code"] not in offices}
    Office.objects.bulk_create([Office(area_code=code, name=f"{name} (รหัสเดิม)", type="secondary") for code, name in old.items()],
                               ignore_conflicts=True)
    offices = dict(Office.objects.values_list("area_code", "pk"))
    seq: dict[str, int] = {}
    schools = []
    for r in rows:
        n = seq[r["area_code"]] = seq.get(r["area_code"], -1) + 1
        schools.append(School(office_id=offices[r["area_code"]], smis_code=r["school_code_8_smis"], moe_code=r["school_id_10"],
                              name=r["school_name"], cluster=f"กลุ่มโรงเรียนที่ {n // 15 + 1}", district=f"อำเภอที่ {n // 40 + 1}"))
    School.objects.bulk_create(schools, batch_size=5000, ignore_conflicts=True)
    print(f"offices {Office.objects.count():,} ({len(old)} synthetic for old codes, {sum(1 for r in rows if r['area_code'] in old):,} schools); "
          f"schools {School.objects.count():,}; {time.perf_counter() - t0:.1f} s")


def results() -> None:
    """One round per office, every school submitting three grades (rebuilt each run)."""
    t0 = time.perf_counter()
    rng = random.Random(2569)
    LiteracyRound.objects.filter(academic_year=YEAR).delete()
    opens = timezone.make_aware(dt.datetime(2026, 6, 1, 8))
    rounds = LiteracyRound.objects.bulk_create([
        LiteracyRound(office_id=pk, academic_year=YEAR, number=NUMBER, grades=GRADES, opens_at=opens,
                      closes_at=opens + dt.timedelta(days=14), status=LiteracyRound.Status.CLOSED)
        for pk in Office.objects.values_list("pk", flat=True)])
    round_of = {r.office_id: r.pk for r in rounds}
    now = timezone.now()
    schools = list(School.objects.values_list("pk", "office_id"))
    subs = Submission.objects.bulk_create(
        [Submission(round_id=round_of[office_id], school_id=pk, status=Submission.Status.SUBMITTED, submitted_at=now)
         for pk, office_id in schools], batch_size=5000)
    grade_rows, levels = [], []
    for sub in subs:
        for grade in GRADES:
            assessed = rng.randint(3, 60)
            special, absent = rng.randint(0, 2), rng.randint(0, 2)
            grade_rows.append(GradeResult(submission_id=sub.pk, grade=grade, enrolled=assessed + special + absent,
                                          assessed=assessed, special_needs=special, absent=absent))
            cuts = [sorted(rng.randint(0, assessed) for _ in range(3)) for _ in Skill.values]
            levels.append([(c[0], c[1] - c[0], c[2] - c[1], assessed - c[2]) for c in cuts])
    GradeResult.objects.bulk_create(grade_rows, batch_size=10000)
    SkillResult.objects.bulk_create(
        [SkillResult(grade_result_id=gr.pk, skill=skill, very_good=a, good=b, fair=c, improve=d)
         for gr, per_skill in zip(grade_rows, levels) for skill, (a, b, c, d) in zip(Skill.values, per_skill)],
        batch_size=20000)
    print(f"rounds {len(rounds):,}; submissions {len(subs):,}; grade rows {len(grade_rows):,}; "
          f"skill rows {SkillResult.objects.filter(grade_result__submission__round__academic_year=YEAR).count():,}; "
          f"{time.perf_counter() - t0:.1f} s")


def timed(label: str, fn):
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
    print(f"{label}: {seconds:.2f} s, {len(ctx.captured_queries)} queries, peak RSS {rss_mb()} MB")
    return out


def main() -> None:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        load()
        results()
    total, per_office = timed("national summary (every office + the country)", lambda: national_summary(YEAR, NUMBER))
    everything = total.all_grades
    print(f"  offices {len(per_office)}, schools {total.schools:,}, assessed {everything.assessed:,}; reading aloud "
          f"{everything.skills['reading_aloud'].counts} = {everything.skills['reading_aloud'].percents}")
    rnd = LiteracyRound.objects.select_related("office").get(office__area_code="4502", academic_year=YEAR, number=NUMBER)
    data = timed("office 4502 summary (round_summary)", lambda: round_summary(rnd))
    print(f"  schools {data.submitted}/{data.expected}, clusters {len(data.clusters)}, districts {len(data.districts)}, "
          f"flagged {len(data.flagged)}")
    from literacy.summary_exports import write_summary_workbook

    xlsx = timed("office 4502 Excel (4 sheets)", lambda: write_summary_workbook(data))
    print(f"  {len(xlsx) // 1024} KB")

    def pdf() -> bytes:
        # Issue 18: the PDF is a document job; time its build (ask, then run it as the worker does).
        from emes.documents.services import request_document, run_document
        from literacy.summary_pdf import SUMMARY_PDF

        job, _created = request_document(rnd.office, SUMMARY_PDF, rnd.pk, by=None)
        job = run_document(job.pk)
        return job.file.read()

    body = timed("office 4502 PDF (document job: summary + charts + WeasyPrint)", pdf)
    out = Path("/tmp/literacy_summary_4502.pdf")
    out.write_bytes(body)
    print(f"  {len(body) // 1024} KB → {out}")


if __name__ == "__main__":
    main()
