"""The plan overview: who reads it, what it says before a plan exists, its totals and its filters."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from plans import selectors
from plans.models import ActionPlan, BudgetLine, Project
from tests.factories import (
    DivisionFactory,
    IndicatorFactory,
    IndicatorResultFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    StrategyFactory,
)

from .conftest import make_plan

pytestmark = pytest.mark.django_db


def url(office, fy=2569):
    return reverse("plans:plan", args=[office.area_code, fy])


def test_no_plan_yet_says_so_and_offers_the_planner_the_workbook(client, office_a, planner_a, viewer_a):
    client.force_login(planner_a)
    page = client.get(url(office_a)).content.decode()
    assert 'id="no-plan"' in page
    client.force_login(viewer_a)
    page = client.get(url(office_a)).content.decode()
    assert 'id="no-plan"' in page and 'id="submit-form"' not in page


def test_the_status_box_shows_version_reason_and_approver(client, office_a, planner_a, director_a, project_a):
    plan = make_plan(office_a, ActionPlan.Status.SUPERSEDED, by=planner_a)
    plan2 = make_plan(office_a, ActionPlan.Status.APPROVED, version=2, by=planner_a)
    ActionPlan.objects.filter(pk=plan2.pk).update(amendment_reason="โอนงบประมาณระหว่างโครงการ", approved_by=director_a,
                                                  approved_at="2025-11-03T10:30:00+07:00", snapshot={"projects": []})
    client.force_login(planner_a)
    page = client.get(url(office_a)).content.decode()
    assert "โอนงบประมาณระหว่างโครงการ" in page
    assert "3 พ.ย. 2568 10:30 น." in page  # BE date and time
    assert 'data-status="approved"' in page
    assert 'id="amend-form"' in page and 'id="submit-form"' not in page


def test_totals_by_source_and_quarter_equal_an_independent_sum(client, office_a, planner_a, division_a):
    s1 = StrategyFactory(office=office_a, code="1")
    s2 = StrategyFactory(office=office_a, code="2")
    for n in range(6):
        project = ProjectFactory(office=office_a, strategy=s1 if n % 2 else s2, division=division_a, budget=Decimal("0"))
        amounts = {"obec": Decimal(10000 * (n + 1)), "area": Decimal("3333.33") * n, "other": Decimal(n % 3) * Decimal("1000.50")}
        for source, amount in amounts.items():
            if amount:
                BudgetLine.objects.create(project=project, source=source, amount=amount,
                                          q1=amount - Decimal("0.01") * 3, q2=Decimal("0.01"), q3=Decimal("0.01"), q4=Decimal("0.01"))
        Project.objects.filter(pk=project.pk).update(budget=sum(amounts.values()))
    ProjectFactory(office=office_a, strategy=s1, division=division_a, budget=Decimal("7777"))  # no lines: unsplit
    ProjectFactory(office=office_a, fiscal_year=2568, division=division_a, budget=Decimal("999999"))  # another year

    overview = selectors.plan_overview(office_a, 2569)
    lines = BudgetLine.objects.filter(project__office=office_a, project__fiscal_year=2569)
    for source in ("obec", "area", "other"):
        assert overview.total.by_source[source] == sum((b.amount for b in lines if b.source == source), Decimal("0"))
    for q in (1, 2, 3, 4):
        assert overview.total.by_quarter[q] == sum((getattr(b, f"q{q}") for b in lines), Decimal("0"))
    assert overview.total.unsplit == Decimal("7777")
    assert overview.total.total == sum(p.budget for p in Project.objects.filter(office=office_a, fiscal_year=2569))
    by_code = {s.strategy.code: s for s in overview.strategies}
    assert by_code["1"].projects == 4 and by_code["2"].projects == 3
    assert by_code["1"].money.by_source["obec"] + by_code["2"].money.by_source["obec"] == overview.total.by_source["obec"]

    client.force_login(planner_a)
    page = client.get(url(office_a)).content.decode()
    total = overview.total.total
    assert f"{total:,.0f}" in page.split('id="grand-total"')[1].split("</tr>")[0]


def test_filters_narrow_the_project_table_not_the_frame(client, office_a, planner_a, project_a, other_project_a, other_owner_a):
    third = ProjectFactory(office=office_a, code="69-003", division=DivisionFactory(office=office_a, code="09"), budget=Decimal("1"))
    report = QuarterlyReportFactory(project=third, quarter=2, status="approved", implementation="completed")
    QuarterlyReportFactory(project=other_project_a, quarter=1, status="draft", implementation="completed")  # not counted
    client.force_login(planner_a)

    def codes(**params):
        response = client.get(url(office_a), params)
        return [r.project.code for r in response.context["overview"].rows], response.context["overview"]

    assert codes()[0] == ["69-001", "69-002", "69-003"]
    assert codes(owner=other_owner_a.pk)[0] == ["69-002"]
    assert codes(division=third.division.pk)[0] == ["69-003"]
    assert codes(status="completed")[0] == ["69-003"]
    assert codes(status="no_report")[0] == ["69-001", "69-002"]
    rows, overview = codes(strategy=project_a.strategy.pk)
    assert rows == ["69-001", "69-002"]
    assert overview.project_count == 3  # the frame keeps the whole plan
    # A project serving the strategy as one of its "other strategies" is found by it too.
    third.strategies.add(project_a.strategy)
    assert codes(strategy=project_a.strategy.pk)[0] == ["69-001", "69-002", "69-003"]
    assert report.implementation == "completed"


def test_project_rows_show_indicator_counts_and_achievement(client, office_a, planner_a, project_a):
    report = QuarterlyReportFactory(project=project_a, quarter=1, status="submitted")
    IndicatorResultFactory(report=report, indicator=project_a.indicators.get(), actual=Decimal("85"))
    IndicatorFactory(project=project_a, name="ไม่รายงาน")
    client.force_login(planner_a)
    row = client.get(url(office_a)).context["overview"].rows[0]
    assert row.achievements == ["achieved", "not_reported"]  # each indicator, id order
    assert row.achievement_counts == {"achieved": 1, "not_achieved": 0, "not_reported": 1}


def test_the_page_renders_whether_or_not_the_workbook_urls_exist(client, office_a, planner_a, draft_plan):
    """The workbook's URLs are linked with ``{% url ... as %}``, so the page never breaks on them."""
    from django.urls import NoReverseMatch

    client.force_login(planner_a)
    page = client.get(url(office_a)).content.decode()
    try:
        export = reverse("plans:plan-export", args=[office_a.area_code, 2569])
    except NoReverseMatch:
        assert 'id="export-link"' not in page
    else:
        assert export in page
