"""In headless Chromium: the literacy summary's "build PDF" button queues a document job (emes.documents), a real
Celery worker builds it, the page follows queued → running % → done without reloading and offers the PDF."""
from __future__ import annotations

import random

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from tests.literacy.summary.conftest import make_round, school_with_results

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_planner_builds_the_literacy_summary_pdf(page, live_server, planner_a, office_a, celery_worker_process, tmp_path):
    rnd = make_round(office_a)
    rng = random.Random(3)
    for n in range(12):
        school_with_results(office_a, rnd, rng, n)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(live_server.url + reverse("literacy:summary", args=[office_a.area_code, rnd.pk]))
    page.get_by_role("button", name="สร้าง PDF รายงานสรุป").click()

    block = page.locator("#summary-document")
    statuses = []
    for _ in range(600):
        status = block.locator(".job-status").get_attribute("data-status")
        if not statuses or statuses[-1] != status:
            statuses.append(status)
            page.screenshot(path=f"/tmp/pdfjobs-summary-{status}.png", full_page=False)
        if status in ("done", "failed"):
            break
        page.wait_for_timeout(100)
    assert statuses[-1] == "done", (statuses, block.locator(".job-error").inner_text())
    assert statuses[0] in ("queued", "running")

    with page.expect_download() as info:
        block.get_by_role("link", name="ดาวน์โหลด PDF").click()
    download = info.value
    path = tmp_path / "summary.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.suggested_filename == f"literacy-summary-{office_a.area_code}-{rnd.academic_year}-{rnd.number}.pdf"
    path.rename("/tmp/pdfjobs-summary.pdf")


def test_the_round_report_button_builds_with_a_worker(page, live_server, office_a, planner_a, celery_worker_process):
    from inspections import services

    r = services.create_round(office_a, by=planner_a, fiscal_year=2569, number=1, confirm=True)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.goto(live_server.url + reverse("inspections:round", args=[office_a.area_code, r.pk]))
    page.get_by_role("button", name="สร้างรายงานผลการตรวจ (PDF)").click()
    block = page.locator("#round-document")
    for _ in range(600):
        if block.locator(".job-status").get_attribute("data-status") in ("done", "failed"):
            break
        page.wait_for_timeout(100)
    page.screenshot(path="/tmp/pdfjobs-round-done.png")
    assert block.locator(".job-status").get_attribute("data-status") == "done", block.locator(".job-error").inner_text()
    assert block.get_by_role("link", name="ดาวน์โหลด PDF").count() == 1
