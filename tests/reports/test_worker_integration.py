"""End to end on the real broker: a Celery worker process on Redis builds the annual report."""
from __future__ import annotations

import time
from decimal import Decimal

import pytest

from emes.celery import app
from reports.models import ReportJob
from reports.services import request_annual_report
from tests.factories import IndicatorResultFactory, ProjectFactory, QuarterlyReportFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_builds_report_end_to_end(celery_worker_process, planner_for_worker):
    proc, log = celery_worker_process
    office, user = planner_for_worker
    assert not app.conf.task_always_eager
    job = request_annual_report(office=office, fiscal_year=2569, by=user)  # commits, then enqueues on Redis
    deadline = time.monotonic() + 90
    seen = set()
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.add(job.status)
        if job.is_finished:
            break
        assert proc.poll() is None, log.read_text()
        time.sleep(0.2)
    assert job.status == ReportJob.Status.DONE, f"{job.status}: {job.error}\n{log.read_text()[-3000:]}"
    assert job.progress == 100 and job.started_at and job.finished_at
    with job.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert "reports.build_report" in log.read_text()


@pytest.fixture
def planner_for_worker(planner_a, office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("150000"))
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project))
    return office_a, planner_a
