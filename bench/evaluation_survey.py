"""Benchmark: a satisfaction survey of 5,000 answers (issue 16): results, results page, report PDF and Excel.

Run against a scratch database (it writes an office, a plan officer, a form, an evaluation and its answers):

    createdb -h 127.0.0.1 -U postgres emes_eval_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_eval_bench DEBUG=true \
        .venv/bin/python bench/evaluation_survey.py [N] [excel]

With ``excel`` as the second argument only the raw answers workbook is timed (after loading).

A synthetic office 9960 gets the standard satisfaction form (12 items: a profile choice, 10 ratings, an open text)
and an open public evaluation with N (default 5,000) responses, bulk-inserted (the answering path is timed by the
test suite's browser check, not here): ratings skewed towards 4-5 (seeded), one respondent in three writes the open
text, half of those one of ten common sentences and the rest their own words (so the PDF lists ~800 distinct
texts). Each output is built twice and the second run timed; prints seconds, queries and the peak RSS.
"""
from __future__ import annotations

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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from emes.models import Membership, Office, Role  # noqa: E402
from evaluation import services  # noqa: E402
from evaluation.models import Answer, Evaluation, Response  # noqa: E402
from evaluation.outputs import answers_workbook, report_pdf  # noqa: E402
from evaluation.results import evaluation_results  # noqa: E402

AREA = "9960"
COMMON = ["ควรจัดกิจกรรมนี้อย่างต่อเนื่อง", "ระยะเวลาน้อยเกินไป", "วิทยากรให้ความรู้ดีมาก", "ควรจัดอีกในปีหน้า", "อาหารอร่อย",
          "สถานที่คับแคบ", "เอกสารประกอบดีมาก", "ควรเพิ่มเวลาปฏิบัติ", "ได้รับประโยชน์มาก", "ขอบคุณผู้จัด"]


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def load(n: int) -> Evaluation:
    office, _ = Office.objects.get_or_create(area_code=AREA, defaults={"name": "สพป.ทดสอบสมรรถนะ เขต 1"})
    Evaluation.objects.filter(office=office).delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-planner")
    Membership.objects.get_or_create(user=user, office=office, role=Role.PLAN_OFFICER)
    form = services.create_form(office, by=user, title="", standard="satisfaction")
    today = timezone.localdate()
    ev = services.create_evaluation(office, by=user, form=form, title="ความพึงพอใจ (ทดสอบสมรรถนะ)",
                                    opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=3))
    services.open_evaluation(ev, by=user)
    items = services.form_items(form)
    rng = random.Random(5000)
    t0 = time.perf_counter()
    with transaction.atomic():
        responses = Response.objects.bulk_create([Response(evaluation=ev, submitted_on=today) for _ in range(n)], batch_size=2000)
        rows = []
        for k, r in enumerate(responses):
            for item in items:
                if item.kind == "rating":
                    rows.append(Answer(response=r, item=item, number=rng.choices([1, 2, 3, 4, 5], weights=(1, 2, 6, 12, 10))[0]))
                elif item.kind == "choice":
                    rows.append(Answer(response=r, item=item, text=rng.choice(item.choices)))
                elif item.kind == "text" and k % 3 == 0:
                    rows.append(Answer(response=r, item=item, text=rng.choice(COMMON) if rng.random() < 0.5 else f"ข้อเสนอแนะของผู้ตอบคนที่ {k}"))
        Answer.objects.bulk_create(rows, batch_size=5000)
    print(f"loaded {n} responses, {len(rows)} answers in {time.perf_counter() - t0:.1f} s")
    return ev, user


def timed(label: str, fn):
    fn()
    with CaptureQueriesContext(connection) as q:
        t0 = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
    print(f"{label}: {seconds:.2f} s, {len(q.captured_queries)} queries, peak RSS {rss_mb()} MB")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    call_command("migrate", verbosity=0)
    ev, user = load(n)
    if sys.argv[2:3] == ["excel"]:
        xlsx = timed("answers workbook (Excel, write-only; what the job runs)", lambda: answers_workbook(ev))
        print(f"  {len(xlsx) // 1024} KB")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = reverse("evaluation:answers-xlsx", args=[AREA, ev.pk])
        timed("answers workbook request (POST: queues the job)", lambda: client.post(url))
        return
    data = timed("results (evaluation_results)", lambda: evaluation_results(ev))
    print(f"  responses {data.responses}, overall mean {data.overall.mean} S.D. {data.overall.sd} ({data.overall.band})")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = reverse("evaluation:results", args=[AREA, ev.pk])
    page = timed("results page (GET, chart included)", lambda: client.get(url))
    assert page.status_code == 200, page.status_code
    pdf = timed("report PDF (data + chart + WeasyPrint)", lambda: report_pdf(ev))
    from pypdf import PdfReader
    import io

    print(f"  {len(PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf) // 1024} KB")
    xlsx = timed("answers workbook (Excel)", lambda: answers_workbook(ev))
    print(f"  {len(xlsx) // 1024} KB")


if __name__ == "__main__":
    main()
