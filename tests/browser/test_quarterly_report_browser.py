"""In headless Chromium: the owner files a quarterly report, the plan officer returns it, the owner fixes and
resubmits it, the plan officer accepts it and the director approves it in the Django admin."""
from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from emes.models import Role
from emes.services import ensure_office_admin_group
from plans.models import QuarterlyReport
from tests.factories import (
    PASSWORD,
    BudgetLineFactory,
    DivisionFactory,
    IndicatorFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cast(office_a, planner_a, director_a):
    division = DivisionFactory(office=office_a, code="05", name="กลุ่มนโยบายและแผน")
    owner = UserFactory(username="owner_a", first_name="สมหญิง", last_name="ใจดี")
    MembershipFactory(user=owner, office=office_a, role=Role.PROJECT_OWNER, division=division)
    project = ProjectFactory(office=office_a, code="69-001", name="โครงการยกระดับการอ่าน", division=division, owner=owner,
                             budget=Decimal("300000"))
    BudgetLineFactory(project=project, source="obec", amount=Decimal("200000"))
    BudgetLineFactory(project=project, source="area", amount=Decimal("100000"))
    IndicatorFactory(project=project, name="จำนวนครูที่ผ่านการอบรม", unit="คน", target=Decimal("50"))
    IndicatorFactory(project=project, name="ร้อยละของนักเรียนที่อ่านออก", unit="ร้อยละ", target=Decimal("80"), is_percentage=True)
    director_a.is_staff = True
    director_a.save(update_fields=["is_staff"])
    director_a.groups.add(ensure_office_admin_group())
    return owner, project


def login(page, url, username):
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_report_goes_from_owner_to_director(page, live_server, cast, planner_a, director_a, tmp_path):
    owner, project = cast
    evidence = tmp_path / "ภาพกิจกรรม อบรมครู.pdf"
    evidence.write_bytes(PDF)
    report_url = live_server.url + reverse("plans:report", args=["9901", project.pk, 1])
    with time_machine.travel("2026-01-20 09:00 +0700"):
        # The owner starts from the project page, fills the report and saves it.
        login(page, live_server.url + reverse("plans:project", args=["9901", project.pk]), owner.username)
        page.locator("#report-links").get_by_role("link", name="ไตรมาส 1/2569").click()
        page.locator("#edit-report").click()
        page.wait_for_selector("#report-form")
        page.get_by_label("สถานะการดำเนินงาน").select_option("in_progress")
        page.get_by_label("ความก้าวหน้า (ร้อยละ)").fill("40")
        page.get_by_label("กิจกรรมที่ดำเนินการในไตรมาส").fill("อบรมครูภาษาไทย 2 รุ่น")
        page.get_by_label("ผลผลิตและผลลัพธ์").fill("ครูผ่านการอบรม 45 คน")
        page.get_by_label("ปัญหาอุปสรรค").fill("งบประมาณโอนล่าช้า")
        page.locator('[name="money-0-amount"]').fill("50000")
        page.locator('[name="results-0-actual"]').fill("45")
        page.locator('[name="results-1-numerator"]').fill("120")
        page.locator('[name="results-1-denominator"]').fill("150")
        page.screenshot(path="/tmp/qr_1_owner_form.png", full_page=True)
        page.locator("#save").click()
        page.wait_for_selector("#report-facts")
        assert page.locator("#disbursed-now").inner_text() == "50,000.00"
        assert "80" in page.locator("#results").inner_text()  # 120 / 150 × 100
        # Evidence, then submit: seven working days after the due date of 9 January 2026.
        page.set_input_files("#id_file", str(evidence))
        page.locator("#upload-evidence").click()
        page.wait_for_selector("#evidence-list [data-evidence]")
        assert "ภาพกิจกรรม_อบรมครู.pdf" in page.locator("#evidence-list").inner_text()
        page.locator("#submit-report").click()
        page.wait_for_selector('[data-status="submitted"]')
        assert page.locator("#lateness").get_attribute("data-days") == "7"
        page.screenshot(path="/tmp/qr_2_owner_submitted.png", full_page=True)

        # The plan officer finds it in the inbox and returns it with a comment (an empty one is refused).
        login(page, live_server.url + reverse("plans:review-inbox", args=["9901"]), planner_a.username)
        page.screenshot(path="/tmp/qr_3_planner_inbox.png", full_page=True)
        page.locator("#to-accept").get_by_role("link", name="69-001").click()
        page.locator("#return-report").click()
        assert page.locator(".alert-danger, .alert-error").first.is_visible()
        page.locator("#return-comment").fill("โปรดระบุจำนวนโรงเรียนที่เข้าร่วมในผลผลิต")
        page.locator("#return-report").click()
        page.wait_for_selector('[data-status="returned"]')
        page.screenshot(path="/tmp/qr_4_planner_returned.png", full_page=True)

        # The owner reads the comment, fixes the report and submits it again from the form.
        login(page, report_url, owner.username)
        page.locator("#edit-report").click()
        assert "โปรดระบุจำนวนโรงเรียน" in page.locator("#returned-comment").inner_text()
        page.get_by_label("ผลผลิตและผลลัพธ์").fill("ครูผ่านการอบรม 45 คน จาก 30 โรงเรียน")
        page.screenshot(path="/tmp/qr_5_owner_fixing.png", full_page=True)
        page.locator("#save-submit").click()
        page.wait_for_selector('[data-status="submitted"]')

        # The plan officer accepts it from the inbox.
        login(page, live_server.url + reverse("plans:review-inbox", args=["9901"]), planner_a.username)
        page.locator("#to-accept input[name=reports]").first.check()
        page.locator("#bulk-accept").click()
        # The confirming step says what will happen (issue 17); nothing is accepted before it.
        page.wait_for_selector("#confirm-step")
        assert QuarterlyReport.objects.get().status == "submitted"
        page.screenshot(path="/tmp/qr_5b_confirm_accept.png", full_page=True)
        page.locator("#confirm-button").click()
        page.wait_for_selector(".alert-success")
        assert QuarterlyReport.objects.get().status == "accepted"

        # The director approves it in the Django admin.
        login(page, live_server.url + reverse("admin:plans_quarterlyreport_changelist"), director_a.username)
        page.locator("input.action-select").first.check()
        page.locator("select[name=action]").select_option("approve_selected_reports")
        page.screenshot(path="/tmp/qr_6_admin_action.png", full_page=True)
        page.locator("button[name=index]").click()
        # The admin asks first too (issue 17): what will happen, the report; nothing is approved before the button.
        page.wait_for_selector("#confirm-step")
        assert QuarterlyReport.objects.get().status == "accepted"
        page.locator("#confirm-button").click()
        page.wait_for_selector(".messagelist .success")
        page.screenshot(path="/tmp/qr_7_admin_approved.png", full_page=True)

        report = QuarterlyReport.objects.get()
        assert report.status == "approved" and report.outcomes == "ครูผ่านการอบรม 45 คน จาก 30 โรงเรียน"
        assert list(report.transitions.values_list("to_status", flat=True)) == [
            "draft", "submitted", "returned", "submitted", "accepted", "approved",
        ]
        page.goto(report_url)
        page.wait_for_selector('[data-status="approved"]')
        page.screenshot(path="/tmp/qr_8_approved_report.png", full_page=True)
