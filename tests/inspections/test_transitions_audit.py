"""Rounds and recommendations write their transitions through the core's ``record_transition`` (issue 14)."""
from __future__ import annotations

import pytest

from inspections import services
from inspections.services import _common, answers, recommendations, rounds
from tests.audit import assert_transition, spy_record_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(monkeypatch):
    return spy_record_transition(monkeypatch, _common, rounds, answers, recommendations)


def test_a_round_created_dispatched_closed_and_reopened_writes_transitions_through_the_audit_trail(rows, cast, round_with_form):
    r = round_with_form  # created by ``services.create_round`` after ``rows`` started watching
    assert_transition(rows[-1], r, by=cast.planner, from_status="", to_status="draft")
    services.dispatch_forms(r, by=cast.planner, schools=[cast.schools[0]])
    assert rows[-1].comment  # the units and due date the forms went to
    assert_transition(rows[-1], r, by=cast.planner, from_status="draft", to_status="open", comment=rows[-1].comment)
    services.close_round(r, by=cast.supervisor, comment="ครบกำหนด")
    assert_transition(rows[-1], r, by=cast.supervisor, from_status="open", to_status="closed", comment="ครบกำหนด")
    services.reopen_round(r, by=cast.planner, reason="โรงเรียนขอแก้ไขข้อมูล")
    assert_transition(rows[-1], r, by=cast.planner, from_status="closed", to_status="open", comment="โรงเรียนขอแก้ไขข้อมูล")
    assert len(rows) == 4


def test_a_recommendation_added_and_marked_done_writes_transitions_through_the_audit_trail(rows, cast, round_with_form):
    rows.clear()
    rec = services.add_recommendation(round_with_form, by=cast.planner, text="เร่งพัฒนาการอ่าน", divisions=[cast.academic])
    assert_transition(rows[-1], rec, by=cast.planner, from_status="", to_status="open")
    services.mark_done(rec, by=cast.head, comment="ดำเนินการแล้ว")
    assert_transition(rows[-1], rec, by=cast.head, from_status="open", to_status="done", comment="ดำเนินการแล้ว")
    assert len(rows) == 2
