"""Who reads the follow-up pages, and their cost: the same number of queries for 10 and 60 projects × 4 quarters."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport

from .conftest import DUE, at

pytestmark = pytest.mark.django_db

PAGES = [
    ("plans:completeness", []), ("plans:disbursement", []), ("plans:indicator-tracking", []), ("plans:quarter-export", [2]),
]


@pytest.mark.parametrize("name,extra", PAGES)
def test_a_ce_year_is_not_found(client, viewer_a, office_a, name, extra):
    client.force_login(viewer_a)
    assert client.get(reverse(name, args=[office_a.area_code, 2026, *extra])).status_code == 404


@pytest.mark.parametrize("name,extra", PAGES)
def test_another_offices_pages_are_not_found(client, outsider_b, office_a, office_b, name, extra):
    client.force_login(outsider_b)
    assert client.get(reverse(name, args=[office_b.area_code, 2569, *extra])).status_code == 200
    assert client.get(reverse(name, args=[office_a.area_code, 2569, *extra])).status_code == 404


def test_the_follow_up_nav_links_the_four(client, viewer_a, office_a):
    client.force_login(viewer_a)
    html = client.get(reverse("plans:completeness", args=[office_a.area_code, 2569])).content.decode()
    for name, extra in PAGES:
        assert reverse(name, args=[office_a.area_code, 2569, *(extra or [])]) in html


def grow(office, owners, divisions, strategy, upto: int) -> None:
    """Add projects until the office has ``upto``, each with two indicators and four reports of mixed
    status (on time, late, draft, returned) with a result and money."""
    statuses = ["approved", "accepted", "draft", "returned", "submitted"]
    have = Project.objects.filter(office=office, fiscal_year=2569).count()
    for n in range(have, upto):
        project = Project.objects.create(office=office, fiscal_year=2569, code=f"69-{n:03d}", name=f"โครงการ {n}", strategy=strategy,
                                         division=divisions[n % 2], owner=owners[n % 2], budget=Decimal("40000"))
        first = Indicator.objects.create(project=project, name="ก", unit="ร้อยละ", target=Decimal("80"))
        Indicator.objects.create(project=project, name="ข", unit="คน", target=Decimal("5"), direction="lte")
        for q in (1, 2, 3, 4):
            status = statuses[(n + q) % len(statuses)]
            report = QuarterlyReport.objects.create(
                project=project, quarter=q, status=status, budget_disbursed=Decimal("5000"),
                # every third project reports a week late; drafts were never submitted
                submitted_at=None if status == "draft" else at(DUE[q] + dt.timedelta(days=0 if n % 3 else 7)),
            )
            IndicatorResult.objects.create(report=report, indicator=first, actual=Decimal((n * q) % 100))


@pytest.mark.parametrize("name,params", [
    ("plans:completeness", {}), ("plans:completeness", {"quarter": 1}), ("plans:disbursement", {}),
    ("plans:indicator-tracking", {}), ("plans:indicator-tracking", {"achievement": "achieved"}),
])
def test_queries_do_not_grow_with_projects(client, planner_a, office_a, divisions, strategy_a, owner_a, owner_b, name, params):
    client.force_login(planner_a)
    target = reverse(name, args=[office_a.area_code, 2569])
    counts = []
    for size in (10, 60):
        grow(office_a, [owner_a, owner_b], divisions, strategy_a, size)
        client.get(target, params)  # warm the session and the per-user caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target, params)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert QuarterlyReport.objects.filter(project__office=office_a).count() == 240


def test_export_queries_do_not_grow_with_projects(client, planner_a, office_a, divisions, strategy_a, owner_a, owner_b):
    client.force_login(planner_a)
    target = reverse("plans:quarter-export", args=[office_a.area_code, 2569, 3])
    counts = []
    for size in (10, 60):
        grow(office_a, [owner_a, owner_b], divisions, strategy_a, size)
        client.get(target)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
