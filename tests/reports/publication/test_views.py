"""The annual-report page and its moves as the plan officer and the director; the office's public page.

Bad input and access (issue 15): a CE year gets the BE hint; another office's staff get 404; a second build
while one runs is refused with a message; an approved version is not edited or rebuilt; approving with
unreviewed quarterly reports asks first; a draft never shows on the public page. Each leaves the data unchanged.
"""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from plans.models import QuarterlyReport
from reports import services as build_services
from reports.models import AnnualReport, ReportJob
from reports.publication import services
from tests.factories import QuarterlyReportFactory

from .conftest import FAKE_PDF, evidence, png_bytes, state

pytestmark = pytest.mark.django_db
S = AnnualReport.Status


def page(office, fy=2569):
    return reverse("reports:annual-report", args=[office.area_code, fy])


def move(report, action, **data):
    return reverse("reports:annual-report-transition", args=[report.office.area_code, report.fiscal_year, report.version]), {"action": action, **data}


def edit(report):
    return reverse("reports:annual-report-edit", args=[report.office.area_code, report.fiscal_year, report.version])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def submitted(draft, planner_a):
    services.update_narrative(draft, by=planner_a, foreword="คำนำ", executive_summary="สรุป", problems_synthesis="")
    return services.submit_report(draft, by=planner_a)


@pytest.fixture
def frozen(submitted, director_a):
    report = services.approve_report(submitted, by=director_a)
    build_services.run_report_job(report.builds.get().pk)
    report.refresh_from_db()
    return report


def test_planner_requests_the_report_from_the_page(client, planner_a, plan_a, fast_build, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    body = client.get(page(plan_a.office)).content.decode()
    assert 'id="request-button"' in body
    response = client.post(reverse("reports:request-annual-report", args=[plan_a.office.area_code, 2569]), follow=True)
    report = AnnualReport.objects.get()
    assert report.status == S.DRAFT and report.request_memo.letter_no in " ".join(messages_of(response))
    assert 'id="edit-button"' in response.content.decode()


def test_the_director_neither_requests_nor_edits(client, director_a, draft):
    client.force_login(director_a)
    body = client.get(page(draft.office)).content.decode()
    assert 'id="request-button"' not in body and 'id="edit-button"' not in body
    before = state(draft)
    assert client.post(reverse("reports:request-annual-report", args=[draft.office.area_code, 2569])).status_code == 403
    assert client.get(edit(draft)).status_code == 403
    assert state(draft) == before


def test_planner_edits_the_narrative_committee_and_photos(client, planner_a, draft, plan_a):
    photo = evidence(plan_a.reports.get(), "ภาพ.png", png_bytes(), "image/png")
    client.force_login(planner_a)
    form = client.get(edit(draft)).content.decode()
    assert "คำนำ" in form and f'name="photo_plan-{photo.pk}"' in form
    response = client.post(edit(draft), {
        "foreword": "คำนำของรายงานประจำปี", "executive_summary": "สรุป", "problems_synthesis": "ปัญหา",
        "committee": "นายหนึ่ง ใจดี | ประธาน\nนางสอง ใจงาม | กรรมการ", f"photo_plan-{photo.pk}": "on", f"caption_plan-{photo.pk}": "ภาพกิจกรรม",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.foreword == "คำนำของรายงานประจำปี"
    assert [(m.name, m.position, m.order) for m in draft.committee.all()] == [("นายหนึ่ง ใจดี", "ประธาน", 1), ("นางสอง ใจงาม", "กรรมการ", 2)]
    assert [p.caption for p in draft.photos.all()] == ["ภาพกิจกรรม"]


def test_too_long_narrative_is_refused_by_field_and_nothing_saved(client, planner_a, draft):
    client.force_login(planner_a)
    before = state(draft)
    response = client.post(edit(draft), {"foreword": "ก" * 20_001, "executive_summary": "", "problems_synthesis": "", "committee": ""})
    assert response.status_code == 200 and response.context["form"].errors["foreword"]
    assert state(draft) == before


def test_a_fiscal_year_typed_in_ce_gets_the_be_hint(client, planner_a, plan_a):
    client.force_login(planner_a)
    response = client.get(page(plan_a.office, 2026), follow=True)
    assert response.redirect_chain[0][0] == page(plan_a.office, 2569)
    assert any("2569" in m for m in messages_of(response))
    response = client.post(reverse("reports:build-annual-report", args=[plan_a.office.area_code, 2026]), follow=True)
    assert any("2569" in m for m in messages_of(response))
    response = client.post(reverse("reports:request-annual-report", args=[plan_a.office.area_code, 2026]))
    assert not AnnualReport.objects.exists() and not ReportJob.objects.exists()


def test_another_offices_staff_get_404_everywhere(client, outsider_b, frozen):
    client.force_login(outsider_b)
    before = state(frozen)
    r = frozen
    args = [r.office.area_code, r.fiscal_year, r.version]
    assert client.get(page(r.office)).status_code == 404
    assert client.get(edit(r)).status_code == 404
    assert client.post(*move(r, "publish")).status_code == 404
    assert client.get(reverse("reports:annual-report-pdf", args=args)).status_code == 404
    assert client.post(reverse("reports:request-annual-report", args=[r.office.area_code, 2569])).status_code == 404
    assert client.post(reverse("reports:build-annual-report", args=[r.office.area_code, 2569])).status_code == 404
    assert state(frozen) == before


def test_a_second_build_while_one_runs_is_refused_on_the_page(client, planner_a, draft):
    job = build_services.request_annual_report(office=draft.office, fiscal_year=2569, by=planner_a, report=draft, enqueue=False)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=30)
    client.force_login(planner_a)
    assert 'id="building-note"' in client.get(page(draft.office)).content.decode()
    before = state(draft)
    response = client.post(reverse("reports:build-annual-report", args=[draft.office.area_code, 2569]), follow=True)
    assert any("30" in m for m in messages_of(response))
    assert state(draft) == before and ReportJob.objects.count() == 1


def test_an_approved_version_cannot_be_edited_or_rebuilt_from_the_page(client, planner_a, frozen):
    client.force_login(planner_a)
    body = client.get(page(frozen.office)).content.decode()
    assert 'id="edit-button"' not in body and 'id="build-button"' not in body and 'id="frozen-download"' in body
    before = state(frozen)
    assert client.post(edit(frozen), {"foreword": "เปลี่ยน", "executive_summary": "x"}).status_code == 302
    response = client.post(reverse("reports:build-annual-report", args=[frozen.office.area_code, 2569]), follow=True)
    assert any("ฉบับ" in m or "version" in m.lower() for m in messages_of(response))
    assert client.post(*move(frozen, "submit")).status_code == 302
    assert state(frozen) == before
    pdf = client.get(reverse("reports:annual-report-pdf", args=[frozen.office.area_code, 2569, frozen.version]))
    assert b"".join(pdf.streaming_content) == FAKE_PDF


def test_director_approving_with_unreviewed_reports_gets_a_confirm_step(client, director_a, submitted, plan_a):
    QuarterlyReportFactory(project=plan_a, quarter=2, status=QuarterlyReport.Status.SUBMITTED)
    QuarterlyReportFactory(project=plan_a, quarter=3, status=QuarterlyReport.Status.SUBMITTED)
    client.force_login(director_a)
    assert 'id="unreviewed-note"' in client.get(page(submitted.office)).content.decode()
    before = state(submitted)
    response = client.post(*move(submitted, "approve"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="approve-anyway"' in body
    assert re.search(r"\b2\b", body.split('id="unreviewed-warning"')[1][:400])
    assert state(submitted) == before
    response = client.post(*move(submitted, "approve", confirm_unreviewed="on"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.APPROVED and submitted.builds.count() == 1


def test_director_returns_then_planner_edits_and_the_history_shows_who(client, planner_a, director_a, submitted):
    client.force_login(director_a)
    before = state(submitted)
    client.post(*move(submitted, "return", comment=""))
    assert state(submitted) == before
    client.post(*move(submitted, "return", comment="เพิ่มคำนำ"))
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    client.force_login(planner_a)
    body = client.get(page(submitted.office)).content.decode()
    assert "เพิ่มคำนำ" in body and 'id="edit-button"' in body and 'data-to="returned"' in body


def test_viewer_reads_but_moves_nothing(client, viewer_a, submitted):
    client.force_login(viewer_a)
    body = client.get(page(submitted.office)).content.decode()
    assert 'id="approve-button"' not in body and 'id="submit-button"' not in body
    before = state(submitted)
    for action in ("approve", "return", "publish", "submit", "circulate", "new_version"):
        assert client.post(*move(submitted, action, comment="x")).status_code == 403
    assert state(submitted) == before


# --- The public page (no login)

def test_public_page_lists_published_reports_only_and_serves_the_frozen_pdf(client, planner_a, frozen):
    public = reverse("public:office", args=[frozen.office.area_code])
    pdf = reverse("public:annual-report-pdf", args=[frozen.office.area_code, frozen.pk])
    body = client.get(public).content.decode()
    assert frozen.office.full_name in body and f'data-report="{frozen.pk}"' not in body  # approved, not yet published
    assert client.get(pdf).status_code == 404
    services.publish_report(frozen, by=planner_a)
    response = client.get(public)
    assert response.status_code == 200 and f'data-report="{frozen.pk}"' in response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    download = client.get(pdf)
    assert download.status_code == 200 and b"".join(download.streaming_content) == FAKE_PDF


def test_a_draft_is_never_on_the_public_page(client, draft, office_b):
    body = client.get(reverse("public:office", args=[draft.office.area_code])).content.decode()
    assert f'data-report="{draft.pk}"' not in body
    assert client.get(reverse("public:annual-report-pdf", args=[draft.office.area_code, draft.pk])).status_code == 404
    assert client.get(reverse("public:office", args=["0000"])).status_code == 404


def test_a_published_report_is_not_served_under_another_offices_page(client, planner_a, frozen, office_b):
    services.publish_report(frozen, by=planner_a)
    assert client.get(reverse("public:annual-report-pdf", args=[office_b.area_code, frozen.pk])).status_code == 404


def test_the_page_costs_the_same_queries_whatever_the_number_of_versions(client, planner_a, director_a, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(planner_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page(frozen.office)).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request of a session warms what every page reads once
    one = queries()
    report = frozen
    for i in range(3):  # three more approved versions, each with its history, committee and builds
        newer = services.open_new_version(report, by=planner_a, reason=f"ฉบับ {i}")
        services.update_narrative(newer, by=planner_a, foreword="ก", executive_summary="ข", problems_synthesis="",
                                  committee=[("นายหนึ่ง", "ประธาน"), ("นางสอง", "กรรมการ")])
        services.submit_report(newer, by=planner_a)
        services.approve_report(newer, by=director_a)
        build_services.run_report_job(newer.builds.get().pk)
        report = newer
    assert queries() == one
