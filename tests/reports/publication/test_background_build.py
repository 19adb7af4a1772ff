"""With no broker (the embedded default) the build runs in a background thread: the request answers at once
and the page polls the job from queued to running with a percentage to done (issue 15, "the page must never block")."""
from __future__ import annotations

import threading

import pytest
from django.urls import reverse

from emes import jobs
from reports import services as build_services
from reports.models import ReportJob

from .conftest import FAKE_PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_build_request_answers_before_the_build_ends_and_the_job_shows_progress(client, planner_a, plan_a, settings, monkeypatch):
    settings.EMES_JOBS_IN_THREAD = True
    release, halfway = threading.Event(), threading.Event()
    threads = []

    def slow_build(office, fiscal_year, *, progress=lambda p: None, narrative=None):
        progress(40)
        halfway.set()
        assert release.wait(30), "the test never released the build"
        return FAKE_PDF

    monkeypatch.setattr(build_services, "build_annual_report_pdf", slow_build)
    real_start = jobs.start
    monkeypatch.setattr(jobs, "start", lambda task, *args: threads.append(real_start(task, *args)))
    client.force_login(planner_a)
    response = client.post(reverse("reports:build-annual-report", args=[plan_a.office.area_code, 2569]))
    assert response.status_code == 302  # answered while the build waits on ``release``
    job = ReportJob.objects.get()
    assert halfway.wait(30)
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert (status["status"], status["progress"], status["finished"]) == ("running", 40, False)
    release.set()
    threads[0].join(30)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.progress == 100
    assert client.get(reverse("reports:job-status", args=[job.pk])).json()["download_url"]
