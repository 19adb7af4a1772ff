"""Reads of the plan for the people who work on it: what is due for me, what waits for my review.

Every function takes the user (and office) and returns only what the user may see; the
querysets start from ``visible_to`` (``emes.access``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from emes.access import divisions_headed_by, roles_in
from emes.fiscal import FiscalYear, Quarter, WorkingCalendar, fiscal_year_of, report_due_date
from emes.models import Office, Role

from .models import Project, QuarterlyReport


@dataclass(frozen=True)
class ReportObligation:
    """One quarterly report a project owner owes: ``report`` is None when not started.

    ``late_working_days`` counts working days after ``due_date`` up to ``today`` (0 when not late).
    Due dates: 5 working days after the quarter ends (monitoring plan, สพม. เขต 12; DESIGN.md).
    """

    project: Project
    quarter: Quarter
    report: QuarterlyReport | None
    due_date: dt.date
    late_working_days: int

    @property
    def is_late(self) -> bool:
        return self.late_working_days > 0

    @property
    def status_label(self) -> str:
        from django.utils.translation import gettext

        return self.report.get_status_display() if self.report else gettext("Not started")


def reports_due_for(user, office: Office, *, today: dt.date) -> list[ReportObligation]:
    """Quarterly reports ``user`` still owes in ``office``, oldest quarter first.

    Covers the projects the user owns in the previous and the current fiscal year, every quarter
    that has started by ``today``, whose report is missing, a draft or returned (the statuses that
    do not count, ``QuarterlyReport.COUNTED``). Three queries whatever the number of projects.
    """
    current = fiscal_year_of(today)
    projects = list(
        Project.objects.visible_to(user).owned_by(user).filter(office=office, fiscal_year__in=[current - 1, current])
        .order_by("fiscal_year", "code")
    )
    if not projects:
        return []
    reports = {
        (r.project_id, r.quarter): r
        for r in QuarterlyReport.objects.filter(project__in=projects)
    }
    calendar = WorkingCalendar.for_office(office)
    owed: list[ReportObligation] = []
    for project in projects:
        for quarter in FiscalYear(project.fiscal_year).quarters:
            if quarter.start > today:
                continue
            report = reports.get((project.pk, quarter.number))
            if report is not None and report.status in QuarterlyReport.COUNTED:
                continue
            due = report_due_date(quarter, calendar=calendar)
            late = calendar.working_days_between(due, today) if today > due else 0
            owed.append(ReportObligation(project, quarter, report, due, late))
    owed.sort(key=lambda o: (o.quarter, o.project.code))
    return owed


def reports_awaiting(user, office: Office) -> QuerySet[QuarterlyReport]:
    """Quarterly reports of ``office`` waiting for ``user``'s decision, oldest submission first.

    Workflow of DESIGN.md: a submitted report is reviewed (accepted or returned) by the plan
    officer or, for the projects of their division, the division head; an accepted report waits
    for the director's approval. Empty for the other roles.
    """
    roles = roles_in(user, office)
    base = QuarterlyReport.objects.visible_to(user).filter(project__office=office).select_related(
        "project", "project__division", "project__owner"
    ).order_by("submitted_at", "pk")
    wanted = QuarterlyReport.objects.none()
    if Role.DIRECTOR in roles:
        wanted = base.filter(status=QuarterlyReport.Status.ACCEPTED)
    if Role.PLAN_OFFICER in roles:
        wanted = wanted | base.filter(status=QuarterlyReport.Status.SUBMITTED)
    elif Role.DIVISION_HEAD in roles:
        divisions = divisions_headed_by(user, office)
        wanted = wanted | base.filter(status=QuarterlyReport.Status.SUBMITTED, project__division_id__in=divisions)
    return wanted
