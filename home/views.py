"""The home page that leads each person to the work of their office or school.

An app on top of the domain apps (it reads plans' selectors and the calendar), so the core
``emes`` imports none of them (issue 14).
"""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from emes.access import REGISTRY_READER_ROLES, REPORT_BUILDER_ROLES, STAFF_ROLES, roles_in, schools_of_account
from emes.calendar.models import CalendarEvent
from emes.calendar.selectors import audiences_for
from emes.fiscal import academic_year_of, fiscal_year_of
from emes.models import Enrolment, Membership, Office, Role
from emes.obligations import open_obligations
from emes.pagecache import cached_page
from emes.text import clean_query
from plans.selectors import reports_awaiting

from .dashboard import dashboard_year, director_dashboard

#: Offices listed at most on a superuser's home page (an installation may hold all 245).
SUPERUSER_OFFICE_LIMIT = 50
#: The home page's "coming up" list: calendar events of the next this many days, at most this many.
UPCOMING_DAYS = 30
UPCOMING_LIMIT = 8


@login_required
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    """The person's work, office by office, as their roles give it; a school account gets its school's page.

    Per office: what the person owes or answers for (``emes.obligations.open_obligations`` for the
    user: quarterly reports of their projects and their divisions' projects, inspection forms of
    their division), the quarterly reports waiting for their decision (plan officer and division
    head: submitted; director: accepted), and the annual reports of the two fiscal years that have
    ended (prepared October to January, docs/annual-report.md).
    """
    user = request.user
    today = timezone.localdate()
    staff_office_ids = set(
        Membership.objects.filter(user=user, role__in=list(STAFF_ROLES)).values_list("office_id", flat=True)
    )
    schools = list(schools_of_account(user))
    if schools and not staff_office_ids and not user.is_superuser:
        return _school_home(request, schools, today)

    current_fy = fiscal_year_of(today)
    owed: dict[tuple[int, str], list] = {}
    for obligation in open_obligations(user=user, on=today):
        owed.setdefault((obligation.office.pk, obligation.kind), []).append(obligation)
    offices = []
    for office in Office.objects.filter(pk__in=staff_office_ids).order_by("area_code"):
        roles = roles_in(user, office)
        awaiting = reports_awaiting(user, office)
        upcoming = (
            CalendarEvent.objects.filter(office=office, audience__in=sorted(audiences_for(roles)))
            .active().overlapping(today, today + dt.timedelta(days=UPCOMING_DAYS))[:UPCOMING_LIMIT]
        )
        offices.append(
            {
                "office": office,
                "roles": [Role(r).label for r in sorted(roles)],
                "due": owed.get((office.pk, "quarterly_report"), []),
                "awaiting": list(awaiting[:20]),
                "awaiting_count": awaiting.count(),
                "is_director": Role.DIRECTOR in roles,
                "manages_registry": bool(roles & REGISTRY_READER_ROLES),
                "builds_reports": bool(roles & REPORT_BUILDER_ROLES),
                "upcoming": list(upcoming),
                "inspection_forms": owed.get((office.pk, "inspection_form"), []),
                "runs_reminders": bool(roles & {Role.PLAN_OFFICER, Role.DIRECTOR}),
                "reviews": bool(roles & {Role.PLAN_OFFICER, Role.DIRECTOR, Role.DIVISION_HEAD}),
                "dashboard": director_dashboard(office, dashboard_year(office, current_fy), today=today) if Role.DIRECTOR in roles else None,
            }
        )
    other_offices = []
    if user.is_superuser:
        query = clean_query(request.GET.get("q"))
        other_offices = Office.objects.exclude(pk__in=staff_office_ids)
        if query:
            other_offices = other_offices.filter(name__icontains=query) | other_offices.filter(area_code__startswith=query)
        other_offices = list(other_offices.order_by("area_code")[:SUPERUSER_OFFICE_LIMIT])
    return render(
        request,
        "emes/home.html",
        {
            "offices": offices,
            "other_offices": other_offices,
            "schools": schools,
            "today": today,
            "current_fy": current_fy,
            "fiscal_years": [current_fy - 1, current_fy - 2],
        },
    )


def _school_home(request: HttpRequest, schools, today) -> HttpResponse:
    """What a school account's school must submit and by when, and the school's registry facts.

    What the school owes (``emes.obligations.open_obligations`` for the account: literacy rounds,
    inspection forms) appears here as the apps open it; the enrolment shown is the latest academic
    year on record (the literacy denominators).
    """
    academic_year = academic_year_of(today)
    enrolments = {}
    for enrolment in Enrolment.objects.filter(school__in=schools).order_by("grade"):
        enrolments.setdefault(enrolment.school_id, {}).setdefault(enrolment.academic_year, []).append(enrolment)
    owed: dict[tuple[int, str], list] = {}
    for obligation in open_obligations(user=request.user, on=today):
        if obligation.school is not None:
            owed.setdefault((obligation.school.pk, obligation.kind), []).append(obligation)
    cards = []
    for school in schools:
        years = enrolments.get(school.pk, {})
        latest = max(years) if years else None
        cards.append({
            "school": school, "enrolment_year": latest, "enrolments": years.get(latest, []),
            "obligations": owed.get((school.pk, "literacy"), []), "inspection_forms": owed.get((school.pk, "inspection_form"), []),
        })
    return render(request, "emes/school_home.html", {"cards": cards, "today": today, "academic_year": academic_year})

