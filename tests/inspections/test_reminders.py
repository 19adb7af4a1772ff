"""Inspection forms not submitted are chased by the reminder engine (issues 7 and 8).

Round 1/2569 (``round_with_form``: 4 questions, 3 required) is dispatched on Monday 5 January 2569
to two schools and the academic division (head ``head_a``), due Monday 16 February 2569 (30 working
days). School 1 submits; school 2 saved a draft with one answer; the division has not started. The
working day after the due date the sweep registers an external letter to school 2 and a memo to the
division head, and e-mails them with the letter PDF; running it again sends nothing.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from emes.fiscal import WorkingCalendar
from inspections import services
from inspections.models import FormDispatch
from inspections.obligations import inspection_forms, missing_by_dispatch
from reports.models import OutgoingLetter, Reminder
from reports.reminders.content import build_message
from reports.reminders.selectors import describe
from reports.reminders.services import due_reminders, sweep
from tests.factories import dress_letterhead

pytestmark = pytest.mark.django_db

BKK = ZoneInfo("Asia/Bangkok")
SENT = dt.date(2026, 1, 5)
DUE = dt.date(2026, 2, 16)


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BKK), tick=False)


def answers(r, **values):
    qs = {q.order: q for q in r.questions.all()}
    return {f"q{qs[int(n)].pk}": v for n, v in values.items()}


@pytest.fixture
def world(cast, round_with_form):
    office = cast.office
    office.letter_prefix = "ศธ 04999"
    office.save(update_fields=["letter_prefix"])
    dress_letterhead(office)  # external letters to schools need the emblem, address and signer
    s1, s2, _s3 = cast.schools
    s1.email, s2.email = "school1@example.test", "school2@example.test"
    s1.save(update_fields=["email"])
    s2.save(update_fields=["email"])
    cast.head.email = "head_a@example.test"
    cast.head.save(update_fields=["email"])
    r = round_with_form
    with at(SENT):
        services.dispatch_forms(r, by=cast.planner, divisions=[cast.academic], schools=[s1, s2])
    d = {x.unit_name: x for x in r.dispatches.select_related("division", "school", "round__office")}
    with at(dt.date(2026, 1, 20)):
        services.submit_answers(d[s1.name], answers(r, **{"1": "85", "2": "yes", "3": "ครูขาดแคลนสื่อ"}), by=cast.school_users[0])
        services.save_answers(d[s2.name], answers(r, **{"1": "70"}), by=cast.school_users[1])
    r.refresh_from_db()
    cast.round, cast.dispatch = r, d
    cast.calendar = WorkingCalendar.for_office(office)
    return cast


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks, eager_celery):
    def run(day: dt.date, **kwargs):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return sweep(**kwargs)

    return run


def forms(stage=None):
    qs = Reminder.objects.filter(obligation_kind="inspection_form").select_related("letter", "recipient_school", "recipient_user")
    return qs.filter(stage=stage) if stage else qs


def pdf_text(letter: OutgoingLetter) -> str:
    with letter.file.open("rb") as fh:
        data = fh.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    # Thai digits as the office writes them; lines joined (pdftotext breaks at the letter's line ends).
    return text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace("\n", "")


def test_the_working_day_after_the_due_date_letters_go_to_the_school_and_the_division_head(world, run_sweep):
    s1, s2, _s3 = world.schools
    day = world.calendar.add_working_days(DUE, 1)
    assert day == dt.date(2026, 2, 17)
    run_sweep(day)
    firsts = list(forms(Reminder.Stage.FIRST))
    assert len(firsts) == 2 and not forms(Reminder.Stage.NOTICE).exists()
    school = next(r for r in firsts if r.recipient_school_id)
    memo = next(r for r in firsts if r.recipient_user_id)

    # School 2 (draft): an external letter to the school, e-mailed to its address, with the PDF.
    assert school.recipient_school == s2 and school.obligation_key == f"inspection_form:dispatch={world.dispatch[s2.name].pk}"
    assert school.status == Reminder.Status.SENT and school.letter.kind == OutgoingLetter.Kind.EXTERNAL
    assert school.facts["salutation"] == "ผู้อำนวยการโรงเรียนบ้านทดสอบ 2" and school.recipient_email == "school2@example.test"
    assert school.facts["days_late"] == 1 and school.facts["due_on"] == "2026-02-16"
    assert [n for n, _t in school.facts["missing"]] == [2, 3]  # question 1 answered, 4 (file) optional
    # The division (not started): a memo to its head.
    assert memo.recipient_user == world.head and memo.letter.kind == OutgoingLetter.Kind.MEMO
    assert memo.facts["salutation"] == "ผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา"
    assert memo.facts["not_started"] is True and memo.facts["question_count"] == 4

    by_to = {tuple(m.to): m for m in mail.outbox}
    assert set(by_to) == {("school2@example.test",), ("head_a@example.test",)}
    for m in by_to.values():
        assert len(m.attachments) == 1 and m.attachments[0][1].startswith(b"%PDF-")
    body = by_to[("school2@example.test",)].body
    for text in ("รอบที่ 1", "2569", "ตรวจราชการกรณีปกติ รอบที่ 1", "16 กุมภาพันธ์ 2569", "1 วันทำการ",
                 "มีแผนพัฒนาการอ่านของสถานศึกษา", "ปัญหาและอุปสรรค"):
        assert text in body, text
    assert "ยังไม่ได้เริ่มตอบ" in by_to[("head_a@example.test",)].body
    assert "4 ข้อ" in by_to[("head_a@example.test",)].body
    # The letters name exactly what is missing (read back from the PDF).
    letter = pdf_text(school.letter)
    for text in ("โรงเรียนบ้านทดสอบ 2", "รอบที่ 1", "กุมภาพันธ์ 2569", "ตรวจราชการกรณีปกติ", "ข้อ 2, 3", "มีแผนพัฒนาการอ่านของสถานศึกษา"):
        assert text in letter, text
    # The submitted school gets nothing.
    assert not forms().filter(recipient_school=s1).exists()


def test_a_second_sweep_sends_nothing(world, run_sweep):
    day = world.calendar.add_working_days(DUE, 1)
    run_sweep(day)
    sent, letters = len(mail.outbox), OutgoingLetter.objects.count()
    again = run_sweep(day)
    assert again.created == 0 and len(mail.outbox) == sent and OutgoingLetter.objects.count() == letters


def test_second_letters_to_the_director_most_urgent_and_to_the_head(world, run_sweep, settings):
    s2 = world.schools[1]
    first_day = world.calendar.add_working_days(DUE, 1)
    run_sweep(first_day)
    run_sweep(world.calendar.add_working_days(first_day, settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER))
    seconds = list(forms(Reminder.Stage.SECOND))
    director = next(r for r in seconds if r.recipient_school_id)
    head = next(r for r in seconds if r.recipient_user_id)
    first = forms(Reminder.Stage.FIRST).get(recipient_school=s2)
    assert director.recipient_name == "ผู้อำนวยการโรงเรียนบ้านทดสอบ 2" and director.letter.kind == OutgoingLetter.Kind.EXTERNAL
    assert director.facts["reference"]["letter_no"] == first.letter.letter_no
    message = build_message(kind="inspection_form", stage="second", facts=director.facts, salutation=director.facts["salutation"],
                            letter_kind="external", office=world.office)
    assert message.letter.urgency == "ด่วนที่สุด" and message.letter.reference
    assert head.recipient_user == world.head and head.letter.kind == OutgoingLetter.Kind.MEMO


def test_notice_before_the_due_date(world, run_sweep, settings):
    day = world.calendar.subtract_working_days(DUE, settings.EMES_REMINDER_NOTICE_DAYS_BEFORE)
    run_sweep(day)
    notices = forms(Reminder.Stage.NOTICE)
    assert notices.count() == 2 and not notices.exclude(letter=None).exists()


def test_a_closed_round_produces_no_reminders(world, run_sweep):
    with at(dt.date(2026, 2, 16)):
        services.close_round(world.round, by=world.planner)
    run_sweep(world.calendar.add_working_days(DUE, 1))
    assert not forms().exists()


def test_a_submitted_form_none(world, run_sweep):
    r, s2 = world.round, world.schools[1]
    with at(dt.date(2026, 2, 16)):
        services.submit_answers(world.dispatch[s2.name], answers(r, **{"2": "no", "3": "ไม่มี"}), by=world.school_users[1])
    run_sweep(world.calendar.add_working_days(DUE, 1))
    assert [x.recipient_user for x in forms()] == [world.head]


def test_a_division_without_a_head_gets_nothing_invented(world, run_sweep):
    with at(dt.date(2026, 1, 6)):
        services.dispatch_forms(world.round, by=world.planner, divisions=[world.policy])  # no head, only a project owner
    day = world.calendar.add_working_days(DUE, 1)
    with at(day):
        obligations = {o.facts["unit_name"]: o for o in inspection_forms(office=world.office, user=None, on=day)}
    assert obligations["กลุ่มนโยบายและแผน"].recipients_for("first") == ()
    run_sweep(day)
    assert forms().count() == 2


def test_the_bulk_missing_rule_agrees_with_the_service(world):
    dispatches = list(world.round.dispatches.select_related("round"))
    questions = {world.round.pk: list(world.round.questions.order_by("order", "id"))}
    bulk = missing_by_dispatch(dispatches, questions)
    for d in dispatches:
        assert [q.pk for q in bulk[d.pk]] == [q.pk for q in services.missing_answers(d)]


def test_list_line_and_filter_name_the_kind(world):
    day = world.calendar.add_working_days(DUE, 1)
    with at(day):
        due = due_reminders(world.office, day)
    lines = sorted(describe(c.obligation.kind, c.facts) for c in due)
    assert len(lines) == 2
    assert lines[0].startswith("กลุ่มส่งเสริมการจัดการศึกษา: ") and lines[1].startswith("โรงเรียนบ้านทดสอบ 2: ")
    assert all("1/2569" in x for x in lines) and "2" in lines[1].split("1/2569")[1]
    from reports.reminders.forms import KIND_CHOICES

    assert "inspection_form" in dict(KIND_CHOICES)


def test_cost_does_not_grow_with_dispatches(world, django_assert_max_num_queries):
    from emes.models import Role
    from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory

    day = world.calendar.add_working_days(DUE, 1)
    with at(day), django_assert_max_num_queries(30) as few:
        n_few = len(due_reminders(world.office, day))
    schools = [SchoolFactory(office=world.office, email=f"s{i}@example.test") for i in range(6)]
    divisions = [DivisionFactory(office=world.office, code=f"9{i}") for i in range(3)]
    account = {}
    for i, s in enumerate(schools):
        account[s.pk] = UserFactory(username=f"acct{i}")
        MembershipFactory(user=account[s.pk], office=world.office, role=Role.SCHOOL, school=s)
    for i, d in enumerate(divisions):
        MembershipFactory(user=UserFactory(username=f"head{i}"), office=world.office, role=Role.DIVISION_HEAD, division=d)
    with at(SENT):
        services.dispatch_forms(world.round, by=world.planner, schools=schools, divisions=divisions, due_on=DUE)
    with at(dt.date(2026, 1, 21)):
        for d in FormDispatch.objects.filter(school__in=schools[:3]).select_related("round", "school"):
            services.save_answers(d, answers(world.round, **{"1": "50", "2": "no"}), by=account[d.school_id])
    with at(day), django_assert_max_num_queries(len(few.captured_queries)):
        n_many = len(due_reminders(world.office, day))
    assert n_many == n_few + 9
