"""Quarterly reports owed by the projects of an approved plan: the ``quarterly_report`` obligations.

Registered in the core's registry (``emes.obligations``) by ``PlansConfig.ready()``. The rule (one
for the home page, the reminders and the feed; ``docs/obligations.md``):

- only the projects of the office's *approved* plan of the fiscal year are owed: the newest version
  is approved; or, while an amendment is being prepared (newest version a draft or submitted, the
  previous one superseded), the projects of the last approved version (the codes of its snapshot).
  A plan that was never approved owes nothing (its projects may still change);
- fiscal years: the current one and the previous (whose Q4 falls due in October);
- a quarter is owed from its first day (the owner may report while the quarter runs) and due
  ``plans.deadlines.report_due`` (5 working days after the quarter ends, monitoring plan of
  สพม. เขต 12, or the office's ``ReportingRule``);
- a report is owed unless it counts (``QuarterlyReport.COUNTED``: submitted, accepted, approved):
  missing (not started), a draft, or returned for revision.

Who: the project owner owes it; the heads of the project's division answer for it. Reminders:
notice and first letter to the owner (memo), or the division head(s) when the project has no owner;
second letter to the division head(s).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from emes.fiscal import DEFAULT_REPORT_DUE_WORKING_DAYS, FiscalYear, fiscal_year_of, report_due_date
from emes.models import Membership, Office, Role
from emes.obligations import FIRST, NOTICE, SECOND, Obligation, division_heads, person_recipient, working_calendars

from .deadlines import working_days_late
from .models import ActionPlan, Project, QuarterlyReport, ReportingRule

KIND = "quarterly_report"
Status = ActionPlan.Status


def approved_projects(office: Office | None, fiscal_years: Iterable[int], *, scope: Q | None = None) -> list[Project]:
    """The projects of the approved plans of ``office`` (every office when ``None``) for ``fiscal_years``.

    The plan rule of the module docstring; ``scope`` narrows the projects (e.g. to a user's). Projects
    come with ``office``, ``owner`` and ``division``, by fiscal year and code. Three queries at most.
    """
    plans = ActionPlan.objects.filter(fiscal_year__in=list(fiscal_years))
    if office is not None:
        plans = plans.filter(office=office)
    newest: dict[tuple[int, int], str] = {}
    last_approved: dict[tuple[int, int], int] = {}
    for office_id, year, version, status in plans.order_by("office_id", "fiscal_year", "-version").values_list(
        "office_id", "fiscal_year", "version", "status"
    ):
        newest.setdefault((office_id, year), status)
        if status in (Status.APPROVED, Status.SUPERSEDED):
            last_approved.setdefault((office_id, year), version)
    whole = [k for k, status in newest.items() if status == Status.APPROVED]
    amending = {k: v for k, v in last_approved.items() if newest[k] != Status.APPROVED}
    codes: dict[tuple[int, int], set[str] | None] = {}
    if amending:
        which = Q(pk__in=[])
        for (office_id, year), version in amending.items():
            which |= Q(office_id=office_id, fiscal_year=year, version=version)
        for office_id, year, projects in ActionPlan.objects.filter(which).values_list("office_id", "fiscal_year", "snapshot__projects"):
            # A version approved before snapshots held projects: its year's projects as they stand.
            codes[(office_id, year)] = {p["code"] for p in projects} if isinstance(projects, list) else None
    years = Q(pk__in=[])
    for office_id, year in whole + list(amending):
        years |= Q(office_id=office_id, fiscal_year=year)
    if not (whole or amending):
        return []
    rows = Project.objects.filter(years)
    if scope is not None:
        rows = rows.filter(scope)
    rows = rows.select_related("office", "owner", "division").order_by("fiscal_year", "code")
    out = []
    for project in rows:
        allowed = codes.get((project.office_id, project.fiscal_year))
        if allowed is None or project.code in allowed:
            out.append(project)
    return out


def quarterly_reports(*, office: Office | None, user, on: dt.date) -> list[Obligation]:
    """The ``quarterly_report`` obligations open on ``on`` (module docstring). Seven queries at most.

    ``user``: only the projects they own or whose division they head.
    """
    current = fiscal_year_of(on)
    scope = None
    if user is not None:
        headed = Membership.objects.filter(user=user, role=Role.DIVISION_HEAD, division__isnull=False).values("division_id")
        scope = Q(owner=user) | Q(division_id__in=headed)
    years = [current - 1, current]
    projects = [p for p in approved_projects(office, years, scope=scope) if FiscalYear(p.fiscal_year).start <= on]
    if not projects:
        return []
    office_ids = {p.office_id for p in projects}
    rules = {
        (o, y): d for o, y, d in ReportingRule.objects.filter(office_id__in=office_ids, fiscal_year__in=years)
        .values_list("office_id", "fiscal_year", "due_working_days")
    }
    calendars = working_calendars(office_ids)
    reports = {(r.project_id, r.quarter): r for r in QuarterlyReport.objects.filter(project__in=projects)}
    heads = division_heads(division_ids={p.division_id for p in projects})
    out = []
    for project in projects:
        calendar = calendars[project.office_id]
        days = rules.get((project.office_id, project.fiscal_year)) or DEFAULT_REPORT_DUE_WORKING_DAYS
        title = "ผู้อำนวยการ" + project.division.name
        head_recipients = tuple(person_recipient(u, salutation=title, title=title) for u in heads.get(project.division_id, []))
        # A memo is addressed to a position (ระเบียบงานสารบรรณ; issue 17): the owner's is sent to them and headed
        # เรียน ผู้อำนวยการกลุ่ม… of the project's division, the unit that answers for the project.
        owner = (person_recipient(project.owner, salutation=title),) if project.owner_id else head_recipients
        users = frozenset(u.pk for u in heads.get(project.division_id, [])) | ({project.owner_id} if project.owner_id else set())
        for quarter in FiscalYear(project.fiscal_year).quarters:
            if quarter.start > on:
                continue
            report = reports.get((project.pk, quarter.number))
            if report is not None and report.status in QuarterlyReport.COUNTED:
                continue
            due = report_due_date(quarter, working_days=days, calendar=calendar)
            label = f"{quarter.number}/{quarter.fiscal_year}"
            out.append(Obligation(
                kind=KIND,
                key=f"{KIND}:project={project.pk}:fy={quarter.fiscal_year}:q={quarter.number}",
                office=project.office, due_on=due, opens_on=quarter.start,
                subject=_("Quarterly report %(quarter)s of project %(code)s") % {"quarter": label, "code": project.code},
                facts={
                    "project_code": project.code, "project_name": project.name, "project_id": project.pk,
                    "division": project.division.name, "quarter": quarter.number, "fiscal_year": quarter.fiscal_year,
                    "quarter_label": label, "due_on": due.isoformat(), "due_working_days": days,
                    "days_late": working_days_late(due, on, calendar),
                    "owner": (project.owner.get_full_name() or project.owner.username) if project.owner_id else "",
                },
                url=reverse("plans:report", kwargs={"area_code": project.office.area_code, "pk": project.pk, "quarter": quarter.number}),
                recipients={NOTICE: owner, FIRST: owner, SECOND: head_recipients},
                users=users, division=project.division,
                status_label=report.get_status_display() if report is not None else _("Not started"),
                target=project,
            ))
    return out
