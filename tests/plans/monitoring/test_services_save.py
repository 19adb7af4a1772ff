"""Saving a report: optimistic concurrency, indicator results, money; every bad input refused with nothing stored."""
from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from plans.models import QuarterlyReport
from plans.monitoring import services
from tests.factories import IndicatorFactory

from .conftest import fill, snapshot

pytestmark = pytest.mark.django_db


def test_start_is_idempotent_and_records_the_draft(project_a, owner_a, planner_a):
    first = services.start_report(project_a, 2, by=owner_a)
    again = services.start_report(project_a, 2, by=planner_a)
    assert first.pk == again.pk and first.status == "draft" and first.version == 1
    assert list(first.transitions.values_list("from_status", "to_status")) == [("", "draft")]


def test_a_future_quarter_is_refused(project_a, owner_a):
    with pytest.raises(ValidationError) as exc:
        services.start_report(project_a, 3, by=owner_a)
    assert "1 เมษายน 2569" in exc.value.messages[0] or "2569" in exc.value.messages[0]
    assert not QuarterlyReport.objects.filter(project=project_a).exists()


def test_a_quarter_can_be_started_on_its_first_day(project_a, owner_a):
    with time_machine.travel("2026-04-01 08:00 +0700", tick=False):
        assert services.start_report(project_a, 3, by=owner_a).quarter == 3


@pytest.mark.parametrize("who", ["other_owner_a", "viewer_a", "director_a", "head_a"])
def test_only_owner_or_plan_officer_start_and_save(request, project_a, draft, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.start_report(project_a, 2, by=user)
    before = snapshot(draft)
    with pytest.raises(PermissionDenied):
        fill(draft, user)
    assert snapshot(draft) == before


def test_the_plan_officer_may_save_for_the_owner(draft, planner_a):
    saved = fill(draft, planner_a)
    assert saved.updated_by == planner_a and saved.version == 2


def test_a_save_stores_everything(draft, owner_a, count_indicator, pct_indicator):
    saved = fill(draft, owner_a, results=[
        {"indicator": count_indicator, "actual": Decimal("45")},
        {"indicator": pct_indicator.pk, "numerator": Decimal("123"), "denominator": Decimal("150")},
    ])
    assert saved.version == 2 and saved.progress == 40 and saved.budget_disbursed == Decimal("60000")
    assert sorted(saved.disbursements.values_list("source", "amount")) == [("area", Decimal("10000")), ("obec", Decimal("50000"))]
    results = {r.indicator_id: r for r in saved.results.all()}
    assert results[count_indicator.pk].actual == Decimal("45")
    assert results[pct_indicator.pk].actual == Decimal("82.00")  # 123 / 150 × 100
    assert (results[pct_indicator.pk].numerator, results[pct_indicator.pk].denominator) == (Decimal("123"), Decimal("150"))


def test_percentage_is_rounded_to_two_decimals(draft, owner_a, pct_indicator):
    saved = fill(draft, owner_a, results=[{"indicator": pct_indicator, "numerator": 2, "denominator": 3}])
    assert saved.results.get().actual == Decimal("66.67")


def test_a_second_save_of_the_same_version_is_refused(draft, owner_a, planner_a):
    """Two people open version 1; the first saves; the second is refused and the first one's data is kept."""
    owner_copy = QuarterlyReport.objects.get(pk=draft.pk)
    planner_copy = QuarterlyReport.objects.get(pk=draft.pk)
    assert owner_copy.version == planner_copy.version == 1
    services.save_report(owner_copy, by=owner_a, data={"progress": 40, "outcomes": "ของเจ้าของโครงการ"}, expected_version=1)
    kept = snapshot(draft)
    with pytest.raises(ValidationError) as exc:
        services.save_report(planner_copy, by=planner_a, data={"progress": 90, "outcomes": "ของนักวิเคราะห์"}, expected_version=1,
                             disbursements=[{"source": "obec", "amount": 1}])
    assert exc.value.code == "stale"
    assert exc.value.messages[0].startswith("ผู้อื่นบันทึกรายงานนี้ไปแล้ว")
    assert "owner_a" in exc.value.messages[0] or owner_a.get_full_name() in exc.value.messages[0]
    assert snapshot(draft) == kept
    assert kept["fields"]["outcomes"] == "ของเจ้าของโครงการ" and kept["fields"]["version"] == 2


# --- Bad input: each refused, nothing stored --------------------------------------------------------


@pytest.fixture
def saved(draft, owner_a, count_indicator):
    return fill(draft, owner_a, results=[{"indicator": count_indicator, "actual": 45}])


def refused(report, by, **overrides) -> list[str]:
    before = snapshot(report)
    with pytest.raises(ValidationError) as exc:
        fill(report, by, data={"progress": 77, "outcomes": "ไม่ควรถูกบันทึก"}, **overrides)
    assert snapshot(report) == before
    return exc.value.messages


def test_negative_money_is_refused(saved, owner_a):
    messages = refused(saved, owner_a, disbursements=[{"source": "obec", "amount": Decimal("-1")}])
    assert "ติดลบ" in messages[0]


def test_disbursing_beyond_the_allocation_is_refused_with_the_numbers(saved, owner_a, project_a):
    q2 = services.start_report(project_a, 2, by=owner_a)
    # Q1 disbursed 50,000 of OBEC's 200,000; Q2 asks for 160,000 more.
    messages = refused(q2, owner_a, disbursements=[{"source": "obec", "amount": Decimal("160000")}])
    text = " ".join(messages)
    for number in ("50,000.00", "160,000.00", "210,000.00", "200,000.00", "150,000.00"):
        assert number in text, (number, text)


def test_a_source_without_allocation_is_refused(saved, owner_a):
    assert "0.00" in " ".join(refused(saved, owner_a, disbursements=[{"source": "other", "amount": Decimal("1")}]))


def test_without_budget_lines_the_budget_is_the_limit(other_project_a, other_owner_a):
    report = services.start_report(other_project_a, 1, by=other_owner_a)
    text = " ".join(refused(report, other_owner_a, disbursements=[{"source": "obec", "amount": Decimal("50000.01")}]))
    assert "50,000.00" in text and "50,000.01" in text
    assert fill(report, other_owner_a, disbursements=[{"source": "obec", "amount": Decimal("50000")}]).budget_disbursed == Decimal("50000")


def test_progress_over_100_is_refused(saved, owner_a):
    before = snapshot(saved)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        fill(saved, owner_a, data={"progress": 101})
    assert len(exc.value.messages) == 1 and exc.value.messages[0].startswith("Progress")  # the one refusal: progress
    assert snapshot(saved) == before


def test_a_result_for_another_projects_indicator_is_refused(saved, owner_a, other_project_a, count_indicator):
    foreign = IndicatorFactory(project=other_project_a)
    text = " ".join(refused(saved, owner_a, results=[{"indicator": count_indicator, "actual": 50}, {"indicator": foreign.pk, "actual": 1}]))
    assert str(foreign.pk) in text


@pytest.mark.parametrize("numerator, denominator", [(10, 0), (151, 150), (-1, 10), (None, 10), (5, None)])
def test_bad_percentages_are_refused(saved, owner_a, pct_indicator, numerator, denominator):
    refused(saved, owner_a, results=[{"indicator": pct_indicator, "numerator": numerator, "denominator": denominator}])


def test_a_result_needs_its_actual(saved, owner_a, count_indicator):
    refused(saved, owner_a, results=[{"indicator": count_indicator, "actual": None}])


def test_disbursements_of_another_report_count_in_any_status(saved, owner_a, planner_a, project_a):
    services.submit_report(saved, by=owner_a)
    q2 = services.start_report(project_a, 2, by=owner_a)
    fill(q2, owner_a, disbursements=[{"source": "obec", "amount": Decimal("150000")}, {"source": "area", "amount": Decimal("90000")}])
    refused(q2, owner_a, disbursements=[{"source": "area", "amount": Decimal("90000.01")}])
