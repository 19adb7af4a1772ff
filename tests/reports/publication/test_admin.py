"""The annual report in the Django admin: the director approves (warned first about unreviewed quarterly reports)
or returns; the plan officer publishes; nothing of a version is edited there, an approved one least of all."""
from __future__ import annotations

import pytest
from django.urls import reverse

from emes.services import ensure_office_admin_group
from plans.models import QuarterlyReport
from reports import services as build_services
from reports.models import AnnualReport
from reports.publication import services
from tests.admin_actions import ask, assert_asks, run_action
from tests.factories import QuarterlyReportFactory

from .conftest import state

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:reports_annualreport_changelist"
S = AnnualReport.Status


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(ensure_office_admin_group())
    return user


def act(client, action, report, **extra):
    """Run the action as a user does: "Go", then the confirmation page's button with ``extra`` typed there (issue 17)."""
    return run_action(client, reverse(CHANGELIST), action, [report.pk], **extra)


@pytest.fixture
def submitted(draft, planner_a):
    services.update_narrative(draft, by=planner_a, foreword="คำนำ", executive_summary="สรุป", problems_synthesis="")
    return services.submit_report(draft, by=planner_a)


def test_director_is_warned_of_unreviewed_reports_then_approves_despite(client, director_a, submitted, plan_a):
    QuarterlyReportFactory(project=plan_a, quarter=2, status=QuarterlyReport.Status.SUBMITTED)
    client.force_login(staff(director_a))
    before = state(submitted)
    page = act(client, "approve_reports", submitted)
    warned = [str(m) for m in page.context["messages"]]
    assert any(services.UnreviewedReports(1).messages[0] in m for m in warned), warned
    assert state(submitted) == before
    act(client, "approve_reports_despite_unreviewed", submitted)
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED and submitted.transitions.last().by == director_a


def test_director_returns_with_a_required_comment(client, director_a, submitted):
    client.force_login(staff(director_a))
    before = state(submitted)
    assert "comment" in act(client, "return_reports", submitted).content.decode()
    assert state(submitted) == before
    act(client, "return_reports", submitted, comment="ปรับบทสรุป")
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED and submitted.transitions.last().comment == "ปรับบทสรุป"


def test_plan_officer_has_no_approve_action_and_an_approved_version_is_not_changed_in_the_admin(client, planner_a, director_a, submitted):
    client.force_login(staff(planner_a))
    assert "approve_reports" not in client.get(reverse(CHANGELIST)).content.decode()
    act(client, "approve_reports", submitted)
    assert AnnualReport.objects.get(pk=submitted.pk).status == S.SUBMITTED
    report = services.approve_report(submitted, by=director_a)
    build_services.run_report_job(report.builds.get().pk)
    before = state(report)
    change = reverse("admin:reports_annualreport_change", args=[report.pk])
    client.post(change, {"foreword": "แก้ในแอดมิน", "status": "draft"})
    client.force_login(staff(director_a))
    client.post(change, {"foreword": "แก้ในแอดมิน", "status": "draft"})
    assert state(report) == before
    act(client, "publish_reports", report)  # the director does not publish: the plan officer does
    assert AnnualReport.objects.get(pk=report.pk).status == S.APPROVED
    client.force_login(planner_a)
    act(client, "publish_reports", report)
    assert AnnualReport.objects.get(pk=report.pk).status == S.PUBLISHED


def test_approving_asks_first_with_the_reports_and_the_unreviewed_ones(client, director_a, submitted, plan_a):
    """Issue 17 in the admin: "Go" on either approval shows the versions, the quarterly reports still waiting and what
    approving does; nothing is approved or built before the confirming POST."""
    QuarterlyReportFactory(project=plan_a, quarter=2, status=QuarterlyReport.Status.SUBMITTED)
    client.force_login(staff(director_a))
    before = state(submitted)
    url = reverse(CHANGELIST)
    page = ask(client, url, "approve_reports", [submitted.pk])
    assert_asks(page, url, "approve_reports", [submitted.pk], "อนุมัติรายงานประจำปี 1 ฉบับหรือไม่", "ระบบจะสร้าง PDF ฉบับอนุมัติ",
                "จะไม่ได้รับอนุมัติ และระบบจะแจ้งจำนวนที่รอตรวจ", str(submitted), "รายงานรายไตรมาสที่รอตรวจ: 1 ฉบับ",
                "ยืนยันอนุมัติรายงานประจำปี 1 ฉบับ")
    page = ask(client, url, "approve_reports_despite_unreviewed", [submitted.pk])
    assert_asks(page, url, "approve_reports_despite_unreviewed", [submitted.pk], "แม้ยังมีรายงานรายไตรมาสของปีนั้นรอตรวจ",
                "รายงานรายไตรมาสที่รอตรวจ: 1 ฉบับ")
    assert state(submitted) == before


def test_returning_asks_first_with_the_comment_on_the_same_page(client, director_a, submitted):
    client.force_login(staff(director_a))
    before = state(submitted)
    url = reverse(CHANGELIST)
    page = client.post(url, {"action": "return_reports", "_selected_action": [submitted.pk], "index": "0", "comment": "ปรับบทสรุป"})
    assert_asks(page, url, "return_reports", [submitted.pk], "ส่งรายงานประจำปี 1 ฉบับกลับไปแก้ไขหรือไม่", "ความเห็นของท่านในประวัติ", str(submitted))
    assert state(submitted) == before


def test_publishing_asks_first_then_publishes(client, planner_a, director_a, submitted):
    report = services.approve_report(submitted, by=director_a)
    build_services.run_report_job(report.builds.get().pk)
    client.force_login(staff(planner_a))
    before = state(report)
    url = reverse(CHANGELIST)
    page = ask(client, url, "publish_reports", [report.pk])
    assert_asks(page, url, "publish_reports", [report.pk], "เผยแพร่รายงานประจำปี 1 ฉบับหรือไม่", "หน้าสาธารณะของเขต", str(report),
                "ยืนยันเผยแพร่รายงานประจำปี 1 ฉบับ")
    assert state(report) == before
    run_action(client, url, "publish_reports", [report.pk])
    assert AnnualReport.objects.get(pk=report.pk).status == S.PUBLISHED
