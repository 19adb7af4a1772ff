"""Cost (issue 4): the overview and the indicator list run the same number of queries for 10 and 150 projects."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Activity, BudgetLine, Indicator, IndicatorResult, Project, QuarterlyReport, Strategy
from tests.factories import DivisionFactory, StrategyFactory

from .conftest import make_plan

pytestmark = pytest.mark.django_db


def grow(office, owners, divisions, strategies, upto: int) -> None:
    """Add projects until the office has ``upto``, each with two budget lines, an activity, two
    indicators, a counted report with one result, and another strategy served."""
    have = Project.objects.filter(office=office, fiscal_year=2569).count()
    for n in range(have, upto):
        project = Project.objects.create(
            office=office, fiscal_year=2569, code=f"69-{n:03d}", name=f"โครงการ {n}", strategy=strategies[n % 3],
            division=divisions[n % 2], owner=owners[n % 2], budget=Decimal("40000"),
        )
        project.strategies.add(strategies[(n + 1) % 3])
        BudgetLine.objects.create(project=project, source="obec", amount=Decimal("30000"), q1=Decimal("30000"))
        BudgetLine.objects.create(project=project, source="area", amount=Decimal("10000"), q4=Decimal("10000"))
        Activity.objects.create(project=project, order=1, name="กิจกรรม", months=[10], budget=Decimal("1000"))
        first = Indicator.objects.create(project=project, name="ก", unit="ร้อยละ", target=Decimal("80"))
        Indicator.objects.create(project=project, name="ข", unit="คน", target=Decimal("5"), direction="lte")
        report = QuarterlyReport.objects.create(project=project, quarter=1, status="submitted", implementation="in_progress")
        IndicatorResult.objects.create(report=report, indicator=first, actual=Decimal(n % 100))
    Indicator.objects.get_or_create(strategy=strategies[0], name="ตัวชี้วัดกลยุทธ์", defaults={"unit": "ร้อยละ", "target": Decimal("50")})


@pytest.mark.parametrize("name,params", [
    ("plans:plan", {}), ("plans:plan", {"status": "in_progress", "strategy": "STRATEGY"}),
    ("plans:indicators", {}), ("plans:indicators", {"achievement": "achieved", "division": "DIVISION"}),
])
def test_queries_do_not_grow_with_projects(client, office_a, planner_a, viewer_a, owner_a, other_owner_a, name, params):
    divisions = [DivisionFactory(office=office_a, code="01"), DivisionFactory(office=office_a, code="02")]
    strategies = [StrategyFactory(office=office_a, code=str(i)) for i in (1, 2, 3)]
    make_plan(office_a, "draft", by=planner_a)
    params = {k: {"STRATEGY": strategies[0].pk, "DIVISION": divisions[0].pk}.get(v, v) for k, v in params.items()}
    client.force_login(planner_a)
    target = reverse(name, args=[office_a.area_code, 2569])

    counts = []
    for size in (10, 150):
        grow(office_a, [owner_a, other_owner_a], divisions, strategies, size)
        client.get(target, params)  # warm the session and the per-user caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target, params)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert Project.objects.filter(office=office_a).count() == 150
    assert Strategy.objects.filter(office=office_a).count() == 3


@pytest.mark.parametrize("name,row,per_project", [("plans:plan", "data-project=", 1), ("plans:indicators", "data-indicator=", 2)])
def test_long_lists_are_paginated_with_the_filters_kept(client, office_a, planner_a, owner_a, other_owner_a, name, row, per_project,
                                                         django_assert_max_num_queries):
    # Issue 18: the 150-project plan's lists are shown 50 rows a page; totals stay over every row; the pager's
    # links keep the filters; a later page costs the same queries as the first.
    from emes.paging import PAGE_SIZE

    divisions = [DivisionFactory(office=office_a, code="01"), DivisionFactory(office=office_a, code="02")]
    strategies = [StrategyFactory(office=office_a, code=str(i)) for i in (1, 2, 3)]
    make_plan(office_a, "draft", by=planner_a)
    grow(office_a, [owner_a, other_owner_a], divisions, strategies, 150)
    client.force_login(planner_a)
    target = reverse(name, args=[office_a.area_code, 2569])
    params = {"division": divisions[0].pk}  # 75 projects of division 01

    first = client.get(target, params)
    with CaptureQueriesContext(connection) as ctx:
        client.get(target, params)
    html = first.content.decode()
    assert html.count(row) == PAGE_SIZE
    assert f"division={divisions[0].pk}&amp;page=2" in html or f"page=2&amp;division={divisions[0].pk}" in html
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        last = client.get(target, {**params, "page": "999"})  # past the end: the last page, not an error
    rows = 75 * per_project - PAGE_SIZE * ((75 * per_project - 1) // PAGE_SIZE)
    assert last.status_code == 200 and last.content.decode().count(row) == rows
    assert client.get(target, {**params, "page": "x"}).content.decode().count(row) == PAGE_SIZE
