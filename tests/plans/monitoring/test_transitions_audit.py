"""The quarterly report's workflow writes its transitions through the core's ``record_transition`` (issue 14)."""
from __future__ import annotations

import pytest

from plans.monitoring import services
from tests.audit import assert_transition, spy_record_transition

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_starting_submitting_and_returning_a_report_write_transitions_through_the_audit_trail(
    monkeypatch, project_a, owner_a, planner_a,
):
    rows = spy_record_transition(monkeypatch, services)
    report = services.start_report(project_a, 1, by=owner_a)
    fill(report, owner_a)
    services.submit_report(report, by=owner_a, comment="ส่งรายงาน")
    services.return_report(report, by=planner_a, comment="ระบุจำนวนครูที่อบรมให้ครบ")
    assert len(rows) == 3
    assert_transition(rows[0], report, by=owner_a, from_status="", to_status="draft")
    assert_transition(rows[1], report, by=owner_a, from_status="draft", to_status="submitted", comment="ส่งรายงาน")
    assert_transition(rows[2], report, by=planner_a, from_status="submitted", to_status="returned", comment="ระบุจำนวนครูที่อบรมให้ครบ")
