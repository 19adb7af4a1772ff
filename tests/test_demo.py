"""``load_demo``: real Phrae 2 schools, a generated FY 2569 plan, idempotent."""
from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory
from django.core.management import call_command
from django.db.models import Sum

from demo.loader import DEMO_PASSWORD, load_demo
from emes.fiscal import Quarter, report_due_date
from emes.audit.models import AuditEvent
from emes.models import Division, Membership, Office, School
from inspections.models import FormDispatch, Recommendation
from literacy.models import LiteracyRound, Submission
from plans.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    Indicator,
    IndicatorResult,
    PlanTransition,
    Project,
    QuarterlyReport,
    ReportDisbursement,
    ReportTransition,
    Strategy,
)

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def snapshot() -> dict:
    """Counts and a checksum of the key values of everything the demo writes."""
    User = get_user_model()
    reports = QuarterlyReport.objects.order_by("project__code", "quarter")
    return {
        "counts": {m.__name__: m.objects.count() for m in (Office, Division, School, Membership, Strategy, Project, Indicator, QuarterlyReport, IndicatorResult, User)},
        "budget": Project.objects.aggregate(s=Sum("budget"))["s"],
        "disbursed": QuarterlyReport.objects.aggregate(s=Sum("budget_disbursed"))["s"],
        "actuals": IndicatorResult.objects.aggregate(s=Sum("actual"))["s"],
        "statuses": sorted(set(QuarterlyReport.objects.values_list("status", flat=True))),
        "reports": [
            (r.project.code, r.quarter, r.status, r.implementation, r.progress, r.budget_disbursed, r.submitted_at, r.outcomes, r.problems)
            for r in reports.select_related("project")
        ],
        "results": sorted(IndicatorResult.objects.values_list("report__project__code", "report__quarter", "indicator__name", "actual")),
        "indicators": sorted(Indicator.objects.values_list("project__code", "name", "unit", "baseline", "target", "direction")),
        "projects": sorted(Project.objects.values_list("code", "name", "budget", "strategy__code", "division__code", "owner__username")),
        "schools": sorted(School.objects.values_list("smis_code", "moe_code", "name", "cluster", "students_total", "is_open", "merged_into")),
        "users": sorted(User.objects.values_list("username", "password", "is_staff", "is_superuser")),
        "memberships": sorted(Membership.objects.values_list("user__username", "role", "division__code")),
        "budget_lines": sorted(BudgetLine.objects.values_list("project__code", "source", "amount", "q1", "q2", "q3", "q4")),
        "activities": sorted(Activity.objects.values_list("project__code", "order", "name", "months", "budget")),
        "plans": sorted(ActionPlan.objects.values_list("version", "status", "approved_at", "snapshot")),
        "transitions": sorted(PlanTransition.objects.values_list("from_status", "to_status", "by__username", "at")),
        "report_transitions": sorted(ReportTransition.objects.values_list("report__project__code", "report__quarter", "to_status", "by__username", "at")),
        "disbursements": sorted(ReportDisbursement.objects.values_list("report__project__code", "report__quarter", "source", "amount")),
        "audit": sorted(AuditEvent.objects.values_list("event_type", "actor__username", "target_repr", "at")),
        "literacy": sorted(Submission.objects.values_list("round__number", "school__smis_code", "status", "version", "submitted_at")),
        "literacy_rounds": sorted(LiteracyRound.objects.values_list("number", "status", "opens_at", "closes_at")),
        "inspections": list(FormDispatch.objects.order_by("pk").values_list("round__fiscal_year", "school__smis_code", "division__code", "status", "submitted_at")),
        "recommendations": sorted(Recommendation.objects.values_list("round__fiscal_year", "order", "status")),
    }


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_realistic():
    out = io.StringIO()
    first_summary = load_demo(stdout=out)
    first = snapshot()
    again = io.StringIO()
    second_summary = load_demo(stdout=again)
    second = snapshot()

    assert first == second
    assert first_summary == second_summary
    assert "5402 สพป.แพร่ เขต 2" in out.getvalue()
    assert "already loaded: nothing changed" in again.getvalue() and "already loaded" not in out.getvalue()

    office = Office.objects.get(area_code="5402")
    assert office.name == "สพป.แพร่ เขต 2" and office.letter_prefix == "ศธ 04xxx" and office.address == ""
    assert office.schools.count() == 103 == first_summary.schools
    assert not office.schools.filter(smis_code="54020000").exists()
    closed = office.schools.filter(is_open=False)
    assert closed.count() == 16 and all(s.merged_into for s in closed)
    assert School.objects.get(smis_code="54020002").students_total is None  # "-" in the source
    assert School.objects.get(smis_code="54020001").students_total == 177
    assert sorted(office.divisions.values_list("code", flat=True)) == [f"{i:02d}" for i in range(1, 11)]
    assert Strategy.objects.filter(office=None, level="obec", fiscal_year=2569).count() == 4
    assert not Strategy.objects.filter(name__contains="นะจ๊ะ").exists() and not Strategy.objects.filter(goal__contains="นะจ๊ะ").exists()
    office_strategies = Strategy.objects.filter(office=office, level="office", fiscal_year=2569)
    assert 4 <= office_strategies.count() <= 5 and all(s.parent and s.goal for s in office_strategies)

    projects = Project.objects.filter(office=office, fiscal_year=2569)
    assert 38 <= projects.count() <= 42
    for p in projects:
        assert Decimal("20000") <= p.budget <= Decimal("800000") and p.budget % 1000 == 0
        assert 1 <= p.indicators.count() <= 3
        assert p.owner and p.owner.username.startswith("owner")
        disbursed = p.reports.aggregate(s=Sum("budget_disbursed"))["s"] or Decimal("0")
        assert disbursed <= p.budget, p.code

    # Q1: on time, late and missing reports (missing = no row or a draft never submitted).
    due = report_due_date(Quarter(2569, 1))
    kinds = defaultdict(int)
    for p in projects:
        r = p.reports.filter(quarter=1).first()
        if r is None or r.submitted_at is None:
            kinds["missing"] += 1
        else:
            assert r.submitted_at.tzinfo is not None
            kinds["late" if r.submitted_at.astimezone(BANGKOK).date() > due else "on_time"] += 1
    assert kinds["on_time"] > kinds["late"] > 0 and kinds["missing"] > 0
    assert first_summary.timeliness[1] == {"on_time": kinds["on_time"], "late": kinds["late"], "missing": kinds["missing"]}
    assert {"draft", "returned", "submitted", "accepted", "approved"} <= set(first["statuses"])
    implementations = set(QuarterlyReport.objects.values_list("implementation", flat=True))
    assert {"cancelled", "postponed", "completed", "in_progress"} <= implementations
    assert QuarterlyReport.objects.filter(quarter=4, implementation="completed").count() > 20
    assert QuarterlyReport.objects.filter(quarter=1, implementation="in_progress").count() > 20

    # Indicators: some met, some not, a few never reported, some "≤".
    met = unmet = 0
    for ind in Indicator.objects.filter(project__in=projects):
        last = ind.results.order_by("-report__quarter").first()
        if last is None:
            continue
        if ind.is_met_by(last.actual):
            met += 1
        else:
            unmet += 1
    assert met > unmet > 0
    assert Indicator.objects.filter(project__in=projects, results__isnull=True).exists()
    assert Indicator.objects.filter(direction="lte", results__isnull=False).exists()

    # Users: one password, staff admin access for director and plan officer only, one superuser.
    User = get_user_model()
    assert authenticate(RequestFactory().post("/accounts/login/"), username="planner", password=DEMO_PASSWORD) is not None
    director = User.objects.get(username="director")
    assert director.is_staff and not director.is_superuser
    assert Membership.objects.get(user=director, office=office).role == "director"
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="viewer").is_staff
    assert Membership.objects.filter(office=office, role="division_head").count() >= 3
    assert 6 <= Membership.objects.filter(office=office, role="project_owner").count() <= 8
    # The approved plan v1: budget lines add up to each project's budget, quarters to each line,
    # activities to the budget; its snapshot holds the 40 projects; the history has 3 steps.
    plan = ActionPlan.objects.get(office=office, fiscal_year=2569)
    assert plan.status == "approved" and plan.version == 1 and len(plan.snapshot["projects"]) == 40
    assert [t.to_status for t in plan.transitions.all()] == ["draft", "submitted", "approved"]
    for project in Project.objects.filter(office=office).prefetch_related("budget_lines", "activities"):
        lines = list(project.budget_lines.all())
        assert sum(b.amount for b in lines) == project.budget
        assert all(b.q1 + b.q2 + b.q3 + b.q4 == b.amount for b in lines)
        assert sum(a.budget for a in project.activities.all()) == project.budget
    assert {b.source for b in BudgetLine.objects.all()} == {"obec", "area"}
    # Every demo report's disbursement by source adds up to its total; its history matches its status
    # (started as a draft by start_report, then the review workflow).
    for report in QuarterlyReport.objects.filter(project__office=office).prefetch_related("disbursements", "transitions"):
        assert sum(d.amount for d in report.disbursements.all()) == report.budget_disbursed
        steps = [t.to_status for t in report.transitions.all()]
        assert steps == {"draft": ["draft"], "submitted": ["draft", "submitted"], "returned": ["draft", "submitted", "returned"],
                         "accepted": ["draft", "submitted", "accepted"],
                         "approved": ["draft", "submitted", "accepted", "approved"]}[report.status]
    # Students per grade of 2569 through the registry's import (generated from the real totals: demo.office).
    from emes.models import Enrolment, SchoolImport

    applied = SchoolImport.objects.get(office=office, academic_year=2569)
    assert applied.status == "applied" and applied.created_at.astimezone(BANGKOK).date() == dt.date(2026, 6, 15)
    for school in office.schools.filter(is_open=True, students_total__isnull=False).exclude(lowest_grade=""):
        assert sum(school.enrolments.filter(academic_year=2569).values_list("students", flat=True)) == school.students_total, school.smis_code
    assert dict(Enrolment.objects.filter(school__smis_code="54020001").values_list("grade", "students"))["p1"] == 16
    assert not office.schools.filter(missing_since__isnull=False).exists() and not Enrolment.objects.filter(school__is_open=False).exists()
    # The demo's literacy forms enter the registry's figures (no "differs from the registry" reason needed).
    from literacy.models import GradeResult

    assert not GradeResult.objects.exclude(enrolled_reason="").exists()
    # An open literacy round for the schools (semester 2 of academic year 2569).
    assert LiteracyRound.objects.get(office=office, academic_year=2569, number=2).status == "open"
    # The school account of บ้านน้ำริน logs in with the demo password and sees its own school only.
    school_user = authenticate(RequestFactory().post("/accounts/login/"), username="54020001", password=DEMO_PASSWORD)
    assert school_user is not None and not school_user.emes_profile.must_change_password
    assert [s.smis_code for s in School.objects.visible_to(school_user)] == ["54020001"]


@pytest.mark.django_db
def test_command_prints_summary_and_users():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Schools: 103" in text and DEMO_PASSWORD in text and "director" in text and "owner01" in text
