"""A small office with an approved FY 2569 plan, projects whose Q1 reports are in every state, and schools
of a closed literacy round; helpers to freeze time and run a sweep with its after-commit sends."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from emes.fiscal import Quarter, WorkingCalendar
from emes.models import Role
from literacy.models import LiteracyRound, Submission
from plans.deadlines import report_due
from plans.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    DivisionFactory,
    MembershipFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    UserFactory,
    dress_letterhead,
)

BKK = ZoneInfo("Asia/Bangkok")


def at(day: dt.date, hour: int = 10):
    """Freeze time at ``hour`` o'clock Bangkok time on ``day``."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BKK), tick=False)


@dataclass
class World:
    office: object
    division: object
    head: object
    owner: object
    projects: dict
    q1_due: dt.date
    calendar: WorkingCalendar
    round: object
    schools: dict
    school_account: object

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.calendar.add_working_days(day, n)


@pytest.fixture
def world(office_a, planner_a):
    office = office_a
    office.letter_prefix = "ศธ 04999"
    office.save(update_fields=["letter_prefix"])
    dress_letterhead(office)  # external letters to schools need the emblem, address and signer
    ActionPlanFactory(office=office, fiscal_year=2569, status=ActionPlan.Status.APPROVED)
    division = DivisionFactory(office=office, name="กลุ่มส่งเสริมการจัดการศึกษา")
    head = UserFactory(username="head_a", email="head_a@example.test", first_name="สมศรี", last_name="หัวหน้า")
    MembershipFactory(user=head, office=office, role=Role.DIVISION_HEAD, division=division)
    owner = UserFactory(username="owner_a", email="owner_a@example.test", first_name="สมชาย", last_name="เจ้าของ")
    MembershipFactory(user=owner, office=office, role=Role.PROJECT_OWNER)
    projects = {}
    for code, status in [("69-001", "submitted"), ("69-002", None), ("69-003", "draft"), ("69-004", "returned"), ("69-005", "approved")]:
        p = ProjectFactory(office=office, code=code, division=division, owner=owner)
        if status:
            QuarterlyReportFactory(project=p, quarter=1, status=status)
        projects[code] = p
    projects["69-006"] = ProjectFactory(office=office, code="69-006", division=division, owner=None)  # no owner, missing
    # Literacy: round 1 of academic year 2568, closed on 27 Feb 2026.
    rnd = LiteracyRound.objects.create(
        office=office, academic_year=2568, number=1, grades=["p1", "p2", "p3"], status=LiteracyRound.Status.CLOSED,
        opens_at=dt.datetime(2026, 2, 2, 8, 30, tzinfo=BKK), closes_at=dt.datetime(2026, 2, 27, 16, 30, tzinfo=BKK),
    )
    schools = {
        "mail": SchoolFactory(office=office, name="บ้านมีอีเมล", email="school1@example.test"),
        "nomail": SchoolFactory(office=office, name="โรงเรียนบ้านไม่มีอีเมล", email=""),
        "done": SchoolFactory(office=office, name="บ้านส่งแล้ว", email="school3@example.test"),
    }
    account = UserFactory(username=schools["mail"].smis_code, email="")
    MembershipFactory(user=account, office=office, role=Role.SCHOOL, school=schools["mail"])
    Submission.objects.create(round=rnd, school=schools["done"], status=Submission.Status.SUBMITTED)
    calendar = WorkingCalendar.for_office(office)
    return World(
        office=office, division=division, head=head, owner=owner, projects=projects,
        q1_due=report_due(office, Quarter(2569, 1)), calendar=calendar, round=rnd, schools=schools, school_account=account,
    )


@pytest.fixture
def run_sweep(django_capture_on_commit_callbacks, eager_celery):
    """``run_sweep(day, **kw)``: the sweep at 10:00 on ``day`` with its after-commit sends run eagerly."""
    from reports.reminders.services import sweep

    def run(day: dt.date, **kwargs):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return sweep(**kwargs)

    return run


OPEN_Q1 = ["69-002", "69-003", "69-004", "69-006"]  # missing, draft, returned, missing without owner


def letter_of(reminder):
    """The letter a reminder went in: its own, or the one it is listed in (one letter per recipient per day, issue 17)."""
    from reports.models import OutgoingLetter

    if reminder.letter_id:
        return reminder.letter
    ref = reminder.facts.get("sent_in_letter")
    if not ref:
        return None
    return OutgoingLetter.objects.get(office_id=reminder.office_id, date=ref["date"], number=int(ref["letter_no"].rsplit("/", 1)[1]))


def recipients(reminders) -> int:
    """How many recipients ``reminders`` go to: the number of letters and e-mails of one day."""
    return len({r.recipient_key for r in reminders})
