"""Inspection answers within the range of their unit (issue 13 item 7): −3 students or 150 % never reach the export's averages."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from inspections import services
from inspections.models import FormAnswer

BKK = dt.timezone(dt.timedelta(hours=7))
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(cast, round_with_form):
    """The round with a count question (คน) added, dispatched to school 1; returns (dispatch, questions by order)."""
    r = round_with_form
    services.add_question(r, by=cast.planner, text="จำนวนนักเรียนที่ได้รับการช่วยเหลือ", kind="number", unit="คน")
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=BKK), tick=False):
        (dispatch,) = services.dispatch_forms(r, by=cast.planner, schools=[cast.schools[0]])
    return dispatch, {q.order: q for q in r.questions.all()}


def _save(cast, dispatch, values):
    with time_machine.travel(dt.datetime(2026, 1, 20, 10, tzinfo=BKK), tick=False), translation.override("th"):
        return services.save_answers(dispatch, values, by=cast.school_users[0])


@pytest.mark.parametrize("which, typed, text", [
    ("percent", "150", "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
    ("percent", "-1", "ต้องไม่ติดลบ"),
    ("count", "-3", "ต้องไม่ติดลบ"),
    ("count", "๓.๕", "มีทศนิยม"),
])
def test_an_answer_out_of_its_units_range_is_refused_and_nothing_saved(cast, sent, which, typed, text):
    dispatch, qs = sent
    question = qs[1] if which == "percent" else qs[5]
    assert (question.unit or question.indicator.unit) == ("ร้อยละ" if which == "percent" else "คน")
    with pytest.raises(ValidationError) as exc:
        _save(cast, dispatch, {f"q{question.pk}": typed})
    assert text in exc.value.message_dict[f"q{question.pk}"][0]
    assert not FormAnswer.objects.filter(dispatch=dispatch).exists()


def test_answers_in_range_with_thai_digits_are_saved(cast, sent):
    dispatch, qs = sent
    _save(cast, dispatch, {f"q{qs[1].pk}": "๘๕.๕", f"q{qs[5].pk}": "1,200"})
    stored = dict(FormAnswer.objects.filter(dispatch=dispatch).values_list("question__order", "number_value"))
    assert stored == {1: Decimal("85.5"), 5: Decimal("1200")}
