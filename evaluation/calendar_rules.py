"""The evaluation windows in the monitoring calendar (registered in ``EvaluationConfig.ready()``, ``emes.calendar.registry``).

One event per evaluation that is not a draft and whose window overlaps the fiscal year, keyed
``evaluation:{pk}`` (stable: it follows the evaluation when its window moves). Rule: docs/evaluation.md,
"Calendar"; the plan evaluation's own period (September–October) is the seed's (seeds/000 ข้อ ๕.๓).
"""
from __future__ import annotations

from emes.calendar.generation import PlannedEvent
from emes.calendar.models import CalendarEvent
from emes.fiscal import FiscalYear, fiscal_year_of
from emes.thai import be_date

from django.utils.translation import gettext as _

from .models import Evaluation


def calendar_events(*, office, fiscal_year: int, calendar) -> list[PlannedEvent]:
    """The windows of ``office``'s evaluations overlapping FY ``fiscal_year`` (BE). One query."""
    fy = FiscalYear(fiscal_year)
    rows = Evaluation.objects.filter(office=office, opens_on__lte=fy.end, closes_on__gte=fy.start).exclude(
        status=Evaluation.Status.DRAFT).order_by("opens_on", "pk")
    return [
        PlannedEvent(
            key=f"evaluation:{ev.pk}", fiscal_year=fiscal_year_of(ev.opens_on), kind=CalendarEvent.Kind.OTHER,
            audience=CalendarEvent.Audience.STAFF,
            title=_("Evaluation open for answers: %(title)s") % {"title": ev.title},
            starts_on=ev.opens_on, ends_on=ev.closes_on,
            description=_("Answers from %(opens)s to %(closes)s.") % {"opens": be_date(ev.opens_on), "closes": be_date(ev.closes_on)},
            rule=_("The window of the office's evaluation (evaluation page); it follows the evaluation when the window moves."),
        )
        for ev in rows if fiscal_year_of(ev.opens_on) == fiscal_year
    ]
