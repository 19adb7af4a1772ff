"""The cast of the inspection tests: office A's plan officer (``planner_a``, shared conftest), a supervisor,
two divisions with a head and a project owner, three schools with accounts, and school B of office B."""
from __future__ import annotations

import datetime as dt

import pytest

from emes.models import Role
from inspections import services
from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


@pytest.fixture
def cast(office_a, office_b, planner_a, director_a, viewer_a, outsider_b):
    """Everyone, as a simple namespace."""
    from types import SimpleNamespace

    policy = DivisionFactory(office=office_a, code="02", name="กลุ่มนโยบายและแผน")
    academic = DivisionFactory(office=office_a, code="05", name="กลุ่มส่งเสริมการจัดการศึกษา")
    other_division = DivisionFactory(office=office_b, code="02", name="กลุ่มนโยบายและแผน (เขต 2)")
    schools = [SchoolFactory(office=office_a, smis_code=f"9901000{i}", name=f"โรงเรียนบ้านทดสอบ {i}") for i in (1, 2, 3)]
    school_b = SchoolFactory(office=office_b, smis_code="99020001", name="โรงเรียนนอกเขต")
    ns = SimpleNamespace(
        office=office_a, office_b=office_b, planner=planner_a, director=director_a, viewer=viewer_a, outsider=outsider_b,
        policy=policy, academic=academic, other_division=other_division, schools=schools, school_b=school_b,
        supervisor=member(office_a, Role.SUPERVISOR, "supervisor_a"),
        head=member(office_a, Role.DIVISION_HEAD, "head_a", division=academic),
        owner=member(office_a, Role.PROJECT_OWNER, "owner_a", division=policy),
        school_users=[member(office_a, Role.SCHOOL, f"9901000{i}", school=s) for i, s in zip((1, 2, 3), schools)],
        school_b_user=member(office_b, Role.SCHOOL, "99020001", school=school_b),
    )
    return ns


#: Round 1/2569: plan sent 1 Dec 2568, meeting 15 Dec 2568 (Q1), units told 16 Feb 2569, visit 23-25 Feb 2569 (CE dates).
SCHEDULE = {
    "kind": "regular", "title": "ตรวจราชการกรณีปกติ รอบที่ 1",
    "plan_sent_on": dt.date(2025, 12, 1), "coordination_meeting_on": dt.date(2025, 12, 15),
    "units_notified_on": dt.date(2026, 1, 26), "visit_starts_on": dt.date(2026, 2, 23), "visit_ends_on": dt.date(2026, 2, 25),
    "summary_meeting_on": dt.date(2026, 9, 15), "inspectors": "ผู้ตรวจราชการกระทรวงศึกษาธิการ (ข้อมูลสมมุติ)",
}


@pytest.fixture
def round_with_form(cast):
    """Round 1/2569 with one issue of three indicators (number, yes/no, text) and a file question; form built."""
    r = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=1, data=SCHEDULE, today=dt.date(2025, 11, 1))
    issue = services.add_issue(r, by=cast.planner, code="1", title="การอ่านออกเขียนได้ของนักเรียนชั้น ป.1", divisions=[cast.academic])
    services.add_indicator(issue, by=cast.planner, text="ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้", unit="ร้อยละ", target="100")
    services.add_indicator(issue, by=cast.planner, text="มีแผนพัฒนาการอ่านของสถานศึกษา", answer_kind="yes_no")
    services.add_indicator(issue, by=cast.planner, text="ปัญหาและอุปสรรค", answer_kind="text")
    services.build_form(r, by=cast.planner)
    services.add_question(r, by=cast.planner, text="ร่องรอยหลักฐาน", kind="file", required=False)
    r.refresh_from_db()
    return r
