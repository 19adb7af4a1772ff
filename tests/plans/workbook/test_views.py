"""Plan workbook pages: who gets what, the upload → preview → apply flow, refusals shown by sheet, row and column."""
from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from plans import services as plan_services
from plans.models import ActionPlan, PlanImport, Project
from plans.workbook import services
from tests.factories import UserFactory

from .conftest import FY, base_rows, build, plan_state, upload

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan_import(office_a, planner_a, frame) -> PlanImport:
    return services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)


def _urls(office, plan_import, fiscal_year=FY) -> dict[str, str]:
    return {
        "template": reverse("plans:plan-template", args=[office.area_code, fiscal_year]),
        "export": reverse("plans:plan-export", args=[office.area_code, fiscal_year]),
        "import": reverse("plans:plan-import", args=[office.area_code, fiscal_year]),
        "preview": reverse("plans:plan-import-preview", args=[office.area_code, fiscal_year, plan_import.pk]),
    }


def test_a_user_without_a_membership_finds_none_of_the_workbook_pages(client, office_a, plan_import):
    """The other roles' answers on these four pages are in tests/test_permission_matrix.py (plans:plan-template,
    plans:plan-export, plans:plan-import, plans:plan-import-preview); a signed-in user of no office is not in its cast."""
    client.force_login(UserFactory(username="nobody"))
    for name, url in _urls(office_a, plan_import).items():
        assert client.get(url).status_code == 404, name


def test_a_ce_year_or_another_year_in_the_url_is_404(client, planner_a, office_a, plan_import):
    client.force_login(planner_a)
    for url in _urls(office_a, plan_import, fiscal_year=2026).values():
        assert client.get(url).status_code == 404
    assert client.get(_urls(office_a, plan_import, fiscal_year=2570)["preview"]).status_code == 404  # the import is of 2569


def test_the_import_of_another_office_is_404(client, office_b, outsider_b, plan_import):
    client.force_login(outsider_b)
    url = reverse("plans:plan-import-preview", args=[office_b.area_code, FY, plan_import.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "apply"}).status_code == 404
    assert PlanImport.objects.get().status == PlanImport.Status.PREVIEWED and Project.objects.count() == 0


def test_staff_who_are_not_the_plan_officer_cannot_apply(client, viewer_a, director_a, office_a, plan_import):
    for user in (viewer_a, director_a):
        client.force_login(user)
        assert client.post(_urls(office_a, plan_import)["preview"], {"action": "apply"}).status_code == 403
        assert client.post(_urls(office_a, plan_import)["import"], {"file": upload(build(office_a))}).status_code == 403
    assert Project.objects.count() == 0 and PlanImport.objects.count() == 1


def test_downloads(client, viewer_a, office_a, frame):
    client.force_login(viewer_a)
    response = client.get(reverse("plans:plan-template", args=[office_a.area_code, FY]))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="plan-template-9901-2569.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "คำอธิบาย"
    response = client.get(reverse("plans:plan-export", args=[office_a.area_code, FY]))
    assert response["Content-Disposition"] == 'attachment; filename="plan-9901-2569.xlsx"'


def test_upload_preview_apply(client, planner_a, office_a, frame):
    client.force_login(planner_a)
    url = reverse("plans:plan-import", args=[office_a.area_code, FY])
    page = client.get(url).content.decode()
    assert "ขนาดไม่เกิน 5 MB" in page  # the limit is stated
    assert reverse("plans:plan-template", args=[office_a.area_code, FY]) in page

    response = client.post(url, {"file": upload(build(office_a))})
    plan_import = PlanImport.objects.get()
    preview_url = reverse("plans:plan-import-preview", args=[office_a.area_code, FY, plan_import.pk])
    assert response.status_code == 302 and response.url == preview_url
    page = client.get(preview_url).content.decode()
    assert 'data-count="projects-added">2<' in page and 'data-count="indicators-added">4<' in page
    assert "69-01-001" in page and "โครงการสำนักงานปลอดภัย" in page
    assert Project.objects.count() == 0

    response = client.post(preview_url, {"action": "apply", "fingerprint": plan_import.summary["fingerprint"]})
    assert response.status_code == 302 and response.url == f"/o/{office_a.area_code}/plan/{FY}/"  # the plan overview
    assert sorted(Project.objects.values_list("code", flat=True)) == ["69-01-001", "69-02-001"]
    page = client.get(preview_url).content.decode()
    assert 'id="import-status"' in page and "นำเข้าแล้ว" in page
    # Applying again is refused with a message, nothing changes.
    before = plan_state()
    response = client.post(preview_url, {"action": "apply", "fingerprint": plan_import.summary["fingerprint"]}, follow=True)
    assert "ไฟล์นี้นำเข้าไปแล้ว" in response.content.decode()
    assert plan_state() == before


def test_a_bad_file_shows_every_problem_by_sheet_row_and_column(client, planner_a, office_a, frame):
    client.force_login(planner_a)
    rows = base_rows()
    rows.projects[1].update(division="11", budget="ห้าหมื่น")
    before = plan_state()
    response = client.post(reverse("plans:plan-import", args=[office_a.area_code, FY]), {"file": upload(build(office_a, rows))})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="problem-table"' in page
    assert '<td class="text-nowrap">โครงการ</td><td>3</td><td>กลุ่มที่รับผิดชอบ *</td><td>ไม่พบกลุ่มรหัส &quot;11&quot; ในสำนักงานนี้ กรุณาใช้รหัส: 01, 02</td>' in page
    assert "<td>งบประมาณ (บาท)</td>" in page
    assert plan_state() == before


def test_a_stale_preview_is_refused_with_a_message(client, planner_a, office_a, frame):
    client.force_login(planner_a)
    first = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    second = services.upload_plan_workbook(office_a, FY, upload(build(office_a)), by=planner_a)
    services.apply_plan_import(first, by=planner_a)
    url = reverse("plans:plan-import-preview", args=[office_a.area_code, FY, second.pk])
    response = client.post(url, {"action": "apply", "fingerprint": second.summary["fingerprint"]}, follow=True)
    assert "แผนมีการเปลี่ยนแปลงหลังจากแสดงตัวอย่างนี้" in response.content.decode()
    assert PlanImport.objects.get(pk=second.pk).status == PlanImport.Status.PREVIEWED


def test_discard(client, planner_a, office_a, plan_import):
    client.force_login(planner_a)
    response = client.post(_urls(office_a, plan_import)["preview"], {"action": "discard"})
    assert response.status_code == 302 and response.url == _urls(office_a, plan_import)["import"]
    assert PlanImport.objects.get().status == PlanImport.Status.DISCARDED and Project.objects.count() == 0
    assert client.post(_urls(office_a, plan_import)["preview"], {"action": "nonsense"}).status_code == 400


def test_the_upload_page_says_when_the_plan_is_locked(client, planner_a, director_a, office_a, plan_import):
    services.apply_plan_import(plan_import, by=planner_a)
    plan_services.approve_plan(plan_services.submit_plan(ActionPlan.objects.get(), by=planner_a), by=director_a)
    client.force_login(planner_a)
    page = client.get(_urls(office_a, plan_import)["import"]).content.decode()
    assert 'id="locked"' in page and "จึงแก้ไขไม่ได้ กรุณาขอปรับแผนก่อน" in page
    assert 'id="upload-form"' not in page
    before = plan_state()
    response = client.post(_urls(office_a, plan_import)["import"], {"file": upload(build(office_a))})
    assert 'id="refusal"' in response.content.decode()
    assert plan_state() == before
