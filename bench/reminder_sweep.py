"""Benchmark: the daily reminder sweep and its letters for the largest office (issue 7).

Run against a scratch database (it writes office 4502's schools and a plan, a literacy round and an
inspection round of it, and rebuilds them each run); letters are filed in a scratch directory:

    createdb -h 127.0.0.1 -U postgres emes_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/emes_bench_reminders DEBUG=true \\
        .venv/bin/python bench/reminder_sweep.py

The office: 4502 with its 333 schools from ``data/01_schools/obec_schools_all_2022-09.csv`` (the
largest office), each given a synthetic e-mail address and one school account; 10 divisions with a
head each and 20 project owners (all with e-mail). Obligations, all due Friday 9 January 2026
(synthetic dates chosen so they fall due together):

- 150 projects of the approved FY 2569 plan, no Q1 report (due 5 working days after the quarter);
- literacy round 1 of academic year 2568, closed 9 January 2026 16:30, no school submitted;
- inspection round 1/2569, its form (4 issues × 3 indicators = 12 questions) dispatched to the 333
  schools and the 10 divisions, due 9 January 2026; a third of the schools saved a draft with half
  the answers (their letters list the questions still missing), nobody submitted.

Time is frozen at 10:00 on Monday 12 January 2026, the working day after the due dates: every
obligation is due its first letter. Measured separately: the planning (``due_reminders``), the sweep
recording every reminder without sending, a sample of 30 sends, the rest of the literacy letters
(333 in all, to have a real print batch), the merged PDF of the 333 school letters, a second sweep of
the office and one of every office (the 246 of ``import_offices``, as beat runs it), and the peak RSS.

Not sending during the sweep: the broker is unreachable (``CELERY_BROKER_URL`` is forced to a closed
port, not eager), which is the documented "Redis down" case: ``enqueue`` fails on the first id, logs it
and leaves every reminder PENDING for the next sweep. The sweep runs in autocommit like the Celery task
(each reminder its own INSERT and commit). E-mail goes to Django's locmem backend. Files (letters, the
import's copy of the school list) go to a temporary ``PRIVATE_STORAGE_ROOT``, removed at the end; the
merged batch is kept as ``/tmp/reminder_letters_4502.pdf``. Figures go in bench/README.md.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emes.settings")
# A closed port: enqueue fails at once (the "broker down" path) and nothing is sent by the sweep itself.
os.environ["CELERY_BROKER_URL"] = "redis://127.0.0.1:1/0"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
# Letters and the import's copy of the school file go to a scratch directory, removed at the end.
SCRATCH = tempfile.mkdtemp(prefix="emes_bench_reminders_")
os.environ["PRIVATE_STORAGE_ROOT"] = SCRATCH

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from emes.models import Division, Membership, Office, Role, School  # noqa: E402
from emes.registry.services import import_offices, import_schools_from_file  # noqa: E402
from inspections import services as inspections  # noqa: E402
from inspections.models import FormDispatch, InspectionRound  # noqa: E402
from literacy.models import LiteracyRound  # noqa: E402
from plans.models import ActionPlan, Project, Strategy  # noqa: E402
from reports.letters.services import merge_letter_pdfs  # noqa: E402
from reports.models import LetterCounter, OutgoingLetter, Reminder, SweepRun  # noqa: E402
from reports.reminders import selectors  # noqa: E402
from reports.reminders.services import due_reminders, enqueue, send_reminder, sweep  # noqa: E402
from tests.factories import ProjectFactory, StrategyFactory  # noqa: E402

DATA = ROOT / "data" / "01_schools"
BKK = ZoneInfo("Asia/Bangkok")
DUE = dt.date(2026, 1, 9)
TODAY = dt.date(2026, 1, 12)
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# enqueue's "broker down" traceback once per sweep is expected here; keep the output readable.
logging.getLogger("reports.reminders.services").setLevel(logging.CRITICAL)


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BKK), tick=False)


def rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(label: str, fn):
    connection.queries_log.clear()  # the log keeps 9,000 queries: a full one would count 0
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
    print(f"{label}: {seconds:.2f} s, {len(ctx.captured_queries)} queries, peak RSS so far {rss_mb()} MB")
    return out, seconds, len(ctx.captured_queries)


def reset(office: Office) -> None:
    """Remove what a previous run left in office 4502 (reminders first: they protect their letters)."""
    Reminder.objects.filter(office=office).delete()
    OutgoingLetter.objects.filter(office=office).delete()
    LetterCounter.objects.filter(office=office).delete()
    SweepRun.objects.filter(office=office).delete()
    InspectionRound.objects.filter(office=office).delete()
    LiteracyRound.objects.filter(office=office).delete()
    Project.objects.filter(office=office).delete()
    ActionPlan.objects.filter(office=office).delete()
    Strategy.objects.filter(office=office).delete()
    Membership.objects.filter(office=office).delete()
    get_user_model().objects.filter(username__startswith="bench_4502_").delete()
    Division.objects.filter(office=office).delete()


def build() -> Office:
    """Office 4502 as described in the module docstring."""
    User = get_user_model()
    rng = random.Random(7)
    import_offices(DATA / "esa_list_obec_emis_2022.csv")
    office = Office.objects.get(area_code="4502")
    reset(office)
    import_schools_from_file(DATA / "obec_schools_all_2022-09.csv", office, academic_year=2568)
    office.letter_prefix = office.letter_prefix or "ศธ 04xxx"
    office.save(update_fields=["letter_prefix"])
    schools = list(School.objects.filter(office=office).order_by("smis_code"))
    for s in schools:
        s.email = f"{s.smis_code}@school.example.test"
    School.objects.bulk_update(schools, ["email"])

    def users(names: list[str], email: bool) -> list:
        rows = [User(username=n, first_name="ทดสอบ", last_name=n[-4:], email=f"{n}@example.test" if email else "") for n in names]
        for u in rows:
            u.set_unusable_password()  # a hashed password per user would take minutes
        User.objects.bulk_create(rows)
        return list(User.objects.filter(username__in=names).order_by("username"))

    planner = users(["bench_4502_planner"], True)[0]
    divisions = [Division.objects.create(office=office, code=f"{i:02d}", name=f"กลุ่มงานที่ {i}") for i in range(1, 11)]
    heads = users([f"bench_4502_head{i:02d}" for i in range(1, 11)], True)
    owners = users([f"bench_4502_owner{i:02d}" for i in range(1, 21)], True)
    accounts = users([f"bench_4502_s{s.smis_code}" for s in schools], False)
    Membership.objects.bulk_create(
        [Membership(user=planner, office=office, role=Role.PLAN_OFFICER)]
        + [Membership(user=h, office=office, role=Role.DIVISION_HEAD, division=d) for h, d in zip(heads, divisions)]
        + [Membership(user=o, office=office, role=Role.PROJECT_OWNER) for o in owners]
        + [Membership(user=a, office=office, role=Role.SCHOOL, school=s) for a, s in zip(accounts, schools)]
    )
    # Plan: approved FY 2569, 150 projects, none has filed Q1.
    ActionPlan.objects.create(office=office, fiscal_year=2569, version=1, status=ActionPlan.Status.APPROVED)
    strategy = StrategyFactory(office=office, code="S1")
    for n in range(150):
        ProjectFactory(office=office, code=f"69-{n + 1:03d}", name=f"โครงการพัฒนาคุณภาพการศึกษา ที่ {n + 1}",
                       strategy=strategy, division=divisions[n % 10], owner=owners[n % 20])
    # Literacy: closed on the due date, nobody submitted.
    LiteracyRound.objects.create(
        office=office, academic_year=2568, number=1, grades=["p1", "p2", "p3"], status=LiteracyRound.Status.CLOSED,
        opens_at=dt.datetime(2025, 12, 1, 8, 30, tzinfo=BKK), closes_at=dt.datetime(2026, 1, 9, 16, 30, tzinfo=BKK),
    )
    # Inspection: round 1/2569 dispatched to everyone on 24 November 2025, due 9 January 2026.
    with at(dt.date(2025, 11, 3)):
        r = inspections.create_round(office, by=planner, fiscal_year=2569, number=1, confirm=True, data={
            "title": "ตรวจราชการกรณีปกติ รอบที่ 1", "plan_sent_on": dt.date(2025, 12, 1), "coordination_meeting_on": dt.date(2025, 12, 15),
            "units_notified_on": dt.date(2026, 1, 26), "visit_starts_on": dt.date(2026, 2, 23), "visit_ends_on": dt.date(2026, 2, 25),
            "summary_meeting_on": dt.date(2026, 9, 15), "inspectors": "ผู้ตรวจราชการกระทรวงศึกษาธิการ (ข้อมูลสมมุติ)"})
        for i in range(1, 5):
            issue = inspections.add_issue(r, by=planner, code=str(i), title=f"ประเด็นการตรวจราชการที่ {i} การยกระดับคุณภาพการศึกษา",
                                          divisions=[divisions[i]])
            inspections.add_indicator(issue, by=planner, text=f"ร้อยละของนักเรียนที่ผ่านเกณฑ์การประเมิน ประเด็น {i}", unit="ร้อยละ", target="80")
            inspections.add_indicator(issue, by=planner, text=f"สถานศึกษามีแผนพัฒนาตามประเด็น {i}", answer_kind="yes_no")
            inspections.add_indicator(issue, by=planner, text=f"ปัญหาอุปสรรคในการดำเนินงาน ประเด็น {i}", answer_kind="text")
        inspections.build_form(r, by=planner)
    with at(dt.date(2025, 11, 24)):
        inspections.dispatch_forms(r, by=planner, divisions=divisions, schools=schools, due_on=DUE)
    questions = list(r.questions.order_by("order"))
    account_of = {a.username: a for a in accounts}
    with at(dt.date(2025, 12, 15)):
        for k, d in enumerate(FormDispatch.objects.filter(round=r, school__isnull=False).select_related("school").order_by("school__smis_code")):
            if k % 3:
                continue
            data = {}
            for q in questions[: len(questions) // 2]:
                data[f"q{q.pk}"] = {"number": str(rng.randrange(55, 101)), "yes_no": rng.choice(["yes", "no"]),
                                    "text": "ครูขาดแคลนสื่อการสอน"}.get(q.kind, "")
            inspections.save_answers(d, data, by=account_of[f"bench_4502_s{d.school.smis_code}"])
    return office


def main() -> None:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    office = build()
    print(f"built office 4502: {School.objects.filter(office=office).count()} schools, "
          f"{Project.objects.filter(office=office).count()} projects, "
          f"{FormDispatch.objects.filter(round__office=office).count()} inspection dispatches "
          f"in {time.perf_counter() - t0:.1f} s")

    with at(TODAY):
        # 1. Planning only.
        candidates, *_ = timed("1. due_reminders (cold: first call in the process)", lambda: due_reminders(office, TODAY))
        timed("1. due_reminders (warm)", lambda: due_reminders(office, TODAY))
        by_kind: dict[str, int] = {}
        for c in candidates:
            by_kind[f"{c.obligation.kind}/{c.stage}"] = by_kind.get(f"{c.obligation.kind}/{c.stage}", 0) + 1
        print(f"   {len(candidates)} candidates: {by_kind}")

        # 2. The sweep records everything; the broker is down, so nothing is sent.
        _, failed_enqueue, _ = timed("   (enqueue of one id with the broker down, included in the sweep below)",
                                     lambda: enqueue([0]))
        run, sweep_s, sweep_q = timed("2. sweep (records all, broker down: nothing sent)", lambda: sweep(TODAY, office=office, trigger="command"))
        pending = Reminder.objects.filter(office=office, status=Reminder.Status.PENDING).count()
        recording = sweep_s - failed_enqueue
        print(f"   run {run.status}, {run.created} reminders recorded, {pending} pending; without the failed enqueue "
              f"{recording:.2f} s, {recording / max(run.created, 1) * 1000:.1f} ms and {sweep_q / max(run.created, 1):.1f} queries per reminder")

        # 3. Sending: one to warm up (fonts, templates), then 10 of each kind.
        first = Reminder.objects.filter(office=office, status=Reminder.Status.PENDING).order_by("pk").first()
        timed(f"3. send_reminder, first in the process ({first.obligation_kind})", lambda: send_reminder(first.pk))
        sample = []
        for kind in ("quarterly_report", "literacy", "inspection_form"):
            sample += list(Reminder.objects.filter(office=office, obligation_kind=kind, status=Reminder.Status.PENDING)
                           .order_by("pk").values_list("pk", "obligation_kind")[:10])
        per_kind: dict[str, list[float]] = {}
        queries: list[int] = []
        for pk, kind in sample:
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                s0 = time.perf_counter()
                send_reminder(pk)
                per_kind.setdefault(kind, []).append(time.perf_counter() - s0)
            queries.append(len(ctx.captured_queries))
        every = [s for v in per_kind.values() for s in v]
        print(f"3. send_reminder × {len(every)}: {sum(every):.2f} s, mean {statistics.mean(every):.2f} s, "
              f"median {statistics.median(every):.2f} s, max {max(every):.2f} s; queries per send {min(queries)}-{max(queries)}; "
              f"{len(mail.outbox)} e-mails, each with {len(mail.outbox[0].attachments)} PDF")
        total = Reminder.objects.filter(office=office).count()
        counts = {k: Reminder.objects.filter(office=office, obligation_kind=k).count() for k in per_kind}
        estimate = sum(statistics.mean(v) * counts[k] for k, v in per_kind.items())
        for k, v in per_kind.items():
            print(f"   {k}: mean {statistics.mean(v):.3f} s, median {statistics.median(v):.3f} s × {counts[k]} reminders")
        print(f"   extrapolated: all {total} reminders in {estimate:.0f} s ({estimate / 60:.1f} min) on one worker process")

        # 4. The rest of the literacy letters, then the print batch of the 333 school letters.
        rest = list(Reminder.objects.filter(office=office, obligation_kind="literacy", status=Reminder.Status.PENDING)
                    .order_by("pk").values_list("pk", flat=True))
        t1 = time.perf_counter()
        growth = []
        for n, pk in enumerate(rest):
            send_reminder(pk)
            if n % 100 == 0:
                growth.append(f"{n}: {rss_mb()} MB")
        batch = time.perf_counter() - t1
        print(f"4a. send_reminder of the other {len(rest)} literacy letters: {batch:.1f} s ({batch / max(len(rest), 1):.2f} s each); "
              f"peak RSS after n sends: {', '.join(growth)}, end: {rss_mb()} MB")
        letters = list(selectors.school_letters(office, today=TODAY, kind="literacy"))
        pdf, merge_s, _ = timed(f"4b. merge_letter_pdfs of {len(letters)} school letters",
                                lambda: merge_letter_pdfs(r.letter for r in letters))
        out = Path("/tmp/reminder_letters_4502.pdf")
        out.write_bytes(pdf)
        print(f"   {len(pdf) / 1024:.0f} KB, {len(PdfReader(io.BytesIO(pdf)).pages)} pages → {out}")

        # 5. A second sweep the same day records nothing new.
        again, *_ = timed("5. sweep again", lambda: sweep(TODAY, office=office, trigger="command"))
        print(f"   {again.created} new reminders, status {again.status}")
        every, *_ = timed(f"5b. sweep of every office ({Office.objects.count()}, only 4502 has obligations), as beat runs it",
                          lambda: sweep(TODAY, trigger="command"))
        print(f"   {every.created} new reminders, status {every.status}")
    print(f"6. peak RSS {rss_mb()} MB")
    shutil.rmtree(SCRATCH, ignore_errors=True)


if __name__ == "__main__":
    main()
