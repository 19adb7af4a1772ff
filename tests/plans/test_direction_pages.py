"""The plan officer's pages for the annual report's ส่วนที่ ๒-๓: the plan's direction and strategy-level results."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Indicator, PlanDirection, StrategyIndicatorResult
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(office_a):
    strategy = StrategyFactory(office=office_a)
    return Indicator.objects.create(strategy=strategy, name="ร้อยละของโรงเรียนที่ผ่านเกณฑ์", unit="ร้อยละ", target=Decimal("80"))


def test_plan_officer_saves_the_direction(client, planner_a, office_a):
    client.force_login(planner_a)
    url = reverse("plans:plan-direction", args=[office_a.area_code, 2569])
    response = client.post(url, {"vision": "ผู้เรียนมีคุณภาพ", "mission": "1. พัฒนาผู้เรียน\n2. พัฒนาครู", "goals": "ผู้เรียนอ่านออกเขียนได้"})
    assert response.status_code == 302
    d = PlanDirection.objects.get(office=office_a, fiscal_year=2569)
    assert d.vision == "ผู้เรียนมีคุณภาพ" and d.mission_items == ["พัฒนาผู้เรียน", "พัฒนาครู"]


def test_results_are_recorded_then_accepted_and_locked(client, planner_a, office_a, indicator):
    client.force_login(planner_a)
    url = reverse("plans:strategy-results", args=[office_a.area_code, 2569])
    response = client.post(url, {"action": "save", "quarter": "2", f"ind-{indicator.pk}": "๘๕"})
    assert response.status_code == 302 and response["Location"].endswith("?quarter=2")
    assert 'value="2" selected' in client.get(response["Location"]).content.decode()
    row = StrategyIndicatorResult.objects.get()
    assert (row.actual, row.status, row.recorded_by) == (Decimal("85"), "recorded", planner_a)
    asked = client.post(url, {"action": "accept", "quarter": "2"})  # first the confirmation: nothing accepted yet
    assert asked.status_code == 200
    assert "รับรองผลตัวชี้วัดระดับกลยุทธ์และนโยบายที่บันทึกไว้ 1 รายการ ไตรมาสที่ 2" in asked.content.decode()
    row.refresh_from_db()
    assert row.status == "recorded"
    assert client.post(url, {"action": "accept", "quarter": "2", "confirm": "yes"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "accepted" and row.accepted_by == planner_a
    response = client.post(url, {"action": "save", "quarter": "2", f"ind-{indicator.pk}": "10"})
    assert response.status_code == 200
    assert "ไม่สามารถเปลี่ยน" in response.content.decode() or "can no longer change" in response.content.decode()
    row.refresh_from_db()
    assert row.actual == Decimal("85")


def test_a_percentage_above_100_is_refused_and_nothing_saved(client, planner_a, office_a, indicator):
    client.force_login(planner_a)
    url = reverse("plans:strategy-results", args=[office_a.area_code, 2569])
    response = client.post(url, {"action": "save", "quarter": "1", f"ind-{indicator.pk}": "150"})
    assert response.status_code == 200 and not StrategyIndicatorResult.objects.exists()


def test_other_staff_get_403_and_outsiders_404(client, director_a, office_a, indicator):
    from tests.factories import MembershipFactory, OfficeFactory, UserFactory

    client.force_login(director_a)
    url = reverse("plans:strategy-results", args=[office_a.area_code, 2569])
    assert client.post(url, {"action": "save", "quarter": "1", f"ind-{indicator.pk}": "50"}).status_code == 403
    outsider = UserFactory()
    MembershipFactory(user=outsider, office=OfficeFactory(), role="plan_officer")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not StrategyIndicatorResult.objects.exists()


def test_the_service_itself_refuses_a_value_out_of_range_and_stores_nothing(planner_a, office_a, indicator):
    # Every writer passes the range, not only the page's form (a command, the demo, a later import).
    from django.core.exceptions import ValidationError

    from plans.direction_services import record_strategy_results

    with pytest.raises(ValidationError) as caught:
        record_strategy_results(office_a, 1, {indicator: Decimal("150")}, by=planner_a)
    assert any("150" in m and indicator.name in m for m in caught.value.messages)
    assert not StrategyIndicatorResult.objects.exists()

