"""The rules that lay out an office's monitoring calendar (ปฏิทินติดตาม ประเมินผล และรายงานผล) for a fiscal year.

:func:`planned_events` is pure: it takes the fiscal year (BE), the office's working calendar and the
facts it depends on (the report due rule, disbursement targets, literacy rounds) and returns the
events as :class:`PlannedEvent` values, each with a stable ``key``. ``emes.calendar.services.generate_calendar``
loads those facts and upserts the rows. Rule sources, all in docs/fiscal-calendar.md and the pages it links:

- quarterly project reports are due 5 working days after the quarter ends (monitoring plan of
  สพม. เขต 12; ``plans.deadlines`` gives the office's number of days);
- budget disbursement is followed in Q2, Q3 and Q4 against the government's cumulative targets
  (``plans.DisbursementTarget``);
- inspection (ตรวจราชการ): round 1 in February, round 2 in August; the plan reaches the units at
  least 1 week before the coordination meeting, both within Q1; units are told of a visit at least
  7 working days before it; the tools reach 100 % of the units at least 10 working days before it;
  the forms come back within 30 working days of dispatch; the summary meeting falls within Q4;
- the literacy windows are the office's ``LiteracyRound`` rows (เปิดระบบ .. ปิดระบบ);
- the annual report of FY N-1 is prepared October-January (so it sits in FY N's calendar),
  approved by the director, printed, sent to divisions and committees, published on the website;
- the M&E unit's own yearly tasks (the Gantt of the seed manual).

Dates that the rules only bound (an inspection visit "in February") get a default chosen here; the
event's ``rule`` says so, and the plan officer moves the event once the real date is known (an
edited event is never overwritten by a later generation). Inspection events follow the office's
real inspection rounds (``inspections.InspectionRound``: plan, meetings, notice, visit, the forms
dispatched and their due dates) once a round of that number exists; the plan officer regenerates the
year after changing a round (the calendar list says when a round changed after the last generation).

Generated texts are stored in the office's language (Thai) whatever the language of the request
that runs the generation: the calendar is an office record, not a page.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from emes.fiscal import FiscalYear, Quarter, WorkingCalendar, fiscal_year_of, report_due_date
from emes.thai import be_date, percent

from .models import CalendarEvent

Kind = CalendarEvent.Kind
Audience = CalendarEvent.Audience

#: Working days by which the units hear of a visit, get the tools, and send the forms back (docs/inspections.md; Inspection manual).
NOTICE_WORKING_DAYS = 7
TOOLS_WORKING_DAYS = 10
FORMS_BACK_WORKING_DAYS = 30
#: Inspection rounds: round number -> month of the visit (docs/inspections.md: February and August).
INSPECTION_MONTHS = {1: 2, 2: 8}
RULE_MAX = CalendarEvent._meta.get_field("rule").max_length


@dataclass(frozen=True)
class LiteracyWindow:
    """A literacy round's submission window as dates (local), with what names it."""

    round_id: int
    academic_year: int
    number: int
    opens_on: dt.date
    closes_on: dt.date


@dataclass(frozen=True)
class PlannedEvent:
    """One event the rules want, keyed by ``key`` (unique per office, stable across generations)."""

    key: str
    fiscal_year: int
    kind: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    audience: str
    rule: str
    description: str = ""
    gantt_row: str = ""

    def fields(self) -> dict:
        """The model fields a generation writes (everything the plan officer may later edit)."""
        return {
            "fiscal_year": self.fiscal_year, "kind": self.kind, "title": self.title[:300], "description": self.description,
            "starts_on": self.starts_on, "ends_on": self.ends_on, "audience": self.audience,
            "gantt_row": self.gantt_row[:200], "rule": self.rule[:RULE_MAX],
        }


def gantt_rows() -> list[str]:
    """The M&E unit's Gantt rows in the order of the seed manual (names as stored on the events)."""
    return [
        _("E-MES reporting to OBEC"),
        _("OBEC policy monitoring"),
        _("Inspection reporting"),
        _("Action-plan monitoring"),
        _("System development"),
        _("Annual report"),
    ]


# --- working-day helpers -----------------------------------------------------------------------


def first_working_day_on_or_after(cal: WorkingCalendar, day: dt.date) -> dt.date:
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def last_working_day_on_or_before(cal: WorkingCalendar, day: dt.date) -> dt.date:
    while not cal.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _ce_year_of_month(fy: FiscalYear, month: int) -> int:
    """The CE year in which calendar ``month`` falls within fiscal year ``fy`` (Oct-Dec: the year before)."""
    return fy.start.year if month >= 10 else fy.end.year


# --- the rules ---------------------------------------------------------------------------------


def quarterly_reports(fy: FiscalYear, cal: WorkingCalendar, due_working_days: int) -> list[PlannedEvent]:
    events = []
    for quarter in fy.quarters:
        due = report_due_date(quarter, working_days=due_working_days, calendar=cal)
        events.append(PlannedEvent(
            key=f"{fy.year}:quarterly-report:q{quarter.number}", fiscal_year=fy.year, kind=Kind.QUARTERLY_REPORT,
            title=_("Quarterly project reports due, quarter %(q)s/%(fy)s") % {"q": quarter.number, "fy": fy.year},
            starts_on=due, ends_on=due, audience=Audience.PROJECT_OWNERS,
            description=_("Every project owner submits the quarterly report (status, progress, disbursement, indicator results, problems, suggestions, evidence) of quarter %(q)s, which ended on %(end)s.") % {
                "q": quarter.number, "end": be_date(quarter.end)},
            rule=_("%(n)s working days after the quarter ends (%(end)s), holidays skipped. Source: monitoring plan of สพม. เขต 12 (แผนการติดตาม สพม. เขต ๑๒); the office's reporting rule for the year.") % {
                "n": due_working_days, "end": be_date(quarter.end)},
        ))
    return events


def disbursement_followups(fy: FiscalYear, cal: WorkingCalendar, targets: Mapping[int, Decimal]) -> list[PlannedEvent]:
    events = []
    for number in (2, 3, 4):
        quarter = fy.quarter(number)
        day = last_working_day_on_or_before(cal, quarter.end)
        target = targets.get(number)
        if target is not None:
            title = _("Budget disbursement follow-up, quarter %(q)s/%(fy)s (cumulative target %(pct)s%%)") % {
                "q": number, "fy": fy.year, "pct": percent(target, decimals=0 if Decimal(target) == Decimal(target).to_integral_value() else 2)}
        else:
            title = _("Budget disbursement follow-up, quarter %(q)s/%(fy)s") % {"q": number, "fy": fy.year}
        events.append(PlannedEvent(
            key=f"{fy.year}:disbursement:q{number}", fiscal_year=fy.year, kind=Kind.DISBURSEMENT, title=title,
            starts_on=day, ends_on=day, audience=Audience.PROJECT_OWNERS,
            description=_("Compare each project's cumulative disbursement at the end of the quarter with the government's cumulative target."),
            rule=_("Last working day of the quarter; disbursement is followed in Q2, Q3 and Q4 against the cumulative quarterly targets of the year (cabinet resolutions; targets: admin, disbursement targets).")
        ))
    return events


def _visit_days(cal: WorkingCalendar, year: int, month: int) -> tuple[dt.date, dt.date]:
    """Default visit: the working days of the 2nd and 3rd weeks (days 8-21) of the month."""
    return (first_working_day_on_or_after(cal, dt.date(year, month, 8)), last_working_day_on_or_before(cal, dt.date(year, month, 21)))


@dataclass(frozen=True)
class InspectionSchedule:
    """The dates of one of the office's inspection rounds (``inspections.InspectionRound``) the calendar follows.

    ``number``: 1 = February, 2 = August, 3 and later = special rounds. Schedule dates are ``None``
    until the round sets them. ``forms_sent_on``: the local date of the last dispatch of its form
    (the day every unit had it); ``forms_due_on``: the latest due date of its dispatches; both
    ``None`` before the forms are dispatched.
    """

    number: int
    title: str = ""
    plan_sent_on: dt.date | None = None
    coordination_meeting_on: dt.date | None = None
    units_notified_on: dt.date | None = None
    visit_starts_on: dt.date | None = None
    visit_ends_on: dt.date | None = None
    summary_meeting_on: dt.date | None = None
    forms_sent_on: dt.date | None = None
    forms_due_on: dt.date | None = None


def _rule(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _first_set(rounds: Mapping[int, InspectionSchedule], field: str, order: Iterable[int]) -> tuple[dt.date | None, InspectionSchedule | None]:
    """The first of the rounds ``order`` that has ``field`` set: (its date, the round); (None, None) otherwise."""
    for number in order:
        s = rounds.get(number)
        if s is not None and getattr(s, field) is not None:
            return getattr(s, field), s
    return None, None


def _round_steps(y: int, cal: WorkingCalendar, number: int, s: InspectionSchedule | None,
                 default_visit: tuple[dt.date, dt.date] | None) -> tuple[list[PlannedEvent], dt.date | None]:
    """The events of one round (tools, notice, visit, forms back): the round's real dates where it has
    them, else the defaults of the standards (counted from the real visit when only that is known).

    ``default_visit`` is the default visit of a regular round (``None`` for a special round, which has
    no month of its own: its steps without a date and without a visit to count from are left out).
    Returns the events and the forms-back date (``None`` when there is none).
    """
    names = {"n": number, "fy": y}
    no_round = _("Default date, move it once the inspection round is scheduled.")
    from_round = _("Date set in inspection round %(n)s/%(fy)s.") % names
    missing = _("Round %(n)s/%(fy)s has no date for this step yet: default date, set it in the round and regenerate.") % names
    unset = missing if s is not None else no_round
    description = s.title if s is not None else ""
    events: list[PlannedEvent] = []

    def add(slug: str, title: str, start: dt.date, end: dt.date, rule: str) -> None:
        events.append(PlannedEvent(
            key=f"{y}:inspection:r{number}:{slug}", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
            title=title % names, starts_on=start, ends_on=end, rule=rule, description=description,
        ))

    visit_rule = _("Round 1 in February, round 2 in August (Inspection manual); default: the working days of the 2nd and 3rd weeks of the month.")
    if s is not None and (s.visit_starts_on or s.visit_ends_on):
        start = s.visit_starts_on or s.visit_ends_on
        visit: tuple[dt.date, dt.date] | None = (start, s.visit_ends_on or start)
        visit_source = from_round
    else:
        visit, visit_source = default_visit, unset
    tools_std = _("To 100%% of the units at least %(d)s working days before the visit (Inspection manual, standards ๖.๑–๖.๘).") % {"d": TOOLS_WORKING_DAYS}
    if s is not None and s.forms_sent_on:
        tools: dt.date | None = s.forms_sent_on
        tools_rule = _rule(_("Forms of inspection round %(n)s/%(fy)s dispatched to the units, the last on this day.") % names, tools_std)
    else:
        tools = cal.subtract_working_days(visit[0], TOOLS_WORKING_DAYS) if visit else None
        tools_rule = _rule(tools_std, unset)
    if tools:
        add("tools", _("Inspection round %(n)s/%(fy)s: tools and forms sent to all units"), tools, tools, tools_rule)
    notice_std = _("At least %(d)s working days before the visit (Inspection manual, standards ๖.๑–๖.๘).") % {"d": NOTICE_WORKING_DAYS}
    if s is not None and s.units_notified_on:
        add("notice", _("Inspection round %(n)s/%(fy)s: units told of the visit"), s.units_notified_on, s.units_notified_on, _rule(from_round, notice_std))
    elif visit:
        notice = cal.subtract_working_days(visit[0], NOTICE_WORKING_DAYS)
        add("notice", _("Inspection round %(n)s/%(fy)s: units told of the visit"), notice, notice, _rule(notice_std, unset))
    if visit:
        add("visit", _("Inspection round %(n)s/%(fy)s: visits"), visit[0], visit[1],
            from_round if visit_source is from_round else _rule(visit_rule, unset))
    back = None
    if s is not None and s.forms_due_on:
        back = s.forms_due_on
        back_rule = _rule(_("Latest due date of the forms dispatched in inspection round %(n)s/%(fy)s.") % names,
                          _("Within %(d)s working days of dispatch (Inspection manual, standards ๖.๑–๖.๘).") % {"d": FORMS_BACK_WORKING_DAYS})
    elif tools:
        back = cal.add_working_days(tools, FORMS_BACK_WORKING_DAYS)
        back_rule = _rule(_("Within %(d)s working days of dispatch (%(sent)s) (Inspection manual, standards ๖.๑–๖.๘).") % {
            "d": FORMS_BACK_WORKING_DAYS, "sent": be_date(tools)}, unset)
    if back:
        add("forms-back", _("Inspection round %(n)s/%(fy)s: forms back from at least 80%% of the units"), back, back, back_rule)
    return events, back


def inspections(fy: FiscalYear, cal: WorkingCalendar, rounds: Mapping[int, InspectionSchedule] | None = None) -> list[PlannedEvent]:
    """The inspection events of ``fy``: the yearly plan, coordination and summary meetings, and each round's steps.

    ``rounds`` (number -> :class:`InspectionSchedule`) are the office's real rounds of the year: their
    dates replace the defaults step by step (a step the round has no date for keeps its default and
    its ``rule`` says so); special rounds (3+) get their own events from their dates. The keys do not
    depend on whether a date is real or default, so a regeneration moves the event in place.
    """
    y = fy.year
    rounds = rounds or {}
    events: list[PlannedEvent] = []
    default = _("Default date, move it once the inspection round is scheduled.")

    def source(s: InspectionSchedule | None, on: dt.date | None, order: tuple[int, int]) -> str:
        """Where a yearly date comes from: the round that set it, else the default (saying which round lacks it)."""
        if on is not None:
            return _("Date set in inspection round %(n)s/%(fy)s.") % {"n": s.number, "fy": y}
        lacking = next((rounds[n] for n in order if n in rounds), None)
        if lacking is not None:
            return _("Round %(n)s/%(fy)s has no date for this step yet: default date, set it in the round and regenerate.") % {"n": lacking.number, "fy": y}
        return default

    def ordered(where: str, standard: str, real: dt.date | None) -> str:
        # A real date says where it comes from first; a default states the rule, then that it is one.
        return _rule(where, standard) if real is not None else _rule(standard, where)

    # The yearly plan and coordination meeting: within Q1 (Oct-Dec), from round 1 (else round 2). By
    # default mid-December, which leaves the plan time to be written after the fiscal year starts and
    # stays clear of the New Year holidays; the plan a week before the meeting.
    real_meeting, meeting_round = _first_set(rounds, "coordination_meeting_on", (1, 2))
    meeting = real_meeting or first_working_day_on_or_after(cal, dt.date(fy.start.year, 12, 15))
    real_plan, plan_round = _first_set(rounds, "plan_sent_on", (1, 2))
    plan_sent = real_plan or last_working_day_on_or_before(cal, meeting - dt.timedelta(days=7))
    events.append(PlannedEvent(
        key=f"{y}:inspection:plan-sent", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection plan of FY %(fy)s sent to the inspected units") % {"fy": y}, starts_on=plan_sent, ends_on=plan_sent,
        rule=ordered(source(plan_round, real_plan, (1, 2)), _("At least 1 week before the coordination meeting, within Q1 (Inspection manual, standards ๖.๑–๖.๘)."), real_plan),
    ))
    events.append(PlannedEvent(
        key=f"{y}:inspection:coordination-meeting", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection coordination meeting, FY %(fy)s") % {"fy": y}, starts_on=meeting, ends_on=meeting,
        rule=ordered(source(meeting_round, real_meeting, (1, 2)), _("Within Q1 (Oct-Dec) (Inspection manual, standards ๖.๑–๖.๘).") if real_meeting
                     else _("Within Q1 (Oct-Dec); first working day from 15 December (Inspection manual, standards ๖.๑–๖.๘)."), real_meeting),
    ))
    last_forms_back = None
    for number, month in INSPECTION_MONTHS.items():
        steps, back = _round_steps(y, cal, number, rounds.get(number), _visit_days(cal, _ce_year_of_month(fy, month), month))
        events += steps
        last_forms_back = back or last_forms_back
    for number in sorted(n for n in rounds if n not in INSPECTION_MONTHS):
        events += _round_steps(y, cal, number, rounds[number], None)[0]

    # Summary meeting within Q4, after round 2's forms are back, by the last working day of September;
    # from round 2 (else round 1).
    real_summary, summary_round = _first_set(rounds, "summary_meeting_on", (2, 1))
    if real_summary:
        summary = real_summary
    else:
        summary = first_working_day_on_or_after(cal, max(dt.date(fy.end.year, 9, 15), last_forms_back + dt.timedelta(days=1)))
        summary = min(summary, last_working_day_on_or_before(cal, fy.end))
    events.append(PlannedEvent(
        key=f"{y}:inspection:summary-meeting", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
        title=_("Inspection summary meeting, FY %(fy)s") % {"fy": y}, starts_on=summary, ends_on=summary,
        rule=ordered(source(summary_round, real_summary, (2, 1)), _("Within Q4 (Jul-Sep) (Inspection manual, standards ๖.๑–๖.๘).") if real_summary
                     else _("Within Q4 (Jul-Sep), after round 2's forms are back; default from 15 September (Inspection manual, standards ๖.๑–๖.๘)."), real_summary),
    ))

    # A round whose plan, meeting or summary differs from the year's (e.g. round 2 holds its own
    # coordination meeting) gets its own event; special rounds always do for the dates they have.
    yearly = {"plan_sent_on": plan_sent, "coordination_meeting_on": meeting, "summary_meeting_on": summary}
    titles = {
        "plan_sent_on": ("plan-sent", _("Inspection round %(n)s/%(fy)s: plan sent to the inspected units")),
        "coordination_meeting_on": ("coordination-meeting", _("Inspection round %(n)s/%(fy)s: coordination meeting")),
        "summary_meeting_on": ("summary-meeting", _("Inspection round %(n)s/%(fy)s: summary meeting")),
    }
    for number in sorted(rounds):
        s = rounds[number]
        for field, (slug, title) in titles.items():
            day = getattr(s, field)
            if day is None or (number in INSPECTION_MONTHS and day == yearly[field]):
                continue
            events.append(PlannedEvent(
                key=f"{y}:inspection:r{number}:{slug}", fiscal_year=y, kind=Kind.INSPECTION, audience=Audience.STAFF,
                title=title % {"n": number, "fy": y}, starts_on=day, ends_on=day, description=s.title,
                rule=_("Date set in inspection round %(n)s/%(fy)s.") % {"n": number, "fy": y},
            ))
    return events


def literacy_windows(windows: Iterable[LiteracyWindow]) -> list[PlannedEvent]:
    """One event per round; its fiscal year is the one in which the window opens (a window may straddle two)."""
    return [
        PlannedEvent(
            key=f"literacy:round:{w.round_id}", fiscal_year=fiscal_year_of(w.opens_on), kind=Kind.LITERACY, audience=Audience.SCHOOLS,
            title=_("Literacy assessment, academic year %(year)s round %(n)s: schools submit their results") % {"year": w.academic_year, "n": w.number},
            starts_on=w.opens_on, ends_on=w.closes_on,
            description=_("The window opens (เปิดระบบ) on %(opens)s and closes (ปิดระบบ) on %(closes)s.") % {"opens": be_date(w.opens_on), "closes": be_date(w.closes_on)},
            rule=_("The window of the office's literacy round (literacy rounds page); it follows the round when the window moves."),
        )
        for w in windows
    ]


def annual_report(fy: FiscalYear, cal: WorkingCalendar) -> list[PlannedEvent]:
    y = fy.year
    prior = y - 1
    row = gantt_rows()[5]
    jan = fy.end.year  # January of FY N is in CE year of its end
    prep_start = first_working_day_on_or_after(cal, fy.start)
    prep_end = last_working_day_on_or_before(cal, dt.date(jan, 1, 15))
    approve = cal.add_working_days(prep_end, 3)
    printed = cal.add_working_days(approve, 5)
    sent = last_working_day_on_or_before(cal, dt.date(jan, 1, 31))
    source = _("Annual report of FY N prepared October-January after the year ends, approved by the director, printed, sent to divisions and committees, published on the website (M&E manual).")
    default = _("Default date, move it to the real one.")
    names = {"fy": prior}
    return [
        PlannedEvent(
            key=f"{y}:annual-report:prepare", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Prepare the annual report of FY %(fy)s") % names, starts_on=prep_start, ends_on=prep_end, rule=source,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:approve", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Annual report of FY %(fy)s approved by the director") % names, starts_on=approve, ends_on=approve,
            rule=_("3 working days after the draft is done.") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:print", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.MNE_UNIT, gantt_row=row,
            title=_("Annual report of FY %(fy)s printed") % names, starts_on=printed, ends_on=printed,
            rule=_("5 working days after approval.") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:send", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.STAFF, gantt_row=row,
            title=_("Annual report of FY %(fy)s sent to the divisions and committees") % names, starts_on=sent, ends_on=sent,
            rule=_("Last working day of January (the report is done by January, M&E manual).") + " " + default,
        ),
        PlannedEvent(
            key=f"{y}:annual-report:publish", fiscal_year=y, kind=Kind.ANNUAL_REPORT, audience=Audience.STAFF, gantt_row=row,
            title=_("Annual report of FY %(fy)s published on the office's website") % names, starts_on=sent, ends_on=sent,
            rule=_("Last working day of January (the report is done by January, M&E manual).") + " " + default,
        ),
    ]


def unit_tasks(fy: FiscalYear) -> list[PlannedEvent]:
    """The M&E unit's yearly tasks, one event per month (or span) of each Gantt row."""
    y = fy.year
    rows = gantt_rows()
    given = _("Months as given in the M&E manual (the unit's yearly calendar).")
    chosen = _("The M&E manual gives no months for this task; chosen here:")
    plan: list[tuple[str, str, list[tuple[int, int]], str, str]] = [
        # (slug, row, [(first month, last month)], title, rule)
        ("emes-obec", rows[0], [(10, 10), (4, 4)], _("Report the office's results to OBEC in E-MES"),
         chosen + " " + _("October (12-month round of the year before) and April (6-month round, Q1+Q2).")),
        ("obec-policy", rows[1], [(12, 12), (3, 3), (6, 6), (9, 9)], _("Follow up the OBEC policies"),
         chosen + " " + _("the last month of each quarter (December, March, June, September).")),
        ("inspection-report", rows[2], [(3, 3), (9, 9)], _("Report the inspection results"),
         chosen + " " + _("March after round 1 (February) and September after round 2 (August).")),
        ("action-plan", rows[3], [(10, 10), (3, 3), (5, 5), (9, 9)], _("Follow up the action plan"), given),
        ("system-development", rows[4], [(4, 6)], _("Develop the monitoring system"), given),
    ]
    events = []
    for slug, row, spans, title, rule in plan:
        for first, last in spans:
            start = dt.date(_ce_year_of_month(fy, first), first, 1)
            end = _month_end(_ce_year_of_month(fy, last), last)
            events.append(PlannedEvent(
                key=f"{y}:unit:{slug}:{first:02d}", fiscal_year=y, kind=Kind.UNIT_TASK, audience=Audience.MNE_UNIT, gantt_row=row,
                title=title, starts_on=start, ends_on=end, rule=rule,
            ))
    return events


def planned_events(
    fiscal_year: int, *, calendar: WorkingCalendar, due_working_days: int, disbursement_targets: Mapping[int, Decimal],
    literacy: Iterable[LiteracyWindow], inspection_rounds: Mapping[int, InspectionSchedule] | None = None,
) -> list[PlannedEvent]:
    """Every event the rules lay out for ``fiscal_year`` (BE), sorted by start date.

    ``due_working_days``: working days after a quarter's end to its report's due date;
    ``disbursement_targets``: quarter -> cumulative target (%) of the year (missing quarters get no number);
    ``literacy``: the office's rounds whose window overlaps the year;
    ``inspection_rounds``: round number -> the office's real inspection round of the year (see :func:`inspections`).
    """
    fy = FiscalYear(fiscal_year)
    events = [
        *quarterly_reports(fy, calendar, due_working_days),
        *disbursement_followups(fy, calendar, disbursement_targets),
        *inspections(fy, calendar, inspection_rounds),
        *literacy_windows(literacy),
        *annual_report(fy, calendar),
        *unit_tasks(fy),
    ]
    return sorted(events, key=lambda e: (e.starts_on, e.ends_on, e.key))


__all__ = ["InspectionSchedule", "LiteracyWindow", "PlannedEvent", "Quarter", "gantt_rows", "planned_events"]
