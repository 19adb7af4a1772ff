"""The project page: every detail, the month strip, derived achievement, the quarterly reports."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Project
from reports.selectors import annual_report_data
from tests.factories import IndicatorFactory, IndicatorResultFactory, QuarterlyReportFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def url(project, area_code=None):
    return reverse("plans:project", args=[area_code or project.office.area_code, project.pk])


def test_the_area_code_must_be_the_projects_office(client, planner_a, project_a, office_b):
    from emes.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=planner_a, office=office_b, role=Role.VIEWER)  # staff of both offices
    client.force_login(planner_a)
    assert client.get(url(project_a, office_b.area_code)).status_code == 404


def test_the_page_shows_details_money_months_reports(client, viewer_a, project_a, office_a):
    other = StrategyFactory(office=None, level="obec", code="2", name="นโยบายด้านความปลอดภัย")
    project_a.strategies.add(other)
    Project.objects.filter(pk=project_a.pk).update(start_date=dt.date(2025, 10, 1), end_date=dt.date(2026, 9, 30),
                                                   rationale="เหตุผลของโครงการ", targets_quality="ครูร้อยละ 80 นำไปใช้")
    QuarterlyReportFactory(project=project_a, quarter=1, status="accepted", progress=40, budget_disbursed=Decimal("12345.50"),
                           submitted_at=timezone.make_aware(dt.datetime(2026, 1, 6, 9, 15)))
    client.force_login(viewer_a)
    response = client.get(url(project_a))
    page = response.content.decode()
    assert "1 ตุลาคม 2568" in page and "30 กันยายน 2569" in page  # the period in BE
    assert "นโยบายด้านความปลอดภัย" in page and "เหตุผลของโครงการ" in page and "ครูร้อยละ 80 นำไปใช้" in page
    assert "200,000.00" in page and "100,000.00" in page
    assert "12,345.50" in page and "6 ม.ค. 2569 09:15 น." in page
    strip = page.split('id="activities"')[1].split("</table>")[0]
    assert strip.count('class="on"') == 5  # ต.ค. พ.ย. for the first activity, ม.ค.-มี.ค. for the second
    assert "ต.ค." in strip or "Oct" in strip


def test_achievement_is_the_annual_reports_rule(client, viewer_a, project_a, office_a):
    """Latest counted quarter wins; drafts do not count; ≤ indicators compare downwards."""
    reading = project_a.indicators.get()
    dropouts = IndicatorFactory(project=project_a, name="จำนวนนักเรียนออกกลางคัน", unit="คน", target=Decimal("5"), direction="lte")
    silent = IndicatorFactory(project=project_a, name="ยังไม่รายงาน")
    q1 = QuarterlyReportFactory(project=project_a, quarter=1, status="approved")
    q2 = QuarterlyReportFactory(project=project_a, quarter=2, status="submitted")
    q3 = QuarterlyReportFactory(project=project_a, quarter=3, status="draft")
    IndicatorResultFactory(report=q1, indicator=reading, actual=Decimal("90"))
    IndicatorResultFactory(report=q2, indicator=reading, actual=Decimal("70"))  # latest counted: not achieved
    IndicatorResultFactory(report=q3, indicator=reading, actual=Decimal("99"))  # a draft: ignored
    IndicatorResultFactory(report=q2, indicator=dropouts, actual=Decimal("3"))
    client.force_login(viewer_a)
    rows = {r.indicator.pk: r for r in client.get(url(project_a)).context["detail"].indicators}
    assert rows[reading.pk].achievement == "not_achieved" and rows[reading.pk].actual == Decimal("70")
    assert rows[dropouts.pk].achievement == "achieved"
    assert rows[silent.pk].achievement == "not_reported"
    annual = {r.indicator.pk: r.achievement for b in annual_report_data(office_a, 2569).strategies for p in b.projects for r in p.indicators}
    assert annual == {pk: r.achievement for pk, r in rows.items()}


def test_edit_button_only_for_editors_while_draft(client, users, project_a, draft_plan):
    def has_edit(role):
        client.force_login(users[role])
        return 'id="edit-link"' in client.get(url(project_a)).content.decode()

    assert has_edit("planner") and has_edit("owner")
    assert not has_edit("other_owner") and not has_edit("viewer") and not has_edit("division_head")
    draft_plan.status = "approved"
    draft_plan.save(update_fields=["status"])
    client.force_login(users["owner"])
    page = client.get(url(project_a)).content.decode()
    assert 'id="edit-link"' not in page and 'id="edit-locked"' in page
