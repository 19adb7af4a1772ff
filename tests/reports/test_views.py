"""The annual report pages: who may see, build and download (on PostgreSQL)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import ReportJob
from tests.factories import PASSWORD, IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_a(office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("200000"))
    report = QuarterlyReportFactory(project=project, quarter=1, budget_disbursed=Decimal("50000"))
    IndicatorResultFactory(report=report)
    return project


def page_url(office, fy=2569):
    return reverse("reports:annual-report", args=[office.area_code, fy])


def build_url(office, fy=2569):
    return reverse("reports:build-annual-report", args=[office.area_code, fy])


def login(client, user):
    client.force_login(user)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run the on-commit enqueue (the test transaction never commits)."""

    def _post(url, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, **kwargs)

    return _post


def test_anonymous_user_is_redirected_to_login(client, office_a):
    response = client.get(page_url(office_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_plan_officer_builds_and_downloads(client, post, planner_a, plan_a, eager_celery):
    login(client, planner_a)
    response = post(build_url(plan_a.office), follow=True)
    assert response.status_code == 200
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.requested_by == planner_a
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_building_twice_keeps_two_versions_newest_first(client, post, director_a, plan_a, eager_celery):
    login(client, director_a)
    post(build_url(plan_a.office))
    post(build_url(plan_a.office))
    jobs = list(ReportJob.objects.for_office(plan_a.office, 2569))
    assert len(jobs) == 2 and jobs[0].pk > jobs[1].pk
    page = client.get(page_url(plan_a.office)).content.decode()
    assert page.index(f'data-job="{jobs[0].pk}"') < page.index(f'data-job="{jobs[1].pk}"')


def test_viewer_sees_page_but_may_not_build(client, viewer_a, plan_a, eager_celery):
    login(client, viewer_a)
    assert client.get(page_url(plan_a.office)).status_code == 200
    assert client.post(build_url(plan_a.office)).status_code == 403
    assert not ReportJob.objects.exists()


def test_outsider_gets_404_for_page_build_status_and_download(client, post, planner_a, outsider_b, plan_a, eager_celery):
    login(client, planner_a)
    post(build_url(plan_a.office))
    job = ReportJob.objects.get()
    client.logout()
    login(client, outsider_b)
    assert client.get(page_url(plan_a.office)).status_code == 404
    assert client.post(build_url(plan_a.office)).status_code == 404
    assert client.get(reverse("reports:job-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("reports:job-download", args=[job.pk])).status_code == 404
    assert ReportJob.objects.count() == 1


def test_failed_render_shows_reason_and_offers_nothing(client, post, planner_a, plan_a, eager_celery, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("font file missing")

    monkeypatch.setattr("reports.annual.build.html_to_pdf", broken)
    login(client, planner_a)
    post(build_url(plan_a.office))
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.FAILED
    assert "font file missing" in job.error
    assert not job.file
    assert client.get(reverse("reports:job-download", args=[job.pk])).status_code == 404
    page = client.get(page_url(plan_a.office)).content.decode()
    assert "font file missing" in page


def test_building_for_a_year_without_plan_is_refused_with_a_message(client, planner_a, plan_a, eager_celery):
    login(client, planner_a)
    response = client.post(build_url(plan_a.office, fy=2560), follow=True)
    assert "ไม่พบแผนปฏิบัติการ" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_page_lists_a_version_built_from_the_command_line(client, director_a, office_a):
    """A job of ``manage.py annual_report`` has no requester; the page must still render it."""
    ReportJob.objects.create(office=office_a, fiscal_year=2569, status=ReportJob.Status.FAILED, requested_by=None)
    login(client, director_a)
    response = client.get(page_url(office_a))
    assert response.status_code == 200 and "command line" not in response.content.decode()
