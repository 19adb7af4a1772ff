"""The demo is a story told through the real services: who acted, when the demo's clock said, in which state it ends.

Issue 14 ("the demo drives the real services under frozen time") and issue 17 ("literacy round 1 of 2569
complete, round 2 partly submitted"). One load for the module's one test: the load is the expensive part.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from demo.clock import BANGKOK, DEMO_NOW, bkk
from demo.loader import load_demo
from emes.audit.models import AuditEvent
from emes.fiscal import Quarter, WorkingCalendar, report_due_date
from emes.models import Office, Role, School
from inspections.models import FormDispatch, InspectionRound, Recommendation, RecommendationTransition, RoundTransition
from literacy.models import LiteracyRound, LiteracyRoundTransition, RoundReopening, Submission, SubmissionChange
from literacy.summary import round_summary
from literacy.window import deadline_for
from plans.models import PlanTransition, Project, QuarterlyReport, ReportTransition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(BANGKOK)


def test_the_demo_is_told_through_the_services_by_the_people_who_act_at_the_clocks_moments():
    load_demo()
    User = get_user_model()
    office = Office.objects.get(area_code="5402")
    users = {u.username: u for u in User.objects.all()}
    planner, director = users["planner"], users["director"]

    # Role grants: audit events with the acting user and the moment (admin makes the plan officer, who grants the rest).
    grants = AuditEvent.objects.filter(office=office, event_type=AuditEvent.Type.ROLE_GRANTED)
    first = grants.order_by("at", "id").first()
    assert (first.actor, first.target_id, local(first.at)) == (users["admin"], str(planner.pk), bkk(2025, 9, 1, 9))
    assert {e.actor.username for e in grants} == {"admin", "planner"}
    assert grants.filter(actor=users["admin"]).count() == 1
    assert grants.count() >= 14  # planner + director + viewer + 4 heads + 8 owners, then the school accounts' own grants

    # The plan: started, submitted and approved by the right people at the story's moments; approved_at is the clock's.
    plan_steps = [(t.to_status, t.by.username, local(t.at)) for t in PlanTransition.objects.filter(plan__office=office).order_by("at")]
    assert plan_steps == [("draft", "planner", bkk(2025, 10, 1, 9)), ("submitted", "planner", bkk(2025, 10, 8, 14)),
                          ("approved", "director", bkk(2025, 10, 15, 10, 30))]
    assert local(office.action_plans.get(fiscal_year=2569).approved_at) == bkk(2025, 10, 15, 10, 30)

    # Quarterly reports: submitted by the owner at submitted_at; reviewed the next working day at 10:00 by the
    # plan officer; approved two working days later at 14:00 by the director. Lateness follows the real due dates.
    cal = WorkingCalendar.for_office(office)
    late = {q: 0 for q in (1, 2, 3, 4)}
    for report in QuarterlyReport.objects.filter(project__office=office).select_related("project__owner"):
        steps = {t.to_status: t for t in ReportTransition.objects.filter(report=report)}
        assert steps["draft"].by == report.project.owner
        if report.submitted_at is None:
            assert report.status == "draft"
            continue
        assert steps["submitted"].by == report.project.owner and steps["submitted"].at == report.submitted_at
        submitted_day = local(report.submitted_at).date()
        reviewed = bkk(*cal.add_working_days(submitted_day, 1).timetuple()[:3], 10)
        for status in ("accepted", "returned"):
            if status in steps:
                assert (steps[status].by, local(steps[status].at)) == (planner, reviewed)
        if "approved" in steps:
            assert (steps["approved"].by, local(steps["approved"].at)) == (director, bkk(*cal.add_working_days(reviewed.date(), 2).timetuple()[:3], 14))
        if submitted_day > report_due_date(Quarter(2569, report.quarter)):
            late[report.quarter] += 1
    assert all(n > 0 for n in late.values()), late
    assert ReportTransition.objects.filter(to_status="returned", comment__gt="").exists()

    # Literacy round 1 of 2569: created, opened and closed by the plan officer; every school that teaches P.1-3
    # submitted inside the window through its own account. Round 2: open, about two schools in three submitted.
    round1 = LiteracyRound.objects.get(office=office, academic_year=2569, number=1)
    round2 = LiteracyRound.objects.get(office=office, academic_year=2569, number=2)
    moves = LiteracyRoundTransition.objects.filter(round=round1).exclude(from_status=F("to_status")).order_by("at")
    assert [(t.to_status, t.by, local(t.at)) for t in moves] == [
        ("draft", planner, bkk(2026, 8, 17, 10)), ("open", planner, bkk(2026, 9, 1, 8, 30)), ("closed", planner, bkk(2026, 10, 1, 9))]
    assert round1.status == "closed" and round2.status == "open"
    assert local(round2.closes_at) == bkk(2027, 2, 26, 16, 30)
    open_schools = School.objects.filter(office=office).open().count()
    subs1 = Submission.objects.filter(round=round1).select_related("school", "updated_by")
    assert subs1.count() == open_schools and all(s.status == "submitted" for s in subs1)
    for s in subs1:
        assert round1.opens_at <= s.submitted_at <= deadline_for(round1, s.school)  # the window, or the school's reopening
        assert s.updated_by.username == s.school.smis_code  # the school's own account
    reopening = RoundReopening.objects.get(round=round1)  # one school missed the window: reopened for it alone, with the reason
    assert (reopening.by, local(reopening.at), reopening.reason != "") == (planner, bkk(2026, 10, 1, 10), True)
    assert round1.closes_at < subs1.get(school=reopening.school).submitted_at < reopening.until
    assert SubmissionChange.objects.filter(submission__round=round1, action="saved").exists()  # some saved a draft first
    assert set(SubmissionChange.objects.filter(submission__round=round1).values_list("by__memberships__role", flat=True)) == {Role.SCHOOL}
    submitted2 = Submission.objects.filter(round=round2, status="submitted").count()
    assert 0.60 <= submitted2 / open_schools <= 0.70, (submitted2, open_schools)
    assert Submission.objects.filter(round=round2, status="draft").exists()
    assert not Submission.objects.filter(round=round2, school__smis_code="54020001").exists()  # the demo school can still submit

    # The summaries show real-looking figures: shares near the real OBEC table, round 2 better than round 1, flagged schools.
    summary1, summary2 = round_summary(round1), round_summary(round2)
    assert summary1.submitted == summary1.expected == open_schools
    total1, total2 = summary1.office_total.all_grades, summary2.office_total.all_grades
    assert total1.assessed > 1000
    words1 = total1.skills["writing_words"].improve_pct
    assert Decimal(15) < words1 < Decimal(40)  # the real OBEC table: 25.60 % at ปรับปรุง in writing words
    assert total2.skills["writing_words"].improve_pct < words1
    assert 0 < len(summary1.flagged) < open_schools // 2
    assert summary1.comparison_round == round2 and any(row.comparison for row in summary1.schools)

    # Inspections: dispatched and closed by the plan officer, answered by the units' own accounts, recommendations followed up.
    r1 = InspectionRound.objects.get(office=office, fiscal_year=2569, number=1)
    assert r1.status == "closed" and local(r1.closed_at) == bkk(2026, 3, 20, 10)
    assert [t.to_status for t in RoundTransition.objects.filter(round=r1).order_by("at", "id") if t.from_status != t.to_status] == ["draft", "open", "closed"]
    assert r1.accepted_warnings and r1.warnings_accepted_by == planner  # units told 5 working days before the visit
    for d in FormDispatch.objects.filter(round=r1, status="submitted").select_related("school", "division", "submitted_by"):
        if d.school_id:
            assert d.submitted_by.username == d.school.smis_code
        else:
            assert d.submitted_by.memberships.filter(role=Role.DIVISION_HEAD, division=d.division).exists()
    assert FormDispatch.objects.filter(round=r1, division__code="03", status="not_started").exists()
    assert dict(Recommendation.objects.filter(round=r1).values_list("order", "status")) == {1: "closed", 2: "carried", 3: "carried"}
    closed = RecommendationTransition.objects.get(recommendation__round=r1, to_status="closed")
    assert (closed.by, local(closed.at)) == (planner, bkk(2026, 7, 10, 10))
    r2 = InspectionRound.objects.get(office=office, fiscal_year=2570, number=1)
    assert r2.status == "open" and r2.recommendations.count() == 2 and r2.issues.filter(copied_from__round=r1).count() == 3

    # Nothing in the story happens after the demo's today.
    for model in (PlanTransition, ReportTransition, LiteracyRoundTransition, RoundTransition, RecommendationTransition, AuditEvent):
        latest = model.objects.order_by("-at").first()
        assert latest.at <= DEMO_NOW, model
    assert Project.objects.filter(office=office).count() == 40
