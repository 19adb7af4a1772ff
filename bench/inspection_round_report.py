"""Benchmark: the outputs of an inspection round with 120 school units (issue 8 "Outputs").

Run against a scratch database (it writes a synthetic office 9953 and rebuilds it each run):

    createdb -h 127.0.0.1 -U postgres emes_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench DEBUG=true \
        .venv/bin/python bench/inspection_round_report.py [units]

The round: 8 issues × 3 indicators (number with a target, yes/no, text) = 24 questions, sent to ``units``
schools (default 120) and 4 divisions; 85 % submit (the first 70 % within 30 working days), 5 % keep a draft; half the text answers are
one of five common answers, the rest the school's own sentence;
20 recommendations with 2 follow-ups each. Prints, per output: queries, seconds (warm: each built twice,
the second timed), size and pages. Figures go in bench/README.md.
"""
from __future__ import annotations

import datetime as dt
import io
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from emes.models import Division, Membership, Office, Role, School  # noqa: E402
from inspections import services  # noqa: E402
from inspections.models import InspectionRound  # noqa: E402
from inspections.outputs.data import follow_up_report, round_report  # noqa: E402
from inspections.outputs.documents import follow_up_pdf, round_report_pdf  # noqa: E402
from inspections.outputs.exports import follow_up_workbook, responses_workbook  # noqa: E402

BKK = dt.timezone(dt.timedelta(hours=7))
TODAY = dt.date(2026, 7, 1)


COMMON = ["ไม่มี", "ครูขาดแคลนสื่อการสอน", "งบประมาณไม่เพียงพอ", "นักเรียนย้ายกลางภาคเรียน", "ครูไม่ครบชั้น"]


def text_answer(rng: random.Random, k: int) -> str:
    """Half the schools give one of a few common answers, the rest a sentence of their own."""
    if rng.random() < 0.5:
        return rng.choice(COMMON)
    return f"โรงเรียนที่ {k + 1} ดำเนินการตามแผนพัฒนาการอ่าน แต่ยังขาดครูผู้สอนภาษาไทยและสื่อการเรียนรู้ที่เหมาะสมกับนักเรียน"


def build(units: int) -> InspectionRound:
    """Office 9953 with one round 1/2569 as described in the module docstring (rebuilt each run)."""
    import time_machine

    rng = random.Random(8)
    office, _ = Office.objects.get_or_create(area_code="9953", defaults={"name": "สพป.ทดสอบตรวจราชการ เขต 1"})
    InspectionRound.objects.filter(office=office).delete()
    User = get_user_model()
    planner, _ = User.objects.get_or_create(username="bench_planner_9953")
    Membership.objects.get_or_create(user=planner, office=office, role=Role.PLAN_OFFICER)
    divisions = [Division.objects.get_or_create(office=office, code=f"0{i}", defaults={"name": f"กลุ่มงานที่ {i}"})[0] for i in range(1, 5)]
    schools = [
        School.objects.get_or_create(smis_code=f"995300{n:02d}" if n < 100 else f"99531{n:03d}",
                                     defaults={"office": office, "name": f"โรงเรียนบ้านทดสอบสมรรถนะ {n + 1}"})[0]
        for n in range(units)
    ]
    with time_machine.travel(dt.datetime(2025, 11, 1, 9, tzinfo=BKK), tick=False):
        r = services.create_round(office, by=planner, fiscal_year=2569, number=1, confirm=True, data={
            "title": "ตรวจราชการกรณีปกติ รอบที่ 1", "plan_sent_on": dt.date(2025, 12, 1), "coordination_meeting_on": dt.date(2025, 12, 15),
            "units_notified_on": dt.date(2026, 1, 26), "visit_starts_on": dt.date(2026, 2, 23), "visit_ends_on": dt.date(2026, 2, 25),
            "summary_meeting_on": dt.date(2026, 9, 15), "inspectors": "ผู้ตรวจราชการกระทรวงศึกษาธิการ (ข้อมูลสมมุติ)"})
        for i in range(1, 9):
            issue = services.add_issue(r, by=planner, code=str(i), title=f"ประเด็นการตรวจราชการที่ {i} การยกระดับคุณภาพการศึกษา",
                                       divisions=[divisions[i % 4]])
            services.add_indicator(issue, by=planner, text=f"ร้อยละของนักเรียนที่ผ่านเกณฑ์ ประเด็น {i}", unit="ร้อยละ", target="80")
            services.add_indicator(issue, by=planner, text=f"สถานศึกษามีแผนพัฒนา ประเด็น {i}", answer_kind="yes_no")
            services.add_indicator(issue, by=planner, text=f"ปัญหาอุปสรรค ประเด็น {i}", answer_kind="text")
        services.build_form(r, by=planner)
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=BKK), tick=False):
        sent = services.dispatch_forms(r, by=planner, divisions=divisions, schools=schools)
    questions = list(r.questions.order_by("order"))

    def answerer(d):
        user, _ = User.objects.get_or_create(username=f"bench_9953_{d.school.smis_code if d.school_id else 'div' + d.division.code}")
        if d.school_id:
            Membership.objects.get_or_create(user=user, office=office, role=Role.SCHOOL, school=d.school)
        else:
            Membership.objects.get_or_create(user=user, office=office, role=Role.DIVISION_HEAD, division=d.division)
        return user
    for k, d in enumerate(sent):
        share = k / len(sent)
        if share >= 0.9:
            continue
        data = {}
        for q in questions:
            data[f"q{q.pk}"] = {"number": str(rng.randrange(55, 101)), "yes_no": rng.choice(["yes", "no"]),
                                "text": text_answer(rng, k)}.get(q.kind, "")
        day = dt.datetime(2026, 1, 20, 10, tzinfo=BKK) if share < 0.7 else dt.datetime(2026, 2, 20, 10, tzinfo=BKK)
        with time_machine.travel(day, tick=False):
            if share < 0.85:
                services.submit_answers(d, data, by=answerer(d))
            else:
                services.save_answers(d, data, by=answerer(d))
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=BKK), tick=False):
        services.close_round(r, by=planner)
        issues = list(r.issues.all())
        for n in range(20):
            rec = services.add_recommendation(r, by=planner, text=f"ข้อเสนอแนะที่ {n + 1}: เร่งรัดการพัฒนาคุณภาพตามประเด็นการตรวจราชการ",
                                              issue=issues[n % 8], divisions=[divisions[n % 4]], due_on=dt.date(2026, 6, 30))
            services.add_follow_up(rec, by=planner, text="ประชุมชี้แจงสถานศึกษาและจัดทำแผนดำเนินการ")
            services.add_follow_up(rec, by=planner, text="นิเทศติดตามสถานศึกษาเป้าหมาย", to_status="done" if n % 3 == 0 else "")
    return InspectionRound.objects.select_related("office").get(pk=r.pk)


def timed(label: str, fn):
    fn()
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
    return label, out, seconds, len(ctx.captured_queries)


def main(units: int) -> None:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    r = build(units)
    print(f"built round with {r.dispatches.count()} units, {r.questions.count()} questions, "
          f"{r.recommendations.count()} recommendations in {time.perf_counter() - t0:.1f} s")
    rows = [
        timed("round report data", lambda: round_report(r, today=TODAY)),
        timed("round report PDF (data + 2 charts + WeasyPrint)", lambda: round_report_pdf(round_report(r, today=TODAY))),
        timed("responses workbook", lambda: responses_workbook(r, today=TODAY)),
        timed("follow-up data", lambda: follow_up_report(r.office, 2569, today=TODAY)),
        timed("follow-up PDF", lambda: follow_up_pdf(follow_up_report(r.office, 2569, today=TODAY))),
        timed("follow-up workbook", lambda: follow_up_workbook(follow_up_report(r.office, 2569, today=TODAY))),
    ]
    for label, out, seconds, queries in rows:
        extra = ""
        if isinstance(out, bytes):
            extra = f", {len(out) / 1024:.0f} KB"
            if out.startswith(b"%PDF"):
                extra += f", {len(PdfReader(io.BytesIO(out)).pages)} pages"
        print(f"{label}: {seconds:.2f} s, {queries} queries{extra}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 120)
