"""Evidence on the pages: upload by the filers, download only by the office's staff, delete while editable."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from plans.models import Evidence
from plans.monitoring import services

from .conftest import move, snapshot
from .files import EXE, PDF, upload

pytestmark = pytest.mark.django_db


def upload_url(report):
    return reverse("plans:evidence-upload", args=[report.project.office.area_code, report.project.pk, report.quarter])


@pytest.fixture
def evidence(draft, owner_a):
    return services.add_evidence(draft, upload("ผลการดำเนินงาน ไตรมาส 1.pdf", PDF), by=owner_a)


def test_owner_uploads_and_it_is_listed(client, draft, owner_a):
    client.force_login(owner_a)
    page = client.post(upload_url(draft), {"file": upload("ภาพกิจกรรม.pdf", PDF)}, follow=True)
    html = page.content.decode()
    assert "ภาพกิจกรรม.pdf" in html and 'id="evidence-rules"' in html and "10 MB" in html
    assert draft.evidence.get().original_name == "ภาพกิจกรรม.pdf"


def test_a_renamed_program_is_refused_on_the_page(client, draft, owner_a):
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(upload_url(draft), {"file": upload("report.pdf", EXE)}, follow=True)
    assert "ชนิดที่รับได้" in page.content.decode()
    assert snapshot(draft) == before


def test_an_oversized_file_is_refused_on_the_page(client, draft, owner_a, settings):
    settings.EMES_EVIDENCE_MAX_BYTES = 2048
    client.force_login(owner_a)
    before = snapshot(draft)
    page = client.post(upload_url(draft), {"file": upload("big.pdf", PDF + b"0" * 4096)}, follow=True)
    assert "ไม่เกิน" in page.content.decode()
    assert snapshot(draft) == before


@pytest.mark.parametrize("who, status", [("viewer_a", 403), ("other_owner_a", 403), ("outsider_b", 404), ("school_account_a", 404)])
def test_others_may_not_upload(request, client, draft, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(upload_url(draft), {"file": upload("a.pdf", PDF)}).status_code == status
    assert not draft.evidence.exists()


def test_staff_download_with_the_sanitised_name(client, evidence, viewer_a):
    client.force_login(viewer_a)
    response = client.get(reverse("plans:evidence-download", args=["9901", evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("ผลการดำเนินงาน_ไตรมาส_1.pdf") in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("who", ["outsider_b", "school_account_a"])
def test_evidence_is_404_outside_the_office(request, client, evidence, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("plans:evidence-download", args=["9901", evidence.pk])).status_code == 404
    assert client.get(reverse("plans:evidence-download", args=["9902", evidence.pk])).status_code == 404


def test_evidence_needs_the_right_office_in_the_url(client, evidence, viewer_a):
    client.force_login(viewer_a)
    assert client.get(reverse("plans:evidence-download", args=["9902", evidence.pk])).status_code == 404


def test_anonymous_download_goes_to_login(client, evidence):
    assert client.get(reverse("plans:evidence-download", args=["9901", evidence.pk])).status_code == 302


def test_delete_by_the_uploader(client, evidence, owner_a):
    client.force_login(owner_a)
    client.post(reverse("plans:evidence-delete", args=["9901", evidence.pk]))
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("who, status", [("viewer_a", 403), ("other_owner_a", 403), ("outsider_b", 404), ("school_account_a", 404)])
def test_others_may_not_delete(request, client, evidence, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("plans:evidence-delete", args=["9901", evidence.pk])).status_code == status
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_no_delete_once_submitted(client, evidence, owner_a, planner_a):
    move(evidence.report, "submitted", owner=owner_a, planner=planner_a, director=None)
    client.force_login(planner_a)
    page = client.post(reverse("plans:evidence-delete", args=["9901", evidence.pk]), follow=True)
    assert page.status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()
