"""Open obligations of an office, from which the daily sweep decides what to remind (issue 7).

An *obligation* is something a person or a school owes the office by a due date: a project's
quarterly report, a school's literacy results. Each provider below looks at its own app and returns
the obligations of one office that are still open as of a date, with who is reminded at each stage:

- ``notice``: before the due date (in-app and e-mail, no letter);
- ``first``: the first letter once overdue (a memo to a person, an external letter to a school);
- ``second``: the second letter to the division head or the school's director.

Whether a stage is due today is decided in :mod:`reports.reminders.services` from the working days of
the office (settings ``EMES_REMINDER_*``); providers only say what is open and whom it concerns.

Adding a provider (e.g. ``inspections.obligations``, the inspection forms due back from the units)::

    from reports.reminders.obligations import Obligation, Recipient, register_provider

    @register_provider("inspection_form")
    def inspection_forms(office, today, *, horizon, calendar):
        ...  # yield Obligation(kind="inspection_form", key=f"inspection_form:dispatch={d.pk}", ...)

and import that module from the app's ``AppConfig.ready()``. ``person_recipient``, ``school_recipient``,
``school_title`` and ``division_heads`` build the recipients as the providers here do. A provider must: return only what is
still open on ``today`` with ``due_on <= horizon``; give every obligation a stable ``key`` (the
reminder's unique constraint is on it, so never put today's date or a count in it); keep ``facts``
JSON-able (ints, strings, ISO dates, lists); run a fixed number of queries whatever the rows.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.fiscal import FiscalYear, WorkingCalendar, academic_year_of, fiscal_year_of
from emes.models import Grade, Membership, Office, Role, School

MEMO = "memo"
EXTERNAL = "external"
NOTICE, FIRST, SECOND = "notice", "first", "second"
STAGES = (NOTICE, FIRST, SECOND)


@dataclass(frozen=True)
class Recipient:
    """Who is reminded at one stage.

    ``key`` is stable ("user:5", "school:40"); ``salutation`` is what follows เรียน in a letter;
    ``letter_kind`` is ``"memo"`` (บันทึกข้อความ, to a person of the office) or ``"external"``
    (หนังสือภายนอก, to a school). ``notify`` are the users told in-app (the person; a school's accounts).
    ``email`` may be empty: the letter is then printed and sent by post or by hand.
    """

    key: str
    name: str
    email: str
    salutation: str
    letter_kind: str
    user: Any = None
    school: School | None = None
    notify: tuple = ()


@dataclass(frozen=True)
class Obligation:
    """One open obligation of an office.

    ``key`` is stable across days (e.g. ``"quarterly_report:project=12:fy=2569:q=1"``); ``due_on`` is a
    date (Asia/Bangkok); ``subject`` is the short title used in letters and lists; ``facts`` (JSON-able)
    say exactly what is missing; ``url`` is the path where the recipient acts. ``recipients`` maps each
    stage to its recipients (a stage may have none: then it is not sent).
    """

    kind: str
    key: str
    office: Office
    due_on: dt.date
    subject: str
    facts: dict
    url: str
    recipients: dict[str, tuple[Recipient, ...]] = field(default_factory=dict)

    def recipients_for(self, stage: str) -> tuple[Recipient, ...]:
        return self.recipients.get(stage, ())


Provider = Callable[..., Iterable[Obligation]]
PROVIDERS: dict[str, Provider] = {}


def register_provider(kind: str) -> Callable[[Provider], Provider]:
    """Decorator: register ``fn(office, today, *, horizon, calendar)`` as the provider of ``kind``."""

    def decorate(fn: Provider) -> Provider:
        PROVIDERS[kind] = fn
        return fn

    return decorate


def open_obligations(office: Office, today: dt.date, *, horizon: dt.date, calendar: WorkingCalendar) -> list[Obligation]:
    """Every open obligation of ``office`` on ``today`` due on or before ``horizon``, from all providers."""
    out: list[Obligation] = []
    for provider in PROVIDERS.values():
        out.extend(provider(office, today, horizon=horizon, calendar=calendar))
    return out


# --- Recipients ----------------------------------------------------------------------------------


def _person(user, *, salutation: str | None = None, title: str = "") -> Recipient:
    name = user.get_full_name() or user.username
    return Recipient(
        key=f"user:{user.pk}", name=f"{name} {title}".strip(), email=user.email or "", salutation=salutation or name,
        letter_kind=MEMO, user=user, notify=(user,),
    )


def school_title(school: School) -> str:
    """The school's name as written in letters: "โรงเรียนบ้านน้ำริน" (the registry often omits โรงเรียน)."""
    return school.name if school.name.startswith("โรงเรียน") else "โรงเรียน" + school.name


def _school(school: School, accounts: list, *, director: bool = False) -> Recipient:
    title = school_title(school)
    email = school.email or next((u.email for u in accounts if u.email), "")
    return Recipient(
        key=f"school:{school.pk}", name=("ผู้อำนวยการ" + title) if director else title, email=email,
        salutation="ผู้อำนวยการ" + title, letter_kind=EXTERNAL, school=school, notify=tuple(accounts),
    )


#: Public names of the recipient helpers for providers of other apps (``inspections.obligations``).
person_recipient = _person
school_recipient = _school


# --- Quarterly reports (plans) -------------------------------------------------------------------


@register_provider("quarterly_report")
def quarterly_reports(office: Office, today: dt.date, *, horizon: dt.date, calendar: WorkingCalendar) -> Iterable[Obligation]:
    """Quarterly reports of the projects of the office's approved plan that are not in yet.

    Fiscal years: the current one and the previous (its Q4 falls due in October). A plan counts
    once a version of it has been approved (an amendment in progress keeps the approved projects
    followed). A report is open unless submitted, accepted or approved (``QuarterlyReport.COUNTED``):
    missing, a draft or returned. Due date: ``plans.deadlines.report_due``. Recipients: notice and
    first letter to the project owner (memo), or the division head(s) when the project has no
    owner; second letter to the head(s) of the project's division. Seven queries at most.
    """
    from plans.deadlines import due_working_days, report_due, working_days_late
    from plans.models import ActionPlan, Project, QuarterlyReport

    current = fiscal_year_of(today)
    years = sorted(
        set(
            ActionPlan.objects.filter(
                office=office, fiscal_year__in=[current - 1, current],
                status__in=[ActionPlan.Status.APPROVED, ActionPlan.Status.SUPERSEDED],
            ).values_list("fiscal_year", flat=True)
        )
    )
    if not years:
        return []
    days = {fy: due_working_days(office, fy) for fy in years}
    quarters = [
        (q, due) for fy in years for q in FiscalYear(fy).quarters
        if (due := report_due(office, q, calendar=calendar, working_days=days[fy])) <= horizon
    ]
    if not quarters:
        return []
    projects = list(
        Project.objects.filter(office=office, fiscal_year__in={q.fiscal_year for q, _ in quarters})
        .select_related("owner", "division").order_by("fiscal_year", "code")
    )
    counted = set(
        QuarterlyReport.objects.filter(project__in=projects, status__in=QuarterlyReport.COUNTED).values_list("project_id", "quarter")
    )
    heads = _division_heads(office)
    out = []
    for quarter, due in quarters:
        for project in projects:
            if project.fiscal_year != quarter.fiscal_year or (project.pk, quarter.number) in counted:
                continue
            head_recipients = tuple(
                _person(u, salutation="ผู้อำนวยการ" + project.division.name, title="ผู้อำนวยการ" + project.division.name)
                for u in heads.get(project.division_id, [])
            )
            owner = (_person(project.owner),) if project.owner_id else head_recipients
            label = f"{quarter.number}/{quarter.fiscal_year}"
            out.append(Obligation(
                kind="quarterly_report",
                key=f"quarterly_report:project={project.pk}:fy={quarter.fiscal_year}:q={quarter.number}",
                office=office, due_on=due,
                subject=_("Quarterly report %(quarter)s of project %(code)s") % {"quarter": label, "code": project.code},
                facts={
                    "project_code": project.code, "project_name": project.name, "project_id": project.pk,
                    "division": project.division.name, "quarter": quarter.number, "fiscal_year": quarter.fiscal_year,
                    "quarter_label": label, "due_on": due.isoformat(),
                    "days_late": working_days_late(due, today, calendar),
                    "owner": (project.owner.get_full_name() or project.owner.username) if project.owner_id else "",
                },
                url=reverse("plans:report", kwargs={"area_code": office.area_code, "pk": project.pk, "quarter": quarter.number}),
                recipients={NOTICE: owner, FIRST: owner, SECOND: head_recipients},
            ))
    return out


def _division_heads(office: Office) -> dict[int, list]:
    """``{division_id: [users]}`` of the office's division heads; one query."""
    heads: dict[int, list] = defaultdict(list)
    for m in Membership.objects.filter(office=office, role=Role.DIVISION_HEAD, user__is_active=True).select_related("user").order_by("user__pk"):
        heads[m.division_id].append(m.user)
    return heads


division_heads = _division_heads


# --- Literacy submissions ------------------------------------------------------------------------


@register_provider("literacy")
def literacy_submissions(office: Office, today: dt.date, *, horizon: dt.date, calendar: WorkingCalendar) -> Iterable[Obligation]:
    """Open schools that have not submitted the results of a round whose window has opened.

    Rounds: opened or closed (not drafts) of the current and the previous academic year. Due date:
    the school's deadline (``literacy.window.deadline_for``: the round's close or a later reopening
    for that school) as a date in Asia/Bangkok. Recipients: notice to the school's accounts (and
    its e-mail); first letter, an external letter to the school (เรียน ผู้อำนวยการโรงเรียน…); second
    letter to the school's director, same address. Five queries at most.
    """
    from literacy.models import LiteracyRound, RoundReopening, Submission
    from literacy.selectors import office_schools

    rounds = list(
        LiteracyRound.objects.filter(
            office=office, status__in=[LiteracyRound.Status.OPEN, LiteracyRound.Status.CLOSED],
            academic_year__gte=academic_year_of(today) - 1,
        ).order_by("academic_year", "number")
    )
    rounds = [r for r in rounds if timezone.localtime(r.opens_at).date() <= today]
    if not rounds:
        return []
    reopened: dict[tuple[int, int], dt.datetime] = {}
    for round_id, school_id, until in RoundReopening.objects.filter(round__in=rounds).values_list("round_id", "school_id", "until"):
        reopened[(round_id, school_id)] = max(until, reopened.get((round_id, school_id), until))
    submitted = set(
        Submission.objects.filter(round__in=rounds, status=Submission.Status.SUBMITTED).values_list("round_id", "school_id")
    )
    schools = list(office_schools(office).order_by("smis_code"))
    accounts: dict[int, list] = defaultdict(list)
    for m in Membership.objects.filter(office=office, role=Role.SCHOOL, user__is_active=True).select_related("user").order_by("user__pk"):
        accounts[m.school_id].append(m.user)
    grade_labels = dict(Grade.choices)
    out = []
    for rnd in rounds:
        grades = [str(grade_labels.get(g, g)) for g in rnd.grades]
        for school in schools:
            if (rnd.pk, school.pk) in submitted:
                continue
            deadline = max(rnd.closes_at, reopened.get((rnd.pk, school.pk), rnd.closes_at))
            due = timezone.localtime(deadline).date()
            if due > horizon:
                continue
            school_accounts = accounts.get(school.pk, [])
            out.append(Obligation(
                kind="literacy",
                key=f"literacy:round={rnd.pk}:school={school.pk}",
                office=office, due_on=due,
                subject=_("Literacy assessment results, round %(number)s of academic year %(year)s") % {
                    "number": rnd.number, "year": rnd.academic_year},
                facts={
                    "round_id": rnd.pk, "round": rnd.number, "academic_year": rnd.academic_year, "grades": grades,
                    "school_code": school.smis_code, "school_name": school_title(school), "due_on": due.isoformat(),
                    "days_late": max(calendar.working_days_between(due, today), 0),
                },
                url=reverse("literacy:school-round", kwargs={"smis_code": school.smis_code, "round_pk": rnd.pk}),
                recipients={
                    NOTICE: (_school(school, school_accounts),),
                    FIRST: (_school(school, school_accounts),),
                    SECOND: (_school(school, school_accounts, director=True),),
                },
            ))
    return out
