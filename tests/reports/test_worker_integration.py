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


def test_a_build_whose_worker_is_killed_is_finished_by_the_next_worker(start_celery_worker, planner_for_worker):
    """SIGKILL the worker mid-build; the message comes back after the visibility timeout and the next worker
    re-claims the stale job (attempt 2) and finishes it (``emes.jobs``). Short limits keep it under a minute:
    stale after 5 + 5 s, redelivered after 12 s."""
    import signal

    import psycopg2
    from django.db import connection

    from plans.models import QuarterlyReport

    office, user = planner_for_worker
    limits = {"EMES_REPORT_JOB_TIME_LIMIT": "5", "CELERY_VISIBILITY_TIMEOUT": "12"}
    first, first_log = start_celery_worker("first", **limits)
    # Hold the build half-way: the worker claims the job, then waits on the quarterly reports it reads.
    db = connection.settings_dict
    holder = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"] or None)
    try:
        with holder.cursor() as cur:
            cur.execute(f'LOCK TABLE "{QuarterlyReport._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
        job = request_annual_report(office=office, fiscal_year=2569, by=user)
        deadline = time.monotonic() + 60
        while job.status != ReportJob.Status.RUNNING:
            assert time.monotonic() < deadline and first.poll() is None, first_log.read_text()
            time.sleep(0.1)
            job.refresh_from_db()
        claimed = time.monotonic()
        time.sleep(0.5)  # the worker is now blocked inside the build
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        holder.rollback()
        holder.close()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.RUNNING, 1), "killed mid-build: left running"

    time.sleep(max(0.0, claimed + 12.5 - time.monotonic()))  # the broker gives the message back after this
    second, second_log = start_celery_worker("second", **limits)
    deadline = time.monotonic() + 45
    while not job.is_finished:
        assert time.monotonic() < deadline and second.poll() is None, second_log.read_text()[-3000:]
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, f"{job.error}\n{second_log.read_text()[-3000:]}"
    assert job.attempts == 2 and job.progress == 100
    with job.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert "reports.build_report" in second_log.read_text()
