"""The outputs of a full round in their formats, and another office's round under this office's code → 404.

Who reads them (every staff member of the office 200; anonymous → login; school accounts, of the office or not, and
people of another office → 404) is decided with every other URL in tests/test_permission_matrix.py."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from emes.documents.models import DocumentJob
from tests.documents import build_and_download, pdf_title, request_build

pytestmark = pytest.mark.django_db

PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def urls(office, r):
    code = office.area_code
    return {
        "round-pdf": (reverse("inspection-reports:round-pdf", args=[code, r.pk]), PDF),
        "responses-xlsx": (reverse("inspection-reports:responses-xlsx", args=[code, r.pk]), XLSX),
        "follow-up": (reverse("inspection-reports:follow-up", args=[code]) + "?fy=2569", "text/html; charset=utf-8"),
        "follow-up-pdf": (reverse("inspection-reports:follow-up-pdf", args=[code]) + "?fy=2569", PDF),
        "follow-up-xlsx": (reverse("inspection-reports:follow-up-xlsx", args=[code]) + "?fy=2569", XLSX),
    }


def test_url_paths(cast, full_round):
    assert urls(cast.office, full_round)["round-pdf"][0] == f"/inspections/reports/o/{cast.office.area_code}/rounds/{full_round.pk}/report.pdf"
    assert urls(cast.office, full_round)["responses-xlsx"][0].endswith(f"/rounds/{full_round.pk}/responses.xlsx")
    assert urls(cast.office, full_round)["follow-up"][0] == f"/inspections/reports/o/{cast.office.area_code}/follow-up/?fy=2569"


def test_staff_read(client, cast, full_round):
    """What each role gets on these five URLs is decided in tests/test_permission_matrix.py (inspection-reports:*);
    here a viewer, the least of the staff, reads every output of a full round in its format."""
    who = "viewer"
    client.force_login(getattr(cast, who))
    for name, (url, content_type) in urls(cast.office, full_round).items():
        if name == "round-pdf":  # a document job (issue 18): the button queues it, the job builds, the file is read
            job, response = build_and_download(client, url)
            assert job.requested_by == cast.viewer and job.target_id == full_round.pk
            assert response["Content-Type"] == content_type
            r = full_round
            assert pdf_title(b"".join(response.streaming_content)) == (
                f"รายงานผลการตรวจราชการ รอบที่ {r.number} ปีงบประมาณ พ.ศ. {r.fiscal_year} {cast.office.name}")
            continue
        if name == "responses-xlsx":  # a document job too (1.09 s for 304 units): queued, built, then downloaded
            job, response = build_and_download(client, url, content_type)
            assert job.requested_by == cast.viewer and job.target_id == full_round.pk and job.kind == "inspections.responses-xlsx"
            r = full_round
            assert job.filename == f"inspection-responses-{cast.office.area_code}-{r.fiscal_year}-{r.number}.xlsx"
            wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
            assert len(wb.sheetnames) == 5
            continue
        response = client.get(url)
        assert response.status_code == 200, (who, name)
        assert response["Content-Type"] == content_type, (who, name)
    assert client.post(urls(cast.office, full_round)["follow-up"][0]).status_code == 405


def test_round_of_another_office_under_this_code_is_404(client, cast, full_round, office_b):
    from inspections import services

    planner_b = cast.outsider  # the plan officer of office B
    r_b = services.create_round(office_b, by=planner_b, fiscal_year=2569, number=1, confirm=True)
    client.force_login(cast.planner)
    assert client.post(reverse("inspection-reports:round-pdf", args=[cast.office.area_code, r_b.pk])).status_code == 404
    assert client.post(reverse("inspection-reports:round-pdf", args=[office_b.area_code, r_b.pk])).status_code == 404
    assert client.get(reverse("inspection-reports:responses-xlsx", args=[office_b.area_code, r_b.pk])).status_code == 404
    assert client.post(reverse("inspection-reports:responses-xlsx", args=[cast.office.area_code, r_b.pk])).status_code == 404
    assert client.post(reverse("inspection-reports:responses-xlsx", args=[office_b.area_code, r_b.pk])).status_code == 404
    assert not DocumentJob.objects.exists()
    client.force_login(planner_b)
    assert client.post(reverse("inspection-reports:round-pdf", args=[office_b.area_code, r_b.pk])).status_code == 302
    assert DocumentJob.objects.get().office == office_b


def test_the_round_page_and_the_recommendations_lead_to_the_outputs(client, cast, full_round):
    client.force_login(cast.viewer)
    page = client.get(reverse("inspections:round", args=[cast.office.area_code, full_round.pk])).content.decode()
    assert urls(cast.office, full_round)["round-pdf"][0] in page
    assert urls(cast.office, full_round)["responses-xlsx"][0] in page
    page = client.get(reverse("inspections:office-recommendations", args=[cast.office.area_code])).content.decode()
    assert reverse("inspection-reports:follow-up", args=[cast.office.area_code]) in page


def test_a_second_click_reuses_the_build_and_the_round_page_follows_it(client, cast, full_round):
    from emes.documents.services import run_document

    url = urls(cast.office, full_round)["round-pdf"][0]
    client.force_login(cast.planner)
    job = request_build(client, url)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 302 and DocumentJob.objects.count() == 1
    round_page = reverse("inspections:round", args=[cast.office.area_code, full_round.pk])
    page = client.get(round_page).content.decode()
    assert reverse("documents:status", args=[cast.office.area_code, job.pk]) in page and 'data-finished="0"' in page
    run_document(job.pk)
    page = client.get(round_page).content.decode()
    assert reverse("documents:download", args=[cast.office.area_code, job.pk]) in page


def test_the_old_workbook_link_leads_to_the_round_page_and_builds_nothing(client, cast, full_round):
    """GET on the workbook's URL (a bookmark of the old download link): the round page, where it is built; no job."""
    client.force_login(cast.viewer)
    response = client.get(urls(cast.office, full_round)["responses-xlsx"][0])
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections:round", args=[cast.office.area_code, full_round.pk]) + "#responses-workbook"
    assert not DocumentJob.objects.exists()


def test_a_second_click_reuses_the_workbook_build(client, cast, full_round):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from emes.documents.services import run_document

    url = urls(cast.office, full_round)["responses-xlsx"][0]
    client.force_login(cast.planner)
    with CaptureQueriesContext(connection) as ctx:
        job = request_build(client, url)  # the request only queues it
    asked = len(ctx.captured_queries)
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 302 and DocumentJob.objects.count() == 1
    page = client.get(reverse("inspections:round", args=[cast.office.area_code, full_round.pk])).content.decode()
    assert 'id="responses-workbook"' in page and reverse("documents:status", args=[cast.office.area_code, job.pk]) in page
    run_document(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE
    page = client.get(reverse("inspections:round", args=[cast.office.area_code, full_round.pk])).content.decode()
    assert reverse("documents:download", args=[cast.office.area_code, job.pk]) in page
    assert asked <= 20
