"""One rule of what is owed (issue 14): the home pages, the reminder sweep and the feed list exactly
``emes.obligations.open_obligations()``.

The world, on Tuesday 20 January 2026 (FY 2569 Q2 has begun; Q1's reports were due Friday 9 January):

- office A's plan of FY 2569 is approved: P1 (no report), P2 (Q1 returned for revision), P3 (Q1 submitted),
  all owned by ``owner`` in division D headed by ``head``;
- the plan of FY 2568 is still a draft: its project P0 (also ``owner``'s) owes nothing;
- literacy round 1 of academic year 2568 is open (5-30 January 2026): school S1 submitted, S2 did not;
- inspection round 1/2569 sent its form on 5 January 2026 to S2 and division D (due 16 February): unanswered.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emes.calendar.selectors import feed_items, obligation_item
from emes.models import Role
from emes.obligations import open_obligations
from inspections import services as inspections
from literacy.models import LiteracyRound, Submission
from plans.models import ActionPlan, QuarterlyReport
from reports.models import Reminder
from reports.reminders.services import sweep
from tests.factories import (
    ActionPlanFactory,
    DivisionFactory,
    MembershipFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    UserFactory,
)
from tests.inspections.conftest import SCHEDULE

pytestmark = pytest.mark.django_db

BKK = ZoneInfo("Asia/Bangkok")
TODAY = dt.date(2026, 1, 20)


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=BKK), tick=False)


def member(office, role, username, **extra):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role, **extra)
    return user


@pytest.fixture
def world(office_a, office_b, planner_a):
    from types import SimpleNamespace

    division = DivisionFactory(office=office_a, code="05", name="กลุ่มส่งเสริมการจัดการศึกษา")
    owner = member(office_a, Role.PROJECT_OWNER, "owner_w")
    head = member(office_a, Role.DIVISION_HEAD, "head_w", division=division)
    ActionPlanFactory(office=office_a, fiscal_year=2569, status=ActionPlan.Status.APPROVED)
    ActionPlanFactory(office=office_a, fiscal_year=2568, status=ActionPlan.Status.DRAFT)
    p0 = ProjectFactory(office=office_a, fiscal_year=2568, code="68-001", owner=owner, division=division)
    p1, p2, p3 = (ProjectFactory(office=office_a, fiscal_year=2569, code=f"69-00{i}", owner=owner, division=division) for i in (1, 2, 3))
    QuarterlyReportFactory(project=p2, quarter=1, status=QuarterlyReport.Status.RETURNED)
    QuarterlyReportFactory(project=p3, quarter=1, status=QuarterlyReport.Status.SUBMITTED)
    # Another office's approved plan and project: never anyone's here.
    ActionPlanFactory(office=office_b, fiscal_year=2569, status=ActionPlan.Status.APPROVED)
    ProjectFactory(office=office_b, fiscal_year=2569, code="69-900")

    s1 = SchoolFactory(office=office_a, smis_code="99010001", name="โรงเรียนบ้านหนึ่ง")
    s2 = SchoolFactory(office=office_a, smis_code="99010002", name="โรงเรียนบ้านสอง")
    a1 = member(office_a, Role.SCHOOL, "99010001", school=s1)
    a2 = member(office_a, Role.SCHOOL, "99010002", school=s2)
    literacy = LiteracyRound.objects.create(
        office=office_a, academic_year=2568, number=1, grades=["p1"], status=LiteracyRound.Status.OPEN,
        opens_at=dt.datetime(2026, 1, 5, 8, 0, tzinfo=BKK), closes_at=dt.datetime(2026, 1, 30, 16, 30, tzinfo=BKK),
    )
    Submission.objects.create(round=literacy, school=s1, status=Submission.Status.SUBMITTED)

    rnd = inspections.create_round(office_a, by=planner_a, fiscal_year=2569, number=1, data=SCHEDULE, today=dt.date(2025, 11, 1))
    issue = inspections.add_issue(rnd, by=planner_a, code="1", title="การอ่านออกเขียนได้", divisions=[division])
    inspections.add_indicator(issue, by=planner_a, text="ร้อยละนักเรียนอ่านออก", unit="ร้อยละ", target="100")
    inspections.build_form(rnd, by=planner_a)
    with at(dt.date(2026, 1, 5)):
        dispatches = inspections.dispatch_forms(rnd, by=planner_a, divisions=[division], schools=[s2])
    return SimpleNamespace(
        office=office_a, division=division, owner=owner, head=head, planner=planner_a, projects=(p0, p1, p2, p3),
        schools=(s1, s2), accounts=(a1, a2), literacy=literacy,
        dispatch={("school" if d.school_id else "division"): d for d in dispatches},
    )


def expected_keys(w) -> set[str]:
    _p0, p1, p2, p3 = w.projects
    report = "quarterly_report:project={}:fy=2569:q={}"
    return {
        report.format(p1.pk, 1), report.format(p1.pk, 2), report.format(p2.pk, 1), report.format(p2.pk, 2), report.format(p3.pk, 2),
        f"literacy:round={w.literacy.pk}:school={w.schools[1].pk}",
        f"inspection_form:dispatch={w.dispatch['school'].pk}", f"inspection_form:dispatch={w.dispatch['division'].pk}",
    }


def keys(obligations) -> set[str]:
    return {o.key for o in obligations}


def test_the_rule_what_is_owed_in_the_world(world):
    owed = open_obligations(world.office, on=TODAY)
    assert keys(owed) == expected_keys(world)
    assert len(owed) == len(keys(owed))
    by_key = {o.key: o for o in owed}
    p1q1 = by_key[f"quarterly_report:project={world.projects[1].pk}:fy=2569:q=1"]
    assert p1q1.due_on == dt.date(2026, 1, 9) and p1q1.days_late == 7 and p1q1.status_label == "ยังไม่เริ่ม"
    assert by_key[f"quarterly_report:project={world.projects[2].pk}:fy=2569:q=1"].status_label == "ส่งกลับแก้ไข"
    assert by_key[f"literacy:round={world.literacy.pk}:school={world.schools[1].pk}"].due_on == dt.date(2026, 1, 30)
    assert by_key[f"inspection_form:dispatch={world.dispatch['school'].pk}"].due_on == dt.date(2026, 2, 16)
    # Filters: by kind, by user; nothing of office A is owed to office B.
    assert {o.kind for o in open_obligations(world.office, on=TODAY, kinds=["literacy"])} == {"literacy"}
    assert open_obligations(world.office, on=TODAY, kinds=["unknown"]) == []
    assert keys(open_obligations(world.office, user=world.accounts[0], on=TODAY)) == set()  # S1 submitted
    everywhere = open_obligations(on=TODAY)
    assert keys(o for o in everywhere if o.office == world.office) == expected_keys(world)
    assert {o.facts["project_code"] for o in everywhere if o.office != world.office} == {"69-900"}


def _home_keys(client, user) -> set[str]:
    client.force_login(user)
    with at(TODAY):
        context = client.get(reverse("home")).context
    if "cards" in context:
        return {o.key for card in context["cards"] for o in (*card["obligations"], *card["inspection_forms"])}
    return {o.key for item in context["offices"] for o in (*item["due"], *item["inspection_forms"])}


def _feed_uids(user) -> set[str]:
    return {i.uid for i in feed_items(user, TODAY) if not i.uid.startswith("emes-event-")}


def test_home_pages_sweep_and_feed_list_the_same_obligations(client, world):
    stamp = dt.datetime(2026, 1, 20, tzinfo=dt.timezone.utc)
    for user in (world.owner, world.head, world.planner, *world.accounts):
        mine = open_obligations(user=user, on=TODAY)
        assert _home_keys(client, user) == keys(mine), user.username
        assert _feed_uids(user) == {obligation_item(o, stamp=stamp).uid for o in mine}, user.username
    # The owner owes the five reports, the head answers for them and the division's form, S2 owes two things.
    reports = {k for k in expected_keys(world) if k.startswith("quarterly_report")}
    assert keys(open_obligations(user=world.owner, on=TODAY)) == reports
    assert keys(open_obligations(user=world.head, on=TODAY)) == reports | {f"inspection_form:dispatch={world.dispatch['division'].pk}"}
    assert keys(open_obligations(user=world.accounts[1], on=TODAY)) == {
        f"literacy:round={world.literacy.pk}:school={world.schools[1].pk}", f"inspection_form:dispatch={world.dispatch['school'].pk}",
    }

    # The sweep reminds from the same list: on this day, the two Q1 reports overdue since 9 January.
    from reports.reminders.services import _plan

    assert keys(_plan(world.office, TODAY)[0]) == expected_keys(world)
    with at(TODAY):
        sweep(TODAY, office=world.office, trigger="manual")
    _p0, p1, p2, _p3 = world.projects
    reminded = set(Reminder.objects.values_list("obligation_key", flat=True))
    assert reminded == {f"quarterly_report:project={p1.pk}:fy=2569:q=1", f"quarterly_report:project={p2.pk}:fy=2569:q=1"}


def test_a_draft_plans_projects_are_not_owed_on_the_home_page(client, world):
    """The bug of issue 14: the home page listed the projects of a plan never approved, which were never reminded."""
    client.force_login(world.owner)
    with at(TODAY):
        response = client.get(reverse("home"))
    due = response.context["offices"][0]["due"]
    assert world.projects[0].pk not in {o.target.pk for o in due}
    assert "68-001" not in response.content.decode()


def test_an_amendment_in_progress_keeps_only_the_approved_projects_owed(world):
    plan = ActionPlan.objects.get(office=world.office, fiscal_year=2569)
    plan.snapshot = {"projects": [{"code": p.code} for p in world.projects[1:]]}
    plan.status = ActionPlan.Status.SUPERSEDED
    plan.save()
    ActionPlanFactory(office=world.office, fiscal_year=2569, version=2, status=ActionPlan.Status.DRAFT)
    added = ProjectFactory(office=world.office, fiscal_year=2569, code="69-004", owner=world.owner, division=world.division)
    owed = keys(open_obligations(world.office, on=TODAY, kinds=["quarterly_report"]))
    assert owed == {k for k in expected_keys(world) if k.startswith("quarterly_report")}
    assert not any(f"project={added.pk}:" in k for k in owed)


def test_the_home_page_costs_the_same_whatever_the_number_of_projects(client, world, django_assert_num_queries):
    client.force_login(world.owner)

    def count() -> int:
        with at(TODAY), CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx)

    few = count()
    for i in range(12):
        project = ProjectFactory(office=world.office, fiscal_year=2569, code=f"69-1{i:02d}", owner=world.owner, division=world.division)
        if i % 3 == 0:
            QuarterlyReportFactory(project=project, quarter=1, status=QuarterlyReport.Status.RETURNED)
    with at(TODAY), django_assert_num_queries(few):
        response = client.get(reverse("home"))
    assert len(response.context["offices"][0]["due"]) == 5 + 12 * 2
