import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 09:00 +0700")
def test_home_offers_the_ended_fiscal_years_with_role_names(client, planner_a, outsider_b):
    client.force_login(planner_a)
    page = client.get(reverse("home")).content.decode()
    assert "นักวิเคราะห์นโยบายและแผน" in page
    assert reverse("reports:annual-report", args=[planner_a.memberships.get().office.area_code, 2569]) in page
    assert reverse("reports:annual-report", args=["9902", 2569]) not in page  # the outsider's office


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- per-role work lists ---------------------------------------------------------------------

import datetime as dt  # noqa: E402

from emes.models import Enrolment, Role  # noqa: E402
from tests.factories import (  # noqa: E402
    ActionPlanFactory,
    DivisionFactory,
    MembershipFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    UserFactory,
)

TODAY = "2026-01-20 09:00 +0700"  # FY 2569 Q1 ended 2025-12-31, its reports were due 2026-01-09


def _member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


@time_machine.travel(TODAY)
def test_project_owner_sees_the_reports_they_owe_with_working_days_late(client, office_a):
    # Only the projects of an approved plan are owed (emes.obligations, docs/obligations.md).
    ActionPlanFactory(office=office_a, fiscal_year=2569, status="approved")
    owner = _member(office_a, Role.PROJECT_OWNER, "owner_a")
    missing = ProjectFactory(office=office_a, owner=owner, code="69-001")
    returned = ProjectFactory(office=office_a, owner=owner, code="69-002")
    QuarterlyReportFactory(project=returned, quarter=1, status="returned")
    done = ProjectFactory(office=office_a, owner=owner, code="69-003")
    QuarterlyReportFactory(project=done, quarter=1, status="submitted")
    ProjectFactory(office=office_a, code="69-004")  # somebody else's project

    client.force_login(owner)
    response = client.get(reverse("home"))
    due = response.context["offices"][0]["due"]
    assert [(o.target.code, o.facts["quarter"]) for o in due] == [
        ("69-001", 1), ("69-002", 1), ("69-001", 2), ("69-002", 2), ("69-003", 2),
    ]
    first = due[0]
    assert first.target == missing and first.status_label == "ยังไม่เริ่ม" and first.due_on == dt.date(2026, 1, 9)
    assert due[1].status_label == "ส่งกลับแก้ไข"  # a returned report is still owed
    # 12, 13, 14, 15, 16, 19, 20 January 2026 are working days after the due date.
    assert first.days_late == 7 and first.is_late
    assert not due[2].is_late  # Q2 has only started
    page = response.content.decode()
    assert "69-004" not in page
    assert page.count("table-danger") == 2  # the two Q1 reports are late, Q2 is not yet due


@time_machine.travel(TODAY)
def test_review_lists_follow_the_workflow_roles(client, office_a, office_b):
    division, other_division = DivisionFactory(office=office_a), DivisionFactory(office=office_a)
    head = _member(office_a, Role.DIVISION_HEAD, "head_a", division=division)
    director = _member(office_a, Role.DIRECTOR, "director_a2")
    planner = _member(office_a, Role.PLAN_OFFICER, "planner_a2")
    mine = QuarterlyReportFactory(project=ProjectFactory(office=office_a, division=division), status="submitted")
    theirs = QuarterlyReportFactory(project=ProjectFactory(office=office_a, division=other_division), status="submitted")
    accepted = QuarterlyReportFactory(project=ProjectFactory(office=office_a, division=division), status="accepted")
    QuarterlyReportFactory(project=ProjectFactory(office=office_b), status="accepted")  # another office

    def awaiting(user):
        client.force_login(user)
        return {r.pk for r in client.get(reverse("home")).context["offices"][0]["awaiting"]}

    assert awaiting(head) == {mine.pk}
    assert awaiting(planner) == {mine.pk, theirs.pk}
    assert awaiting(director) == {accepted.pk}


@time_machine.travel(TODAY)
def test_a_division_head_of_two_divisions_reviews_both(client, office_a):
    first, second = DivisionFactory(office=office_a), DivisionFactory(office=office_a)
    head = _member(office_a, Role.DIVISION_HEAD, "head_two", division=first)
    MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD, division=second)
    reports = {QuarterlyReportFactory(project=ProjectFactory(office=office_a, division=d), status="submitted").pk for d in (first, second)}
    client.force_login(head)
    assert {r.pk for r in client.get(reverse("home")).context["offices"][0]["awaiting"]} == reports


@time_machine.travel(TODAY)
def test_home_query_count_does_not_grow_with_projects(client, office_a, django_assert_max_num_queries):
    owner = _member(office_a, Role.PROJECT_OWNER, "owner_q")
    MembershipFactory(user=owner, office=office_a, role=Role.PLAN_OFFICER)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(owner)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx)

    for _ in range(2):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, owner=owner), status="submitted")
    few = count()
    for _ in range(15):
        QuarterlyReportFactory(project=ProjectFactory(office=office_a, owner=owner), status="submitted")
    assert count() == few


@time_machine.travel("2026-11-20 09:00 +0700")
def test_school_account_gets_its_school_page_and_nothing_of_other_schools(client, office_a):
    school = SchoolFactory(office=office_a, name="บ้านหนองบัว", cluster="กลุ่มโรงเรียนเวียงปิ่นทอง")
    other = SchoolFactory(office=office_a, name="บ้านดอนไชย")
    Enrolment.objects.create(school=school, academic_year=2569, grade="p1", students=17)
    Enrolment.objects.create(school=other, academic_year=2569, grade="p1", students=99)
    account = _member(office_a, Role.SCHOOL, school.smis_code, school=school)
    client.force_login(account)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.templates[0].name == "emes/school_home.html"
    assert "บ้านหนองบัว" in page and "กลุ่มโรงเรียนเวียงปิ่นทอง" in page and ">17<" in page
    assert "บ้านดอนไชย" not in page and ">99<" not in page
    assert "reports/o/" not in page  # no office documents for a school account


def test_superuser_finds_any_office(client, office_a, office_b):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("home"), {"q": "9902"}).content.decode()
    assert "9902" in page and "สพป.ทดสอบ เขต 1" not in page


@time_machine.travel("2026-06-20 09:00 +0700")
def test_school_home_lists_the_open_literacy_round_with_its_deadline(client, office_a, office_b):
    import datetime as _dt
    from zoneinfo import ZoneInfo

    from literacy.models import LiteracyRound

    bkk = ZoneInfo("Asia/Bangkok")
    school = SchoolFactory(office=office_a)
    LiteracyRound.objects.create(
        office=office_a, academic_year=2569, number=1, grades=["p1", "p2", "p3"], status="open",
        opens_at=_dt.datetime(2026, 6, 1, 8, 0, tzinfo=bkk), closes_at=_dt.datetime(2026, 6, 30, 16, 30, tzinfo=bkk),
    )
    LiteracyRound.objects.create(  # another office's round: never shown
        office=office_b, academic_year=2569, number=1, grades=["p1"], status="open",
        opens_at=_dt.datetime(2026, 6, 1, 8, 0, tzinfo=bkk), closes_at=_dt.datetime(2026, 6, 30, 16, 30, tzinfo=bkk),
    )
    client.force_login(_member(office_a, Role.SCHOOL, school.smis_code, school=school))
    cards = client.get(reverse("home")).context["cards"]
    assert [(o.target.office_id, o.due_at.astimezone(bkk).date()) for o in cards[0]["obligations"]] == [(office_a.pk, _dt.date(2026, 6, 30))]


# --- the calendar and inspection forms on the home pages (issues 7 and 8) ----------------------


@time_machine.travel("2026-11-20 09:00 +0700")
def test_home_lists_the_next_30_days_of_the_calendar_by_audience(client, office_a):
    from emes.models import CalendarEvent

    def event(title, day, audience):
        CalendarEvent.objects.create(office=office_a, fiscal_year=2570, title=title, starts_on=day, ends_on=day, audience=audience)

    event("ประชุมทุกคน", dt.date(2026, 12, 1), CalendarEvent.Audience.STAFF)
    event("งานของกลุ่มงานติดตาม", dt.date(2026, 12, 2), CalendarEvent.Audience.MNE_UNIT)
    event("เลยหนึ่งเดือน", dt.date(2027, 1, 5), CalendarEvent.Audience.STAFF)
    viewer = UserFactory(username="viewer_home")
    MembershipFactory(user=viewer, office=office_a, role=Role.VIEWER)
    planner = UserFactory(username="planner_home")
    MembershipFactory(user=planner, office=office_a, role=Role.PLAN_OFFICER)

    client.force_login(viewer)
    page = client.get(reverse("home")).content.decode()
    assert "ประชุมทุกคน" in page and "งานของกลุ่มงานติดตาม" not in page and "เลยหนึ่งเดือน" not in page
    assert reverse("reminders:today", args=[office_a.area_code]) not in page
    client.force_login(planner)
    page = client.get(reverse("home")).content.decode()
    assert "งานของกลุ่มงานติดตาม" in page
    assert reverse("reminders:today", args=[office_a.area_code]) in page
    assert reverse("letters:register", args=[office_a.area_code]) in page


def test_open_inspection_forms_reach_the_school_and_the_division_head(client, office_a):
    from inspections import services

    planner = UserFactory(username="planner_forms")
    MembershipFactory(user=planner, office=office_a, role=Role.PLAN_OFFICER)
    division = DivisionFactory(office=office_a)
    head = UserFactory(username="head_forms")
    MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD, division=division)
    school, other = SchoolFactory(office=office_a), SchoolFactory(office=office_a)
    account = UserFactory(username=school.smis_code)
    MembershipFactory(user=account, office=office_a, role=Role.SCHOOL, school=school)
    other_account = UserFactory(username=other.smis_code)
    MembershipFactory(user=other_account, office=office_a, role=Role.SCHOOL, school=other)
    with time_machine.travel("2026-11-02 09:00 +0700"):
        r = services.create_round(office_a, by=planner, fiscal_year=2570, number=1, today=dt.date(2026, 11, 2), confirm=True,
                                  data={"kind": "regular", "title": "ตรวจราชการรอบที่ 1"})
        issue = services.add_issue(r, by=planner, title="การอ่านออกเขียนได้", divisions=[division])
        services.add_indicator(issue, by=planner, text="ร้อยละนักเรียนอ่านออก", unit="ร้อยละ", target="100")
        services.build_form(r, by=planner)
        dispatches = services.dispatch_forms(r, by=planner, divisions=[division], schools=[school])

    client.force_login(account)
    page = client.get(reverse("home")).content.decode()
    school_dispatch = next(d for d in dispatches if d.school_id)
    assert reverse("inspections:answer", args=[school_dispatch.pk]) in page
    client.force_login(other_account)
    page = client.get(reverse("home")).content.decode()
    assert "/inspections/my/" not in page, "a school never sees a form sent to another school"
    client.force_login(head)
    page = client.get(reverse("home")).content.decode()
    division_dispatch = next(d for d in dispatches if d.division_id)
    assert reverse("inspections:answer", args=[division_dispatch.pk]) in page
