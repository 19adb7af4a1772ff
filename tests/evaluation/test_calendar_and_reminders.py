"""Evaluation windows in the monitoring calendar; respondents who have not answered get a notice from the sweep."""
from __future__ import annotations

import datetime as dt

import pytest

from emes.calendar.services import generate_calendar
from emes.models import CalendarEvent, Role
from emes.obligations import open_obligations
from evaluation import services

from .conftest import full_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_evaluation(office_a, planner_a, satisfaction_form, school_user_a):
    ev = services.create_evaluation(office_a, by=planner_a, form=satisfaction_form, title="ประเมินแผน 2570",
                                    opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 10, 30), roles=[Role.SCHOOL], public=False)
    services.open_evaluation(ev, by=planner_a)
    ev.refresh_from_db()
    return ev


def test_the_window_is_an_event_of_the_calendar(office_a, planner_a, plan_evaluation, satisfaction_form):
    draft = services.create_evaluation(office_a, by=planner_a, form=satisfaction_form, title="ร่าง", opens_on=dt.date(2026, 11, 1),
                                       closes_on=dt.date(2026, 11, 5))
    generate_calendar(office_a, 2570, by=planner_a)
    generate_calendar(office_a, 2569, by=planner_a)
    events = CalendarEvent.objects.filter(office=office_a, title__contains="ประเมินแผน 2570")
    assert [(e.fiscal_year, e.starts_on, e.ends_on) for e in events] == [(2569, dt.date(2026, 9, 1), dt.date(2026, 10, 30))]
    assert not CalendarEvent.objects.filter(title__contains=draft.title).exists()


def test_the_sweep_sends_a_notice_before_close_and_never_a_letter(office_a, plan_evaluation, school_user_a):
    from reports.models import Reminder
    from reports.reminders.services import sweep

    owed = open_obligations(office_a, kinds=["evaluation"], on=dt.date(2026, 10, 28))
    assert [o.key for o in owed] == [f"evaluation:evaluation={plan_evaluation.pk}:user={school_user_a.pk}"]
    sweep(dt.date(2026, 10, 28), office=office_a, trigger="test")
    sweep(dt.date(2026, 11, 10), office=office_a, trigger="test")  # after the window: no letter stage exists
    reminders = list(Reminder.objects.filter(obligation_kind="evaluation").values_list("stage", "recipient_key"))
    assert reminders == [("notice", f"user:{school_user_a.pk}")]


def test_an_answer_ends_the_obligation(office_a, plan_evaluation, school_user_a):
    services.submit_answers(plan_evaluation, full_answers(plan_evaluation), user=school_user_a, on=dt.date(2026, 10, 1))
    assert open_obligations(office_a, kinds=["evaluation"], on=dt.date(2026, 10, 28)) == []
