"""The action plan's workflow writes its transitions through the core's ``record_transition`` (issue 14)."""
import pytest

from plans import services
from tests.audit import assert_transition, spy_record_transition
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_submitting_and_returning_a_plan_write_transitions_through_the_audit_trail(monkeypatch, office_a, planner_a, director_a):
    rows = spy_record_transition(monkeypatch, services)
    ProjectFactory(office=office_a, code="69-001", name="โครงการพัฒนาการอ่าน")
    plan = services.ensure_plan(office_a, 2569, by=planner_a)
    services.submit_plan(plan, by=planner_a, comment="เสนอ")
    services.return_plan(plan, by=director_a, comment="แก้ไขงบประมาณกิจกรรม")
    assert len(rows) == 3
    assert_transition(rows[0], plan, by=planner_a, from_status="", to_status="draft")
    assert_transition(rows[1], plan, by=planner_a, from_status="draft", to_status="submitted", comment="เสนอ")
    assert_transition(rows[2], plan, by=director_a, from_status="submitted", to_status="draft", comment="แก้ไขงบประมาณกิจกรรม")
