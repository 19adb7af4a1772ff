"""The standards of the seed manual for an inspection round, each evaluated to met / at risk / missed.

Source: the M&E unit's seed manual (Inspection manual, standards ๖.๑–๖.๘; docs/inspections.md), issue 8:

1. the inspection plan reaches the inspected units at least 1 week (7 calendar days) before the
   coordination meeting;
2. the plan and the coordination meeting fall within Q1 of the fiscal year (Oct-Dec);
3. units are told of a visit at least 7 working days before it;
4. the inspection tools (forms) reach 100 % of the units at least 10 working days before the visit;
5. the forms come back within 30 working days of dispatch from at least 80 % of the units;
6. the summary meeting falls within Q4 (Jul-Sep).

"N working days before the visit" reads like the due dates of EMES ("5 working days after the
quarter"): a step on day D is in time when ``add_working_days(D, N) <= visit`` — so the latest day
is the N-th working day before the visit (``WorkingCalendar.subtract_working_days``). Working days are the office's
(``WorkingCalendar.for_office``: weekends, Thai public holidays with substitution days, office days).

Verdicts: *met*; *missed* — the rule is broken by a date that has passed, or a deadline passed with
the step not done; *at risk* — a planned (future) date breaks the rule, or the step is not done and its
deadline is near (``AT_RISK_DAYS`` calendar days, or ``AT_RISK_WORKING_DAYS``); *not yet* — nothing
to judge yet (dates not set, deadline far, or a special round for the yearly Q1/Q4 standards).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from math import ceil

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from emes.stats import percentage
from emes.fiscal import FiscalYear, WorkingCalendar
from emes.thai import be_date, percent
from emes.models import OfficeHoliday

from .models import FormDispatch

#: Calendar days between the plan reaching the units and the coordination meeting (standard 1).
PLAN_DAYS_BEFORE_MEETING = 7
#: Working days of notice of a visit (standard 3).
NOTICE_WORKING_DAYS = 7
#: Working days before the visit by which the forms reach every unit (standard 4).
TOOLS_WORKING_DAYS = 10
#: Working days after dispatch within which answers count as back (standard 5); also the default due date.
ANSWERS_WORKING_DAYS = 30
#: Share of the units whose answers must be back in time (standard 5), percent.
ANSWERS_MIN_PCT = Decimal("80")
#: Forms delivered to this share of units (standard 4), percent.
TOOLS_MIN_PCT = Decimal("100")
#: How near an undone step's deadline must be to show "at risk".
AT_RISK_DAYS = 14
AT_RISK_WORKING_DAYS = 5


class Verdict(models.TextChoices):
    MET = "met", gettext_lazy("Met")
    AT_RISK = "at_risk", gettext_lazy("At risk")
    MISSED = "missed", gettext_lazy("Missed")
    NOT_YET = "not_yet", gettext_lazy("Not yet applicable")


#: The standards in the seed manual's order: code → title (msgid).
STANDARDS: dict[str, str] = {
    "plan_before_meeting": gettext_lazy("Plan sent to units at least 1 week before the coordination meeting"),
    "plan_meeting_in_q1": gettext_lazy("Plan and coordination meeting within Q1"),
    "units_notified": gettext_lazy("Units told of the visit at least 7 working days before it"),
    "forms_delivered": gettext_lazy("Forms delivered to every unit (100 percent) at least 10 working days before the visit"),
    "answers_returned": gettext_lazy("Answers back within 30 working days of dispatch from at least 80 percent of units"),
    "summary_in_q4": gettext_lazy("Summary meeting within Q4"),
}
#: Standards decided by the schedule's dates alone (warned about before a schedule is saved).
SCHEDULE_CODES = ("plan_before_meeting", "plan_meeting_in_q1", "units_notified", "forms_delivered", "summary_in_q4")


@dataclass
class StandardCheck:
    """One standard's verdict, with the dates behind it (names → date or None) and a Thai sentence saying why."""

    code: str
    verdict: str
    detail: str
    dates: dict[str, dt.date | None] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(STANDARDS[self.code])

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def is_problem(self) -> bool:
        return self.verdict in (Verdict.AT_RISK, Verdict.MISSED)


@dataclass(frozen=True)
class DispatchFacts:
    """What the standards need of one dispatch: when it was sent and when it was submitted (local dates)."""

    sent_on: dt.date
    submitted_on: dt.date | None


@dataclass(frozen=True)
class ResponseRate:
    """Standard 5 in figures. ``on_time``: submitted within 30 working days of dispatch; ``rate_pct`` = on_time / dispatched
    × 100, half up to 2 decimals (``None`` with no dispatch); ``met``: rate ≥ 80; ``achievable``: still reachable
    counting the units whose 30 working days have not run out."""

    dispatched: int
    submitted: int
    on_time: int
    late: int
    pending: int
    pending_in_window: int
    rate_pct: Decimal | None
    met: bool
    achievable: bool
    min_pct: Decimal = ANSWERS_MIN_PCT

    @property
    def needed(self) -> int:
        """Units that must be back in time for 80 % (ceil)."""
        return ceil(self.dispatched * self.min_pct / 100)


def response_rate(facts: list[DispatchFacts], *, calendar: WorkingCalendar, today: dt.date) -> ResponseRate:
    """Standard 5's figures for the dispatches ``facts`` (see :class:`ResponseRate`)."""
    on_time = late = pending = pending_in_window = 0
    for f in facts:
        window_end = calendar.add_working_days(f.sent_on, ANSWERS_WORKING_DAYS)
        if f.submitted_on is None:
            pending += 1
            if today <= window_end:
                pending_in_window += 1
        elif f.submitted_on <= window_end:
            on_time += 1
        else:
            late += 1
    n = len(facts)
    rate = percentage(on_time, n)
    met = rate is not None and rate >= ANSWERS_MIN_PCT
    best = percentage(on_time + pending_in_window, n)
    return ResponseRate(
        dispatched=n, submitted=on_time + late, on_time=on_time, late=late, pending=pending,
        pending_in_window=pending_in_window, rate_pct=rate, met=met, achievable=best is not None and best >= ANSWERS_MIN_PCT,
    )


def _dated(verdict_if_broken_past: str, day: dt.date, today: dt.date) -> str:
    """A date that breaks a rule: missed once it has passed, at risk while it is only planned."""
    return verdict_if_broken_past if day <= today else Verdict.AT_RISK


def _undone(deadline: dt.date, today: dt.date, *, near: dt.date) -> str:
    """A step not done by ``deadline``: missed after it, at risk from ``near`` on, else not yet."""
    if today > deadline:
        return Verdict.MISSED
    if today >= near:
        return Verdict.AT_RISK
    return Verdict.NOT_YET


def evaluate(
    *,
    fiscal_year: int,
    number: int,
    plan_sent_on: dt.date | None,
    coordination_meeting_on: dt.date | None,
    units_notified_on: dt.date | None,
    visit_starts_on: dt.date | None,
    summary_meeting_on: dt.date | None,
    dispatches: list[DispatchFacts],
    calendar: WorkingCalendar,
    today: dt.date,
) -> list[StandardCheck]:
    """The six standards for a schedule and its dispatches (pure; see the module docstring for the rules).

    Standards 1, 2 and 6 are yearly (the inspection plan and the summary of the year): they are judged
    for the regular rounds (1, 2) and "not yet applicable" for special rounds (3+).
    """
    fy = FiscalYear(fiscal_year)
    q1, q4 = fy.quarter(1), fy.quarter(4)
    regular = number in (1, 2)
    checks: list[StandardCheck] = []

    # 1. Plan at least 7 calendar days before the coordination meeting.
    if not regular:
        checks.append(StandardCheck("plan_before_meeting", Verdict.NOT_YET, _("A special round has no yearly plan of its own.")))
    elif coordination_meeting_on is None:
        checks.append(StandardCheck("plan_before_meeting", Verdict.NOT_YET, _("The coordination meeting is not scheduled yet."),
                                    {"plan_sent_on": plan_sent_on}))
    else:
        latest = coordination_meeting_on - dt.timedelta(days=PLAN_DAYS_BEFORE_MEETING)
        dates = {"plan_sent_on": plan_sent_on, "coordination_meeting_on": coordination_meeting_on, "latest": latest}
        names = {"meeting": be_date(coordination_meeting_on), "latest": be_date(latest), "sent": be_date(plan_sent_on)}
        if plan_sent_on is None:
            verdict = _undone(latest, today, near=latest - dt.timedelta(days=AT_RISK_DAYS))
            checks.append(StandardCheck("plan_before_meeting", verdict,
                                        _("Meeting on %(meeting)s: the plan must reach the units by %(latest)s; not sent yet.") % names, dates))
        elif plan_sent_on <= latest:
            checks.append(StandardCheck("plan_before_meeting", Verdict.MET,
                                        _("Plan sent on %(sent)s, meeting on %(meeting)s (latest %(latest)s).") % names, dates))
        else:
            checks.append(StandardCheck("plan_before_meeting", _dated(Verdict.MISSED, plan_sent_on, today),
                                        _("Plan sent on %(sent)s, after %(latest)s, less than a week before the meeting on %(meeting)s.") % names, dates))

    # 2. Plan and meeting within Q1.
    q1_names = {"start": be_date(q1.start), "end": be_date(q1.end)}
    if not regular:
        checks.append(StandardCheck("plan_meeting_in_q1", Verdict.NOT_YET, _("A special round has no yearly plan of its own.")))
    else:
        dates = {"plan_sent_on": plan_sent_on, "coordination_meeting_on": coordination_meeting_on, "q1_start": q1.start, "q1_end": q1.end}
        set_days = [d for d in (plan_sent_on, coordination_meeting_on) if d is not None]
        outside = [d for d in set_days if not q1.contains(d)]
        if outside:
            checks.append(StandardCheck("plan_meeting_in_q1", _dated(Verdict.MISSED, min(outside), today),
                                        _("%(day)s is outside Q1 (%(start)s to %(end)s).") % {**q1_names, "day": be_date(outside[0])}, dates))
        elif len(set_days) == 2:
            checks.append(StandardCheck("plan_meeting_in_q1", Verdict.MET,
                                        _("Plan and meeting within Q1 (%(start)s to %(end)s).") % q1_names, dates))
        else:
            verdict = _undone(q1.end, today, near=q1.end - dt.timedelta(days=AT_RISK_DAYS))
            checks.append(StandardCheck("plan_meeting_in_q1", verdict,
                                        _("The plan and the meeting must both fall within Q1 (%(start)s to %(end)s); not both scheduled yet.") % q1_names, dates))

    # 3. Units told at least 7 working days before the visit.
    if visit_starts_on is None:
        checks.append(StandardCheck("units_notified", Verdict.NOT_YET, _("The visit is not scheduled yet."), {"units_notified_on": units_notified_on}))
    else:
        latest = calendar.subtract_working_days(visit_starts_on, NOTICE_WORKING_DAYS)
        dates = {"units_notified_on": units_notified_on, "visit_starts_on": visit_starts_on, "latest": latest}
        names = {"visit": be_date(visit_starts_on), "latest": be_date(latest), "told": be_date(units_notified_on), "n": NOTICE_WORKING_DAYS}
        if units_notified_on is None:
            verdict = _undone(latest, today, near=calendar.subtract_working_days(latest, AT_RISK_WORKING_DAYS))
            checks.append(StandardCheck("units_notified", verdict,
                                        _("Visit on %(visit)s: units must be told by %(latest)s (%(n)s working days before); not told yet.") % names, dates))
        elif calendar.add_working_days(units_notified_on, NOTICE_WORKING_DAYS) <= visit_starts_on:
            checks.append(StandardCheck("units_notified", Verdict.MET,
                                        _("Units told on %(told)s, visit on %(visit)s (latest %(latest)s).") % names, dates))
        else:
            checks.append(StandardCheck("units_notified", _dated(Verdict.MISSED, units_notified_on, today),
                                        _("Units told on %(told)s, after %(latest)s: fewer than %(n)s working days before the visit on %(visit)s.") % names, dates))

    # 4. Forms to 100 % of units at least 10 working days before the visit.
    if visit_starts_on is None:
        checks.append(StandardCheck("forms_delivered", Verdict.NOT_YET, _("The visit is not scheduled yet.")))
    else:
        latest = calendar.subtract_working_days(visit_starts_on, TOOLS_WORKING_DAYS)
        in_time = [f for f in dispatches if calendar.add_working_days(f.sent_on, TOOLS_WORKING_DAYS) <= visit_starts_on]
        last_sent = max((f.sent_on for f in dispatches), default=None)
        dates = {"visit_starts_on": visit_starts_on, "latest": latest, "last_sent_on": last_sent}
        names = {"visit": be_date(visit_starts_on), "latest": be_date(latest), "n": len(in_time), "total": len(dispatches),
                 "last": be_date(last_sent), "d": TOOLS_WORKING_DAYS}
        if not dispatches:
            verdict = _undone(latest, today, near=calendar.subtract_working_days(latest, AT_RISK_WORKING_DAYS))
            checks.append(StandardCheck("forms_delivered", verdict,
                                        _("Visit on %(visit)s: forms must reach every unit by %(latest)s; none dispatched yet.") % names, dates))
        elif len(in_time) == len(dispatches):
            checks.append(StandardCheck("forms_delivered", Verdict.MET,
                                        _("Forms reached %(n)s of %(total)s units by %(latest)s (last sent %(last)s).") % names, dates))
        else:
            checks.append(StandardCheck("forms_delivered", Verdict.MISSED,
                                        _("Only %(n)s of %(total)s units had the forms by %(latest)s, %(d)s working days before the visit on %(visit)s.") % names, dates))

    # 5. Answers back within 30 working days of dispatch from at least 80 % of units.
    rate = response_rate(dispatches, calendar=calendar, today=today)
    names = {"on_time": rate.on_time, "total": rate.dispatched, "rate": percent(rate.rate_pct), "min": percent(ANSWERS_MIN_PCT, decimals=0),
             "d": ANSWERS_WORKING_DAYS}
    if not dispatches:
        checks.append(StandardCheck("answers_returned", Verdict.NOT_YET, _("No form dispatched yet.")))
    else:
        windows = sorted(calendar.add_working_days(f.sent_on, ANSWERS_WORKING_DAYS) for f in dispatches)
        dates = {"first_sent_on": min(f.sent_on for f in dispatches), "window_ends_on": windows[-1]}
        if rate.met:
            verdict, text = Verdict.MET, _("%(on_time)s of %(total)s units answered within %(d)s working days of dispatch (%(rate)s%%, standard %(min)s%%).")
        elif not rate.achievable:
            verdict, text = Verdict.MISSED, _("Only %(on_time)s of %(total)s units answered within %(d)s working days of dispatch (%(rate)s%%); %(min)s%% can no longer be reached.")
        else:
            open_windows = [w for w in windows if w >= today]
            near = calendar.subtract_working_days(open_windows[0], AT_RISK_WORKING_DAYS) if open_windows else today
            verdict = Verdict.AT_RISK if today >= near else Verdict.NOT_YET
            text = _("%(on_time)s of %(total)s units answered so far (%(rate)s%%); %(min)s%% is needed within %(d)s working days of dispatch.")
        checks.append(StandardCheck("answers_returned", verdict, text % names, dates))

    # 6. Summary meeting within Q4.
    q4_names = {"start": be_date(q4.start), "end": be_date(q4.end), "day": be_date(summary_meeting_on)}
    dates = {"summary_meeting_on": summary_meeting_on, "q4_start": q4.start, "q4_end": q4.end}
    if not regular:
        checks.append(StandardCheck("summary_in_q4", Verdict.NOT_YET, _("A special round has no yearly summary of its own.")))
    elif summary_meeting_on is None:
        verdict = _undone(q4.end, today, near=q4.end - dt.timedelta(days=AT_RISK_DAYS))
        checks.append(StandardCheck("summary_in_q4", verdict, _("The summary meeting must fall within Q4 (%(start)s to %(end)s); not scheduled yet.") % q4_names, dates))
    elif q4.contains(summary_meeting_on):
        checks.append(StandardCheck("summary_in_q4", Verdict.MET, _("Summary meeting on %(day)s, within Q4 (%(start)s to %(end)s).") % q4_names, dates))
    else:
        checks.append(StandardCheck("summary_in_q4", _dated(Verdict.MISSED, summary_meeting_on, today),
                                    _("Summary meeting on %(day)s is outside Q4 (%(start)s to %(end)s).") % q4_names, dates))
    return checks


def dispatch_facts(dispatches) -> list[DispatchFacts]:
    """``DispatchFacts`` of ``FormDispatch`` rows (local dates)."""
    return [
        DispatchFacts(timezone.localdate(d.sent_at), timezone.localdate(d.submitted_at) if d.submitted_at else None)
        for d in dispatches
    ]


def evaluate_standards(round, *, today: dt.date | None = None, dispatches=None, calendar: WorkingCalendar | None = None) -> list[StandardCheck]:
    """The six standards of ``round`` (an ``InspectionRound``, saved or not) as of ``today`` (default: today, Asia/Bangkok).

    ``dispatches`` defaults to the round's ``FormDispatch`` rows (one query; none for an unsaved round);
    ``calendar`` to the office's working calendar (one query).
    """
    if dispatches is None:
        dispatches = list(round.dispatches.only("sent_at", "submitted_at")) if round.pk else []
    return evaluate(
        fiscal_year=round.fiscal_year, number=round.number, plan_sent_on=round.plan_sent_on,
        coordination_meeting_on=round.coordination_meeting_on, units_notified_on=round.units_notified_on,
        visit_starts_on=round.visit_starts_on, summary_meeting_on=round.summary_meeting_on,
        dispatches=dispatch_facts(dispatches), calendar=calendar or WorkingCalendar.for_office(round.office),
        today=today or timezone.localdate(),
    )


def evaluate_standards_of_rounds(rounds, *, today: dt.date | None = None,
                                 calendar: WorkingCalendar | None = None) -> dict[int, list[StandardCheck]]:
    """``{round id: its six standards}`` for saved ``rounds`` (``InspectionRound``) as of ``today``: the figures of
    :func:`evaluate_standards` for each, in a fixed number of queries however many rounds.

    One query for the dispatches of every round; ``calendar`` (the working calendar, for rounds of one office)
    defaults to each office's own, one query for all their declared holidays. ``{}`` for no rounds.
    """
    rounds = list(rounds)
    if not rounds:
        return {}
    today = today or timezone.localdate()
    dispatches: dict[int, list] = {r.pk: [] for r in rounds}
    for d in FormDispatch.objects.filter(round_id__in=list(dispatches)).only("round_id", "sent_at", "submitted_at").order_by("pk"):
        dispatches[d.round_id].append(d)
    if calendar is not None:
        calendars = {r.office_id: calendar for r in rounds}
    else:
        holidays: dict[int, list[dt.date]] = {r.office_id: [] for r in rounds}
        for office_id, day in OfficeHoliday.objects.filter(office_id__in=list(holidays)).values_list("office_id", "date"):
            holidays[office_id].append(day)
        calendars = {office_id: WorkingCalendar(days) for office_id, days in holidays.items()}
    return {
        r.pk: evaluate_standards(r, today=today, dispatches=dispatches[r.pk], calendar=calendars[r.office_id])
        for r in rounds
    }


def round_response_rate(round, *, today: dt.date | None = None, dispatches=None, calendar: WorkingCalendar | None = None) -> ResponseRate:
    """Standard 5's figures for ``round`` (see :func:`response_rate`)."""
    if dispatches is None:
        dispatches = list(round.dispatches.only("sent_at", "submitted_at"))
    return response_rate(
        dispatch_facts(dispatches), calendar=calendar or WorkingCalendar.for_office(round.office), today=today or timezone.localdate()
    )
