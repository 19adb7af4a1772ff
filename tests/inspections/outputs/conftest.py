"""A full round for the outputs' tests, run through E's services (``tests/inspections/conftest.py`` gives the cast
and ``round_with_form``): forms sent on Monday 5 January 2569 to the academic division and three schools;
school 1 and the division answer on 20 January (on time), school 2 on 18 February (late, and its text answer
starts with "=" like a formula), school 3 never; the round closes; three recommendations: one verified closed
with evidence, one in progress, one open and overdue."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BKK = dt.timezone(dt.timedelta(hours=7))
#: The day the documents are read in the tests: 1 July 2569 (Q4), after every due date below but one.
TODAY = dt.date(2026, 7, 1)


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=BKK)


def answers(r, number, yes, text):
    qs = list(r.questions.order_by("order"))
    return {f"q{qs[0].pk}": number, f"q{qs[1].pk}": yes, f"q{qs[2].pk}": text}


@pytest.fixture
def full_round(cast, round_with_form):
    r = round_with_form
    with time_machine.travel(at(2026, 1, 5), tick=False):
        services.dispatch_forms(r, by=cast.planner, divisions=[cast.academic], schools=cast.schools)
    d = {x.unit_name: x for x in r.dispatches.select_related("division", "school", "round__office")}
    s1, s2, s3 = (d[s.name] for s in cast.schools)
    div = d[cast.academic.name]
    with time_machine.travel(at(2026, 1, 20), tick=False):
        services.save_answers(s1, answers(r, "85.5", "yes", "ครูขาดแคลนสื่อการสอน"), by=cast.school_users[0])
        services.add_answer_evidence(s1, SimpleUploadedFile("หลักฐานการอ่าน.pdf", PDF), by=cast.school_users[0],
                                     question=r.questions.get(kind="file"))
        services.submit_answers(s1, by=cast.school_users[0])
        services.submit_answers(div, answers(r, "100", "no", "ดำเนินการตามแผน"), by=cast.head)
    with time_machine.travel(at(2026, 2, 18), tick=False):
        services.submit_answers(s2, answers(r, "70", "yes", "=HYPERLINK(\"http://x\")"), by=cast.school_users[1])
    with time_machine.travel(at(2026, 2, 27), tick=False):
        services.close_round(r, by=cast.planner)
    issue = r.issues.get()
    with time_machine.travel(at(2026, 3, 2), tick=False):
        rec1 = services.add_recommendation(r, by=cast.planner, text="เร่งพัฒนาการอ่านของนักเรียน ป.1 ที่ยังอ่านไม่ออก", issue=issue,
                                           divisions=[cast.academic], due_on=dt.date(2026, 6, 30))
        rec2 = services.add_recommendation(r, by=cast.planner, text="จัดทำฐานข้อมูลนักเรียนออกกลางคัน", divisions=[cast.policy],
                                           due_on=dt.date(2026, 5, 29))
        rec3 = services.add_recommendation(r, by=cast.planner, text="นิเทศติดตามการใช้แผนพัฒนาการอ่าน", issue=issue,
                                           divisions=[cast.academic, cast.policy], due_on=dt.date(2026, 9, 30))
    with time_machine.travel(at(2026, 4, 20), tick=False):
        services.add_follow_up(rec1, by=cast.head, text="จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง", file=SimpleUploadedFile("ค่ายอ่าน.pdf", PDF))
        services.add_follow_up(rec3, by=cast.owner, text="วางแผนนิเทศภาคเรียนที่ 1")
    with time_machine.travel(at(2026, 5, 15), tick=False):
        services.mark_done(rec1, by=cast.head)
        services.verify_closed(rec1, by=cast.planner, comment="ตรวจสอบหลักฐานแล้ว")
    r.refresh_from_db()
    r.recs = (rec1, rec2, rec3)
    return r
