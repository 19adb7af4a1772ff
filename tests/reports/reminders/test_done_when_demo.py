"""Issue 7, "Done when", on the demo office (สพป.แพร่ เขต 2, FY 2569) with time frozen on real dates.

The working day after the Q1/2569 due date the sweep registers and e-mails first letters to exactly the
demo projects whose Q1 report is missing or open (draft, returned); running it again sends nothing new;
a school missing from a closed literacy round gets an external letter.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from emes.fiscal import Quarter, WorkingCalendar
from literacy.models import LiteracyRound, Submission
from literacy.selectors import office_schools
from literacy.services import close_round
from plans.deadlines import report_due
from plans.models import Project, QuarterlyReport
from reports.models import OutgoingLetter, Reminder
from tests.factories import dress_letterhead

from .conftest import at, letter_of, recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_office, db):
    """The demo office, loaded once for the module (tests/conftest.py); each test's sweep is rolled back.
    The demo leaves the address blank (not verified); external letters need it (and the emblem, the signer)."""
    return dress_letterhead(demo_office)


def open_q1_codes(office) -> set[str]:
    counted = set(
        QuarterlyReport.objects.filter(project__office=office, quarter=1, status__in=QuarterlyReport.COUNTED).values_list("project_id", flat=True)
    )
    return set(Project.objects.filter(office=office, fiscal_year=2569).exclude(pk__in=counted).values_list("code", flat=True))


def test_first_letters_to_exactly_the_missing_demo_projects_once(demo, run_sweep):
    due = report_due(demo, Quarter(2569, 1))
    day = WorkingCalendar.for_office(demo).add_working_days(due, 1)
    assert (due, day) == (dt.date(2026, 1, 9), dt.date(2026, 1, 12))
    expected = open_q1_codes(demo)
    assert 0 < len(expected) < Project.objects.filter(office=demo).count()

    run = run_sweep(day)
    firsts = Reminder.objects.filter(office=demo, obligation_kind="quarterly_report", stage="first").select_related("letter")
    assert {r.facts["project_code"] for r in firsts} == expected
    assert run.created == len(expected) == firsts.count()
    assert not Reminder.objects.filter(stage="notice").exists(), "no stale notice once overdue"
    assert all(r.status == Reminder.Status.SENT for r in firsts)
    # One memo per owner listing all their overdue reports (issue 17).
    assert all(letter_of(r) and letter_of(r).kind == OutgoingLetter.Kind.MEMO and letter_of(r).file for r in firsts)
    assert OutgoingLetter.objects.filter(office=demo).count() == recipients(firsts) < len(expected)
    assert len(mail.outbox) == recipients(firsts)
    for m in mail.outbox:
        assert len(m.attachments) == 1
        name, content, mimetype = m.attachments[0]
        assert mimetype == "application/pdf" and content.startswith(b"%PDF-")
    owner_mail = {m.to[0] for m in mail.outbox}
    assert owner_mail == {r.recipient_email for r in firsts}

    again = run_sweep(day)
    assert again.created == 0
    assert len(mail.outbox) == recipients(firsts)
    assert OutgoingLetter.objects.filter(office=demo).count() == recipients(firsts)


def test_a_school_missing_from_the_closed_demo_round_gets_an_external_letter(demo, run_sweep):
    planner = get_user_model().objects.get(username="planner")
    rnd = LiteracyRound.objects.get(office=demo, academic_year=2569, number=2)
    schools = list(office_schools(demo).order_by("smis_code"))
    missing = schools[:2]
    # The demo's round 2 is partly submitted already (a few drafts): every school but the first two has submitted.
    Submission.objects.filter(round=rnd, school__in=schools[2:]).update(status=Submission.Status.SUBMITTED)
    Submission.objects.bulk_create((Submission(round=rnd, school=s, status=Submission.Status.SUBMITTED) for s in schools[2:]), ignore_conflicts=True)
    assert not Submission.objects.filter(round=rnd, school__in=missing).exists()
    missing[0].email = "school@emes-demo.invalid"
    missing[0].save(update_fields=["email"])
    missing[1].email = ""  # the demo gives four schools in five an address; this one has none
    missing[1].save(update_fields=["email"])
    with at(dt.date(2027, 2, 26), hour=17):
        close_round(rnd, by=planner)
    day = WorkingCalendar.for_office(demo).add_working_days(dt.date(2027, 2, 26), 1)
    run_sweep(day)
    letters = Reminder.objects.filter(obligation_kind="literacy", stage="first").select_related("letter", "recipient_school")
    assert {r.recipient_school for r in letters} == set(missing)
    assert all(letter_of(r).kind == OutgoingLetter.Kind.EXTERNAL for r in letters)
    by_school = {r.recipient_school: r for r in letters}
    assert by_school[missing[0]].status == Reminder.Status.SENT
    assert by_school[missing[1]].status == Reminder.Status.PRINT  # the registry has no e-mail for it
    # The same school is also chased for the demo's inspection form 1/2570 (not submitted): count the literacy letter only.
    literacy_subject = by_school[missing[0]].subject
    # (Both first letters of one day go in one letter to the school, issue 17: the literacy item is listed once.)
    school_mails = [m for m in mail.outbox if m.to == ["school@emes-demo.invalid"]]
    assert sum(1 for m in school_mails if m.subject == literacy_subject or "การอ่านออกเขียนได้" in m.body) == 1


def test_command_dry_run_lists_and_records_nothing(demo, capsys):
    with at(dt.date(2026, 1, 12)):
        call_command("sweep_reminders", "--office", "5402", "--dry-run")
    out = capsys.readouterr().out
    assert "first" in out and "nothing recorded" in out
    assert not Reminder.objects.exists()


def test_command_refuses_a_be_date_and_an_unknown_office(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ค.ศ."):
        call_command("sweep_reminders", "--date", "2569-01-12")
    with pytest.raises(CommandError, match="9999"):
        call_command("sweep_reminders", "--office", "9999")
