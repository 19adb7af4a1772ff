"""Schools missing from a literacy round: the ``literacy`` obligations.

Registered in the core's registry (``emes.obligations``) by ``LiteracyConfig.ready()``. The rule
(``docs/obligations.md``; window rule of issue 6, ``literacy.window``):

- rounds whose window has opened (status open or closed, not a draft; ``opens_at`` on or before the
  day) of the current and the previous academic year of the office;
- owed by every school expected to submit (``literacy.selectors.office_schools``: the office's open
  schools) that has no *submitted* submission (none, a draft, or one reopened for correction). A
  closed round keeps its missing schools owed: the office follows them up and may reopen the window;
- due the school's deadline (``literacy.window.deadline_for``: the round's close or a later
  reopening for that school) as a date in Asia/Bangkok.

Who: the school's accounts. Reminders: notice to the school (its accounts in-app, its e-mail); first
letter, an external letter to the school (เรียน ผู้อำนวยการโรงเรียน…); second letter to its director.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.fiscal import academic_year_of
from emes.models import Grade, Membership, Office, Role, School
from emes.obligations import FIRST, NOTICE, SECOND, Obligation, school_accounts, school_recipient, school_title, working_calendars

from .models import LiteracyRound, RoundReopening, Submission

KIND = "literacy"


def literacy_submissions(*, office: Office | None, user, on: dt.date) -> list[Obligation]:
    """The ``literacy`` obligations open on ``on`` (module docstring). Six queries at most.

    ``user``: only the schools of their school accounts.
    """
    rounds = LiteracyRound.objects.filter(
        status__in=[LiteracyRound.Status.OPEN, LiteracyRound.Status.CLOSED], academic_year__gte=academic_year_of(on) - 1,
    )
    schools = School.objects.open()
    if office is not None:
        rounds = rounds.filter(office=office)
        schools = schools.filter(office=office)
    if user is not None:
        mine = Membership.objects.filter(user=user, role=Role.SCHOOL, school__isnull=False)
        rounds = rounds.filter(office_id__in=mine.values("office_id"))
        schools = schools.filter(pk__in=mine.values("school_id"))
    rounds = [
        r for r in rounds.select_related("office").order_by("office_id", "academic_year", "number")
        if timezone.localtime(r.opens_at).date() <= on
    ]
    if not rounds:
        return []
    schools = list(schools.filter(office_id__in={r.office_id for r in rounds}).order_by("smis_code"))
    if not schools:
        return []
    reopened: dict[tuple[int, int], dt.datetime] = {}
    for round_id, school_id, until in RoundReopening.objects.filter(round__in=rounds).values_list("round_id", "school_id", "until"):
        reopened[(round_id, school_id)] = max(until, reopened.get((round_id, school_id), until))
    submissions = {
        (s.round_id, s.school_id): s
        for s in Submission.objects.filter(round__in=rounds, school__in=schools).only("id", "round_id", "school_id", "status")
    }
    accounts = school_accounts(s.pk for s in schools)
    calendars = working_calendars({r.office_id for r in rounds})
    grade_labels = dict(Grade.choices)
    out = []
    for rnd in rounds:
        grades = [str(grade_labels.get(g, g)) for g in rnd.grades]
        calendar = calendars[rnd.office_id]
        for school in schools:
            if school.office_id != rnd.office_id:
                continue
            submission = submissions.get((rnd.pk, school.pk))
            if submission is not None and submission.status == Submission.Status.SUBMITTED:
                continue
            deadline = max(rnd.closes_at, reopened.get((rnd.pk, school.pk), rnd.closes_at))
            due = timezone.localtime(deadline).date()
            people = accounts.get(school.pk, [])
            out.append(Obligation(
                kind=KIND,
                key=f"{KIND}:round={rnd.pk}:school={school.pk}",
                office=rnd.office, due_on=due, due_at=deadline, opens_on=timezone.localtime(rnd.opens_at).date(),
                subject=_("Literacy assessment results, round %(number)s of academic year %(year)s") % {
                    "number": rnd.number, "year": rnd.academic_year},
                facts={
                    "round_id": rnd.pk, "round": rnd.number, "academic_year": rnd.academic_year, "grades": grades,
                    "school_code": school.smis_code, "school_name": school_title(school), "due_on": due.isoformat(),
                    "deadline": deadline.isoformat(),
                    "days_late": max(calendar.working_days_between(due, on), 0),
                },
                url=reverse("literacy:school-round", kwargs={"smis_code": school.smis_code, "round_pk": rnd.pk}),
                recipients={
                    NOTICE: (school_recipient(school, people),),
                    FIRST: (school_recipient(school, people),),
                    SECOND: (school_recipient(school, people, director=True),),
                },
                users=frozenset(u.pk for u in people), school=school, missing=tuple(grades),
                status_label=submission.get_status_display() if submission is not None else _("Not started"),
                target=rnd,
            ))
    return out
