"""In headless Chromium: the plan officer imports the action plan workbook, checks the preview, confirms, finds the projects."""
from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import PlanImport, Project
from tests.factories import PASSWORD
from tests.plans.workbook.conftest import build, frame  # noqa: F401  (the fixture of office A's divisions and strategies)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_officer_imports_the_plan_workbook(page, live_server, planner_a, office_a, frame, tmp_path):  # noqa: F811
    path = tmp_path / "แผนปฏิบัติการ 2569.xlsx"
    path.write_bytes(build(office_a))

    page.goto(live_server.url + reverse("plans:plan", args=[office_a.area_code, 2569]))
    page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.locator("#import-link").click()
    page.wait_for_selector("#upload-form")
    assert "ขนาดไม่เกิน 5 MB" in page.content()
    page.screenshot(path="/tmp/plan_upload.png", full_page=True)

    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_selector("#preview-counts")
    assert page.locator('[data-count="projects-added"]').inner_text() == "2"
    assert page.locator('[data-count="indicators-added"]').inner_text() == "4"
    assert page.locator('[data-count="activities-added"]').inner_text() == "3"
    assert page.locator('[data-count="budget_lines-added"]').inner_text() == "2"
    assert page.get_by_text("โครงการสำนักงานปลอดภัย").first.is_visible()
    page.screenshot(path="/tmp/plan_preview.png", full_page=True)
    assert Project.objects.count() == 0

    page.locator("#apply-button").click()
    page.wait_for_selector("#projects")
    page.screenshot(path="/tmp/plan_applied.png", full_page=True)
    assert page.locator('#projects tr[data-project="69-01-001"]').get_by_text("โครงการสำนักงานปลอดภัย").is_visible()
    assert page.locator('#projects tr[data-project="69-02-001"]').get_by_text("โครงการจัดทำแผน").is_visible()
    assert sorted(Project.objects.values_list("code", flat=True)) == ["69-01-001", "69-02-001"]
    assert PlanImport.objects.get().status == PlanImport.Status.APPLIED


def test_a_bad_workbook_shows_its_problems_in_the_browser(page, live_server, planner_a, office_a, frame, tmp_path):  # noqa: F811
    from tests.plans.workbook.conftest import base_rows

    rows = base_rows()
    rows.projects[1].update(division="11", start_date="1/10/2025")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build(office_a, rows))
    page.goto(live_server.url + reverse("plans:plan-import", args=[office_a.area_code, 2569]))
    page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    page.wait_for_selector("#problem-table")
    rows_shown = page.locator("#problem-table tbody tr")
    assert rows_shown.count() == 2
    assert "ปี 2025 เป็นปี ค.ศ. กรุณาใช้ปี พ.ศ. (2568)" in rows_shown.nth(1).inner_text()
    page.screenshot(path="/tmp/plan_problems.png", full_page=True)
    assert Project.objects.count() == 0 and PlanImport.objects.count() == 0
