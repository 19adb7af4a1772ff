"""The demo's FY 2569 action plan and its quarterly reports, written through the plan and monitoring services.

Story (every step at its moment, ``demo.clock.at``; the generated content is ``demo.plan_spec``):

- 1 Oct 2025 09:00: the plan officer starts the plan (``ensure_plan``: version 1, draft) and enters the
  40 projects with their budget lines, activities and indicators (content of a draft plan, as the
  plan import writes it);
- 8 Oct 2025 14:00: the plan officer submits it (``submit_plan``); 15 Oct 2025 10:30: the director
  approves it (``approve_plan``: the snapshot of the 40 projects, the plan becomes read-only);
- each quarterly report: the project owner starts it and saves what was done, the results and the
  disbursement by source (``start_report``, ``save_report``: the services' checks apply, the cumulative
  disbursement never exceeds the allocation), submits it at the generated moment (``submit_report``:
  ``submitted_at`` is the clock, so on time / late by working days comes out of the real due dates,
  ``report_due_date``); the next working day at 10:00 the plan officer accepts or returns it with a
  comment (``accept_report``, ``return_report``); two working days later at 14:00 the director approves
  it (``approve_report``). Drafts are started and saved two working days before the due date and never
  submitted; missing reports are never started.

All the steps of all reports run in the order of their moments, so the database reads like the year went.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from emes.fiscal import FiscalYear, Quarter, WorkingCalendar, report_due_date
from emes.models import Division, Office
from plans.models import Activity, ActionPlan, BudgetLine, BudgetSource, Indicator, Project, Strategy
from plans.monitoring.services import accept_report, approve_report, return_report, save_report, start_report, submit_report
from plans.services import approve_plan, ensure_plan, submit_plan
from plans.direction_services import save_direction

from .clock import BANGKOK, at, bkk
from .plan_spec import ACTIVITY_TEMPLATES, DEMO_DIRECTION, DEMO_FISCAL_YEAR, ProjectSpec, ReportSpec, build_plan, quarterly_phasing

#: The plan officer's comment on a returned demo report (generated).
RETURN_COMMENT = "กรุณาระบุผลการดำเนินงานตามตัวชี้วัดให้ครบถ้วน และแนบหลักฐานการเบิกจ่าย"


def _budget_lines(spec: ProjectSpec) -> dict[str, Decimal]:
    """Projects of 300,000 baht or more are 70 % OBEC budget and 30 % area budget; smaller ones area budget only."""
    if spec.budget >= 300_000:
        obec = (spec.budget * Decimal("0.7")).quantize(Decimal("1000"))
        return {BudgetSource.OBEC: obec, BudgetSource.AREA: spec.budget - obec}
    return {BudgetSource.AREA: spec.budget}


def _create_project(office: Office, spec: ProjectSpec, divisions: dict[str, Division], strategies: dict[str, Strategy], users: dict) -> Project:
    """One project of the draft plan with its budget lines, activities (10 / 75 / 15 % of the budget) and indicators."""
    fy = FiscalYear(DEMO_FISCAL_YEAR)
    project = Project.objects.create(
        office=office, fiscal_year=DEMO_FISCAL_YEAR, code=spec.code, name=spec.name, strategy=strategies[spec.strategy],
        division=divisions[spec.division], owner=users[spec.owner], budget=spec.budget, objectives=spec.objectives,
        start_date=fy.start, end_date=fy.end,
        rationale=f"เพื่อให้การดำเนินงานตามกลยุทธ์ที่ {spec.strategy} ของสำนักงานเขตพื้นที่การศึกษาบรรลุเป้าประสงค์ จึงจัดทำ{spec.name}",
        targets_quantity="โรงเรียนในสังกัดทุกโรงเรียนเข้าร่วมกิจกรรมตามแผน",
        targets_quality="การดำเนินงานบรรลุตามตัวชี้วัดของโครงการ",
    )
    for source, amount in _budget_lines(spec).items():
        q1, q2, q3, q4 = quarterly_phasing(amount)
        BudgetLine.objects.create(project=project, source=source, amount=amount, q1=q1, q2=q2, q3=q3, q4=q4)
    spent = Decimal("0")
    for order, (name, months, share) in enumerate(ACTIVITY_TEMPLATES, start=1):
        budget = (spec.budget * share).quantize(Decimal("1")) if order < len(ACTIVITY_TEMPLATES) else spec.budget - spent
        spent += budget
        Activity.objects.create(project=project, order=order, name=name, months=months, budget=budget)
    for ind in spec.indicators:
        Indicator.objects.create(project=project, name=ind.name, unit=ind.unit, baseline=ind.baseline, target=ind.target, direction=ind.direction)
    return project


def _disbursements(spec: ProjectSpec) -> dict[int, list[dict]]:
    """Each report's disbursement split by the project's budget lines, per quarter: ``{quarter: [{source, amount}]}``.

    Split on the cumulative total so that the sum over the quarters of a source never exceeds its
    line (baht, 2 decimals; the last line takes the remainder of each quarter).
    """
    lines = _budget_lines(spec)
    sources = sorted(lines)
    out, cumulative, given = {}, Decimal("0"), dict.fromkeys(sources, Decimal("0"))
    for r in sorted(spec.reports, key=lambda r: r.quarter):
        cumulative += r.budget_disbursed
        rows, left = [], r.budget_disbursed
        for i, source in enumerate(sources):
            if i == len(sources) - 1:
                amount = left
            else:
                amount = (cumulative * lines[source] / spec.budget).quantize(Decimal("0.01")) - given[source]
                left -= amount
            given[source] += amount
            rows.append({"source": source, "amount": amount})
        out[r.quarter] = rows
    return out


def _report_steps(project: Project, spec: ReportSpec, indicators: list[Indicator], disbursed: list[dict], users: dict,
                  cal: WorkingCalendar) -> list[tuple[dt.datetime, Callable[[], None]]]:
    """The moments and service calls of one report's story (see the module docstring)."""
    owner, planner, director = project.owner, users["planner"], users["director"]
    due = report_due_date(Quarter(DEMO_FISCAL_YEAR, spec.quarter))
    if spec.submitted_at is None:
        started = bkk(*cal.subtract_working_days(due, 2).timetuple()[:3], 11)
    else:
        started = spec.submitted_at - dt.timedelta(hours=1)
    data = {"implementation": spec.implementation, "progress": spec.progress, "outcomes": spec.outcomes,
            "problems": spec.problems, "suggestions": spec.suggestions}
    results = [{"indicator": indicators[j], "actual": actual} for j, actual in sorted(spec.results.items())]

    def start_and_save() -> None:
        report = start_report(project, spec.quarter, by=owner)
        save_report(report, by=owner, data=data, expected_version=report.version, results=results, disbursements=disbursed)

    def report():
        return project.reports.get(quarter=spec.quarter)

    steps = [(started, start_and_save)]
    if spec.submitted_at is None:
        return steps
    steps.append((spec.submitted_at, lambda: submit_report(report(), by=owner)))
    reviewed = bkk(*cal.add_working_days(spec.submitted_at.astimezone(BANGKOK).date(), 1).timetuple()[:3], 10)
    if spec.status == "returned":
        steps.append((reviewed, lambda: return_report(report(), by=planner, comment=RETURN_COMMENT)))
    elif spec.status in ("accepted", "approved"):
        steps.append((reviewed, lambda: accept_report(report(), by=planner)))
    if spec.status == "approved":
        approved = bkk(*cal.add_working_days(reviewed.date(), 2).timetuple()[:3], 14)
        steps.append((approved, lambda: approve_report(report(), by=director)))
    return steps


def load_plan(office: Office, divisions: dict[str, Division], strategies: dict[str, Strategy], users: dict, clusters: list[str]) -> ActionPlan:
    """Write the demo plan and its Q1-Q4 reports through the services (see the module docstring); returns the approved plan."""
    planner, director = users["planner"], users["director"]
    specs = build_plan(clusters)
    with at(bkk(2025, 10, 1, 9)):
        plan = ensure_plan(office, DEMO_FISCAL_YEAR, by=planner)
        # The plan's direction for the year (generated text, marked as demo data; issue 15, ส่วนที่ ๒).
        save_direction(office, DEMO_FISCAL_YEAR, by=planner, **DEMO_DIRECTION)
        projects = [(_create_project(office, spec, divisions, strategies, users), spec) for spec in specs]
    with at(bkk(2025, 10, 8, 14)):
        submit_plan(plan, by=planner, comment="เสนอแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569 เพื่อพิจารณาอนุมัติ")
    with at(bkk(2025, 10, 15, 10, 30)):
        plan = approve_plan(plan, by=director, comment="อนุมัติ")

    cal = WorkingCalendar.for_office(office)
    steps = []
    for project, spec in projects:
        indicators = list(project.indicators.order_by("id"))
        disbursed = _disbursements(spec)
        for r in spec.reports:
            steps += _report_steps(project, r, indicators, disbursed[r.quarter], users, cal)
    steps.sort(key=lambda step: step[0])  # stable: one report's steps keep their order at equal moments
    for moment, step in steps:
        with at(moment):
            step()
    return plan
