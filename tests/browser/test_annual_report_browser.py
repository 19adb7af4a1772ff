"""In headless Chromium: log in, build the annual report, watch its status, download the PDF."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(office_a):
    for i in range(3):
        project = ProjectFactory(office=office_a, budget=Decimal("100000") * (i + 1))
        IndicatorResultFactory(report=QuarterlyReportFactory(project=project))
    return office_a


def test_director_builds_and_downloads_the_annual_report(page, live_server, director_a, plan, celery_worker_process, tmp_path):
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("ชื่อผู้ใช้").fill(director_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("link", name=re.compile("รายงานประจำปีงบประมาณ 2569")).click()
    page.get_by_role("button", name="สร้างรายงาน").click()

    row = page.locator("#jobs tr[data-job]").first
    # The worker picks the job up from Redis; the page polls until it is done.
    statuses = set()
    for _ in range(300):
        statuses.add(row.locator(".job-status").get_attribute("data-status"))
        if "done" in statuses or "failed" in statuses:
            break
        page.wait_for_timeout(100)
    assert "done" in statuses, statuses
    page.screenshot(path=str(tmp_path / "annual-report-page.png"), full_page=True)
    assert row.locator(".job-status").inner_text() == "เสร็จสิ้น"

    with page.expect_download() as info:
        row.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.suggested_filename == f"annual-report-{plan.area_code}-2569-{row.get_attribute('data-job')}.pdf"
