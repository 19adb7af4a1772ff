"""In headless Chromium, the life of the annual report (issue 15): the plan officer requests it, writes the
foreword, builds (in a background thread: no broker), submits; the director returns it; the plan officer edits
and submits again; the director approves (warned of unreviewed reports first); the plan officer publishes; an
anonymous visitor downloads the approved PDF from the office's public page."""
from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import QuarterlyReport
from reports import services as build_services
from tests.factories import PASSWORD, ProjectFactory, QuarterlyReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_PDF = b"%PDF-1.7 the book is built by reports.annual\n%%EOF"


@pytest.fixture
def plan(office_a, settings, monkeypatch):
    settings.EMES_JOBS_IN_THREAD = True
    monkeypatch.setattr(build_services, "build_annual_report_pdf", lambda *a, progress=lambda p: None, narrative=None: FAKE_PDF)
    project = ProjectFactory(office=office_a, fiscal_year=2569)
    QuarterlyReportFactory(project=project, quarter=1, status=QuarterlyReport.Status.ACCEPTED)
    QuarterlyReportFactory(project=project, quarter=2, status=QuarterlyReport.Status.SUBMITTED)
    return office_a


def login(page, url, user):
    page.context.clear_cookies()
    page.goto(url + reverse("login"))
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def wait_done(page):
    row = page.locator("#jobs tr[data-job]").first
    for _ in range(200):
        if row.locator(".job-status").get_attribute("data-status") in ("done", "failed"):
            break
        page.wait_for_timeout(100)
    assert row.locator(".job-status").get_attribute("data-status") == "done"


def test_request_write_build_submit_return_approve_publish_and_read_in_public(page, live_server, plan, planner_a, director_a):
    page.on("dialog", lambda dialog: dialog.accept())
    annual = live_server.url + reverse("reports:annual-report", args=[plan.area_code, 2569])
    login(page, live_server.url, planner_a)
    page.goto(annual)
    page.locator("#request-button").click()
    page.locator("#edit-button").click()
    page.get_by_label("คำนำ", exact=True).fill("คำนำฉบับแรก")
    page.locator("#save-narrative").click()
    page.locator("#build-button").click()
    wait_done(page)
    page.locator("#submit-button").click()
    assert page.locator("#current-status").inner_text() == "เสนอผู้อำนวยการแล้ว"

    login(page, live_server.url, director_a)
    page.goto(annual)
    page.locator("#return-comment").fill("เพิ่มวิสัยทัศน์")
    page.locator("#return-button").click()
    assert page.locator("#current-status").inner_text() == "ส่งกลับแก้ไข"

    login(page, live_server.url, planner_a)
    page.goto(annual)
    page.locator("#edit-button").click()
    page.get_by_label("คำนำ", exact=True).fill("คำนำฉบับแก้ไขตามวิสัยทัศน์")
    page.locator("#save-narrative").click()
    page.locator("#submit-button").click()

    login(page, live_server.url, director_a)
    page.goto(annual)
    page.locator("#approve-button").click()
    assert "1" in page.locator("#unreviewed-warning").inner_text()
    page.locator("#approve-anyway").click()
    wait_done(page)  # the freezing build; the page reloads when it is done
    page.wait_for_selector("#checksum")

    login(page, live_server.url, planner_a)
    page.goto(annual)
    assert page.locator("#edit-button").count() == 0 and page.locator("#build-button").count() == 0
    page.locator("#publish-button").click()
    assert page.locator("#current-status").inner_text() == "เผยแพร่แล้ว"

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("public:office", args=[plan.area_code]))
    href = page.locator("#published-reports a").first.get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.status == 200 and response.body() == FAKE_PDF
