"""The sweep's stages on real FY 2569 dates: notices before the due date, first letters once overdue,
second letters N working days after the first, catch-up after missed days, never twice."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test.utils import override_settings

from emes.notifications.models import Notification
from reports.models import OutgoingLetter, Reminder, SweepRun
from reports.reminders.services import due_reminders

from .conftest import OPEN_Q1, at, letter_of

pytestmark = pytest.mark.django_db


def quarterly(stage=None):
    qs = Reminder.objects.filter(obligation_kind="quarterly_report")
    return qs.filter(stage=stage) if stage else qs


def codes(qs) -> list[str]:
    return sorted({r.facts["project_code"] for r in qs})


def test_q1_due_date_is_friday_9_january_2026(world):
    assert world.q1_due == dt.date(2026, 1, 9)


def test_nothing_before_the_notice_window(world, run_sweep):
    run = run_sweep(world.q1_due - dt.timedelta(days=7))
    assert run.status == SweepRun.Status.OK and run.created == 0
    assert not mail.outbox


def test_notices_before_the_due_date_to_the_owner_or_the_head(world, run_sweep):
    day = dt.date(2026, 1, 7)  # 2 working days before Friday 9 January
    run = run_sweep(day)
    notices = quarterly(Reminder.Stage.NOTICE)
    assert codes(notices) == OPEN_Q1
    assert run.created == notices.count() == 4
    assert set(notices.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert not notices.exclude(letter=None).exists(), "a notice has no letter"
    no_owner = notices.get(facts__project_code="69-006")
    assert no_owner.recipient_user == world.head
    assert len(mail.outbox) == 4 and all(not m.attachments for m in mail.outbox)
    assert Notification.objects.filter(user=world.owner).count() == 3


def test_no_notice_on_the_due_date_and_no_stale_notice_once_overdue(world, run_sweep):
    run_sweep(world.q1_due)
    assert not quarterly().exists()
    run_sweep(world.wd(world.q1_due, 1))
    assert not quarterly(Reminder.Stage.NOTICE).exists()
    assert codes(quarterly(Reminder.Stage.FIRST)) == OPEN_Q1


def test_first_letters_the_working_day_after_the_due_date(world, run_sweep):
    day = world.wd(world.q1_due, 1)
    assert day == dt.date(2026, 1, 12)
    run_sweep(day)
    firsts = quarterly(Reminder.Stage.FIRST).select_related("letter")
    assert codes(firsts) == OPEN_Q1
    assert all(r.status == Reminder.Status.SENT and letter_of(r) and letter_of(r).kind == "memo" for r in firsts)
    # One memo per recipient (issue 17): the owner's three reports in one, the head's (69-006) in another.
    assert sorted({letter_of(r).number for r in firsts}) == [1, 2]
    assert firsts.get(facts__project_code="69-006").recipient_user == world.head  # no owner: the head
    quarterly_mails = [m for m in mail.outbox if m.to != ["school1@example.test"]]
    assert len(quarterly_mails) == 2
    for m in quarterly_mails:
        assert len(m.attachments) == 1 and m.attachments[0][2] == "application/pdf"
        assert m.attachments[0][1].startswith(b"%PDF-")
    letter = OutgoingLetter.objects.get(number=1)
    assert letter.file and letter.letter_no.startswith("ศธ 04999/")


def test_running_again_sends_nothing_new(world, run_sweep):
    day = world.wd(world.q1_due, 1)
    run_sweep(day)
    sent, letters = len(mail.outbox), OutgoingLetter.objects.count()
    again = run_sweep(day)
    assert again.created == 0
    assert len(mail.outbox) == sent and OutgoingLetter.objects.count() == letters


def test_second_letter_to_the_division_head_n_working_days_after_the_first(world, run_sweep, settings):
    first_day = world.wd(world.q1_due, 1)
    run_sweep(first_day)
    first = quarterly(Reminder.Stage.FIRST).select_related("letter").get(facts__project_code="69-002")
    run_sweep(world.wd(first_day, settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER - 1))
    assert not quarterly(Reminder.Stage.SECOND).exists()
    run_sweep(world.wd(first_day, settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER))
    seconds = quarterly(Reminder.Stage.SECOND).select_related("letter")
    assert codes(seconds) == OPEN_Q1
    second = seconds.get(facts__project_code="69-002")
    assert second.recipient_user == world.head and second.recipient_email == "head_a@example.test"
    assert second.facts["reference"] == {"letter_no": first.letter.letter_no, "date": first.letter.date.isoformat()}
    assert second.letter.kind == "memo"


def test_catch_up_after_missed_days(world, run_sweep, settings):
    """No sweep ran for two weeks (Redis down): the first run records the first letters, never a stale notice;
    the second letters follow N working days after those first letters, never with them."""
    late = world.wd(world.q1_due, 10)
    run_sweep(late)
    assert not quarterly(Reminder.Stage.NOTICE).exists()
    assert codes(quarterly(Reminder.Stage.FIRST)) == OPEN_Q1
    assert not quarterly(Reminder.Stage.SECOND).exists()
    assert quarterly(Reminder.Stage.FIRST).first().facts["days_late"] == 10
    run_sweep(world.wd(late, settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER + 3))  # missed days again
    assert codes(quarterly(Reminder.Stage.SECOND)) == OPEN_Q1


def test_a_report_submitted_meanwhile_is_not_reminded(world, run_sweep):
    from tests.factories import QuarterlyReportFactory

    QuarterlyReportFactory(project=world.projects["69-002"], quarter=1, status="submitted")
    with at(world.wd(world.q1_due, 1)):
        keys = {c.obligation.facts.get("project_code") for c in due_reminders(world.office)}
    assert "69-002" not in keys and "69-003" in keys


def test_school_missing_from_a_closed_round_gets_an_external_letter(world, run_sweep):
    day = world.wd(dt.date(2026, 2, 27), 1)
    run_sweep(day)
    lit = Reminder.objects.filter(obligation_kind="literacy", stage=Reminder.Stage.FIRST).select_related("letter", "recipient_school")
    by_school = {r.recipient_school.name: r for r in lit}
    assert set(by_school) == {"บ้านมีอีเมล", "โรงเรียนบ้านไม่มีอีเมล"}
    mailed = by_school["บ้านมีอีเมล"]
    assert mailed.status == Reminder.Status.SENT and mailed.letter.kind == OutgoingLetter.Kind.EXTERNAL
    assert mailed.facts["salutation"] == "ผู้อำนวยการโรงเรียนบ้านมีอีเมล"
    assert mailed.letter.recipient == "โรงเรียนบ้านมีอีเมล"
    school_mail = [m for m in mail.outbox if m.to == ["school1@example.test"]]
    assert len(school_mail) == 1 and school_mail[0].attachments
    # The school's account is told in-app.
    assert Notification.objects.filter(user=world.school_account).count() == 1


def test_no_email_the_letter_is_registered_and_listed_for_print(world, run_sweep):
    run_sweep(world.wd(dt.date(2026, 2, 27), 1))
    r = Reminder.objects.select_related("letter").get(obligation_kind="literacy", stage="first", recipient_school=world.schools["nomail"])
    assert r.status == Reminder.Status.PRINT
    assert r.letter is not None and r.letter.file
    assert "อีเมล" in r.status_reason or "e-mail" in r.status_reason
    assert not [m for m in mail.outbox if not m.to or m.to == [""]]


def test_school_second_letter_most_urgent_and_citing_the_first(world, run_sweep, settings):
    first_day = world.wd(dt.date(2026, 2, 27), 1)
    run_sweep(first_day)
    run_sweep(world.wd(first_day, settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER))
    second = Reminder.objects.select_related("letter").get(obligation_kind="literacy", stage="second", recipient_school=world.schools["mail"])
    first = Reminder.objects.select_related("letter").get(obligation_kind="literacy", stage="first", recipient_school=world.schools["mail"])
    assert second.recipient_name == "ผู้อำนวยการโรงเรียนบ้านมีอีเมล"
    assert second.facts["reference"]["letter_no"] == first.letter.letter_no
    assert second.letter.kind == "external"


@override_settings(EMES_REMINDER_SECOND_LETTER_DAYS_AFTER=2)
def test_stage_numbers_are_settings(world, run_sweep):
    first_day = world.wd(world.q1_due, 1)
    run_sweep(first_day)
    run_sweep(world.wd(first_day, 2))
    assert codes(quarterly(Reminder.Stage.SECOND)) == OPEN_Q1


def test_due_reminders_is_a_read_and_its_cost_does_not_grow(world, django_assert_max_num_queries):
    from tests.factories import ProjectFactory, SchoolFactory

    day = world.wd(world.q1_due, 1)
    with at(day), django_assert_max_num_queries(20) as few:
        n_few = len(due_reminders(world.office))
    for i in range(15):
        ProjectFactory(office=world.office, code=f"69-1{i:02d}", division=world.division, owner=world.owner)
        SchoolFactory(office=world.office)
    with at(day), django_assert_max_num_queries(len(few.captured_queries)):
        assert len(due_reminders(world.office)) == n_few + 15
    assert not Reminder.objects.exists()
