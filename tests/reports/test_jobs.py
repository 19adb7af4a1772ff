"""Jobs whose worker died end finished or failed with a reason (issue 13, item 4; ``emes.jobs``, ``reports.jobs``)."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from emes import jobs
from emes.celery import app
from emes.tasks import reap_jobs_task
from reports.jobs import REMINDER_SENDING, REPORT_JOB, SWEEP_RUN, report_time_limits
from reports.models import Reminder, ReportJob, SweepRun
from reports.services import request_annual_report, run_report_job
from reports.tasks import build_report_task
from tests.factories import (
    IndicatorResultFactory,
    ProjectFactory,
    QuarterlyReportFactory,
)

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")


@pytest.fixture
def plan_a(office_a):
    project = ProjectFactory(office=office_a, budget=Decimal("200000"))
    IndicatorResultFactory(report=QuarterlyReportFactory(project=project, quarter=1, budget_disbursed=Decimal("50000")))
    return project


def ago(seconds: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=seconds)


def stale_age() -> int:
    """Seconds after which a build's heartbeat is stale, plus a margin."""
    return report_time_limits()[1] + jobs.GRACE_SECONDS + 60


def left_running(office, *, attempts=1, heartbeat=None, fy=2569) -> ReportJob:
    """A build claimed by a worker that was then killed: RUNNING, progress half-way, no file.

    The row is made directly: several of them share a year, which the service refuses (one build at a time, issue 15).
    """
    job = ReportJob.objects.create(office=office, fiscal_year=fy)
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, attempts=attempts, progress=50, started_at=ago(stale_age()),
        heartbeat_at=heartbeat if heartbeat is not None else ago(stale_age()),
    )
    return ReportJob.objects.get(pk=job.pk)


def thai(text) -> str:
    with override("th"):
        return str(text)


# --- (a) the redelivered task re-runs a build whose worker died -----------------------------------


def test_redelivered_task_reruns_a_stale_running_job_and_finishes(plan_a):
    job = left_running(plan_a.office, attempts=1)
    build_report_task.apply(args=[job.pk])  # what the broker delivers again after the visibility timeout
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 2 and job.progress == 100 and job.finished_at
    with job.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_a_running_job_with_a_fresh_heartbeat_is_left_to_its_worker(plan_a):
    job = left_running(plan_a.office, attempts=1, heartbeat=ago(30))
    with pytest.raises(jobs.JobBusy) as busy:
        run_report_job(job.pk)
    assert 0 < busy.value.retry_in <= report_time_limits()[1] + jobs.GRACE_SECONDS
    build_report_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (ReportJob.Status.RUNNING, 1, 50)


def test_on_a_worker_the_task_looks_again_when_the_running_job_would_be_stale(plan_a, monkeypatch):
    job = left_running(plan_a.office, attempts=1, heartbeat=ago(30))
    asked = {}

    def retry(**kwargs):
        asked.update(kwargs)
        return RuntimeError("retry")

    monkeypatch.setattr(build_report_task, "retry", retry)
    with pytest.raises(RuntimeError):
        build_report_task(job.pk)  # not eager: as on a worker
    limit = report_time_limits()[1] + jobs.GRACE_SECONDS
    assert limit - 40 <= asked["countdown"] <= limit - 25
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_only_one_of_two_redelivered_tasks_reclaims_a_stale_job(plan_a):
    job = left_running(plan_a.office, attempts=1)
    assert jobs.claim(REPORT_JOB, job.pk) is True
    with pytest.raises(jobs.JobBusy):  # the second sees the first's fresh heartbeat
        jobs.claim(REPORT_JOB, job.pk)
    assert ReportJob.objects.get(pk=job.pk).attempts == 2


def test_a_finished_job_is_not_built_again(plan_a):
    job = left_running(plan_a.office)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error="x")
    build_report_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == (ReportJob.Status.FAILED, 1, "x")


# --- (b) at the attempt limit it fails with a reason ---------------------------------------------


def test_after_max_attempts_the_redelivered_task_fails_the_job_with_a_thai_reason(plan_a, settings):
    settings.EMES_JOB_MAX_ATTEMPTS = 2
    job = left_running(plan_a.office, attempts=2)
    with override("th"):
        build_report_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == thai(REPORT_JOB.stale_reason) and THAI.search(job.error)
    assert job.attempts == 2 and job.finished_at and not job.file


def test_a_soft_time_limit_fails_the_build_with_a_thai_reason(plan_a, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from reports import services

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_annual_report_pdf", too_slow)
    job = request_annual_report(office=plan_a.office, fiscal_year=2569, by=None, enqueue=False)
    with override("th"):
        job = run_report_job(job.pk)
    assert job.status == ReportJob.Status.FAILED and THAI.search(job.error) and "SoftTimeLimit" not in job.error


# --- (c) the reaper, for every kind --------------------------------------------------------------


def reminder(office, **fields) -> Reminder:
    n = Reminder.objects.count()
    return Reminder.objects.create(
        office=office, obligation_kind="quarterly_report", obligation_key=f"quarterly_report:project={n}:fy=2569:q=1",
        stage="first", recipient_key=f"user:{n}", recipient_name="ผู้รับ", due_on=dt.date(2026, 1, 9), subject="ทดสอบ", **fields,
    )


@pytest.fixture
def mixed_jobs(plan_a, settings):
    """Stale and fresh rows of every kind, and jobs that waited for a worker long and briefly."""
    settings.EMES_JOB_MAX_ATTEMPTS = 3
    office = plan_a.office
    stale_sending = ago(settings.CELERY_TASK_TIME_LIMIT + jobs.GRACE_SECONDS + 60)
    rows = {
        "retry": left_running(office, attempts=1),
        "spent": left_running(office, attempts=3),
        "fresh": left_running(office, attempts=1, heartbeat=ago(30)),
        # Queued rows made directly: the service refuses a second build of a year while one runs (issue 15).
        "never_started": ReportJob.objects.create(office=office, fiscal_year=2569),
        "just_queued": ReportJob.objects.create(office=office, fiscal_year=2569),
        "sweep_dead": SweepRun.objects.create(office=office, for_date=dt.date(2026, 1, 12)),
        "sweep_live": SweepRun.objects.create(office=office, for_date=dt.date(2026, 1, 13)),
        "sending_dead": reminder(office, status=Reminder.Status.SENDING, claimed_at=stale_sending),
        "sending_live": reminder(office, status=Reminder.Status.SENDING, claimed_at=ago(60)),
        "pending": reminder(office),
        "done_long_ago": left_running(office, attempts=1),
    }
    ReportJob.objects.filter(pk=rows["done_long_ago"].pk).update(status=ReportJob.Status.DONE, progress=100)
    ReportJob.objects.filter(pk=rows["never_started"].pk).update(heartbeat_at=ago(settings.EMES_JOB_QUEUED_TIMEOUT + 60))
    SweepRun.objects.filter(pk=rows["sweep_dead"].pk).update(started_at=stale_sending)
    return rows


def assert_reaped(rows) -> None:
    for row in rows.values():
        row.refresh_from_db()
    assert rows["retry"].status == ReportJob.Status.DONE, rows["retry"].error  # requeued, built again (eager)
    assert rows["retry"].attempts == 2
    assert rows["spent"].status == ReportJob.Status.FAILED and rows["spent"].error == thai(REPORT_JOB.stale_reason)
    assert rows["never_started"].status == ReportJob.Status.FAILED
    assert rows["never_started"].error == thai(REPORT_JOB.queued_reason) and rows["never_started"].finished_at
    assert rows["sweep_dead"].status == SweepRun.Status.FAILED and rows["sweep_dead"].error == thai(SWEEP_RUN.stale_reason)
    assert rows["sweep_dead"].finished_at
    assert rows["sending_dead"].status == Reminder.Status.FAILED
    assert rows["sending_dead"].status_reason == thai(REMINDER_SENDING.stale_reason)
    # Fresh rows are left alone.
    assert (rows["fresh"].status, rows["fresh"].attempts, rows["fresh"].progress) == (ReportJob.Status.RUNNING, 1, 50)
    assert rows["just_queued"].status == ReportJob.Status.QUEUED
    assert rows["sweep_live"].status == SweepRun.Status.RUNNING
    assert rows["sending_live"].status == Reminder.Status.SENDING
    assert rows["pending"].status == Reminder.Status.PENDING
    assert (rows["done_long_ago"].status, rows["done_long_ago"].attempts) == (ReportJob.Status.DONE, 1)


def test_reap_jobs_command_requeues_or_fails_stale_jobs_of_every_kind(mixed_jobs, eager_celery, django_capture_on_commit_callbacks, capsys):
    with override("th"), django_capture_on_commit_callbacks(execute=True):
        call_command("reap_jobs")
    assert_reaped(mixed_jobs)
    out = capsys.readouterr().out
    assert "reports.ReportJob: 1 requeued, 1 failed (stale), 1 failed (never started)" in out
    assert "reports.SweepRun: 0 requeued, 1 failed" in out and "reports.Reminder: 0 requeued, 1 failed" in out


def test_reap_jobs_task_does_the_same_and_runs_on_beat(mixed_jobs, eager_celery, django_capture_on_commit_callbacks):
    with override("th"), django_capture_on_commit_callbacks(execute=True):
        result = reap_jobs_task.apply().get()
    assert result["reports.ReportJob"] == [1, 1, 1]
    assert_reaped(mixed_jobs)
    assert settings.CELERY_BEAT_SCHEDULE["reap-stale-jobs"]["task"] == reap_jobs_task.name
    assert reap_jobs_task.name in app.tasks


def test_a_requeued_job_that_dies_again_at_the_limit_fails(plan_a, settings, django_capture_on_commit_callbacks):
    """Requeue keeps the attempt count: the reaper never restarts a job more than the limit allows."""
    settings.EMES_JOB_MAX_ATTEMPTS = 2
    job = left_running(plan_a.office, attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as enqueued:  # no worker: the task stays queued
        jobs.reap_kind(REPORT_JOB)
    assert len(enqueued) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress) == (ReportJob.Status.QUEUED, 1, 0)
    assert jobs.claim(REPORT_JOB, job.pk)  # a worker takes it (attempt 2) and is killed too
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago(stale_age()))
    jobs.reap_kind(REPORT_JOB)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.FAILED, 2) and job.error


def test_every_kind_with_a_running_state_is_registered():
    assert {k.label for k in jobs.registered()} >= {"reports.ReportJob", "reports.SweepRun", "reports.Reminder"}
    for kind in jobs.registered():
        assert kind.time_limit() <= settings.CELERY_VISIBILITY_TIMEOUT, "a running task would be delivered twice"
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    assert build_report_task.acks_late and build_report_task.reject_on_worker_lost
    assert (build_report_task.soft_time_limit, build_report_task.time_limit) == report_time_limits()
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


# --- (d) the page stops polling on failure and says why; a job nobody starts says so ------------


def test_status_of_a_job_failed_after_its_worker_died_is_finished_with_the_reason(client, planner_a, plan_a):
    job = left_running(plan_a.office, attempts=settings.EMES_JOB_MAX_ATTEMPTS)
    with override("th"):
        build_report_task.apply(args=[job.pk])
    client.force_login(planner_a)
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["finished"] is True  # the page's poll() stops on "finished"
    assert status["error"] == thai(REPORT_JOB.stale_reason) and status["download_url"] == ""
    page = client.get(reverse("reports:annual-report", args=[plan_a.office.area_code, 2569])).content.decode()
    assert f'data-job="{job.pk}"' in page and 'data-finished="1"' in page
    assert thai(REPORT_JOB.stale_reason) in page


def test_a_job_waiting_for_a_worker_says_so_after_a_few_minutes(client, planner_a, plan_a, settings):
    job = request_annual_report(office=plan_a.office, fiscal_year=2569, by=None, enqueue=False)
    client.force_login(planner_a)
    url = reverse("reports:job-status", args=[job.pk])
    assert client.get(url).json()["note"] == ""
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=ago(settings.EMES_JOB_QUEUED_WARN_SECONDS + 5 * 60))
    status = client.get(url, HTTP_ACCEPT_LANGUAGE="th").json()
    assert status["status"] == "queued" and not status["finished"]
    assert "Celery" in status["note"] and THAI.search(status["note"])
    page = client.get(reverse("reports:annual-report", args=[plan_a.office.area_code, 2569])).content.decode()
    assert status["note"] in page


def test_a_running_job_whose_worker_died_says_so_before_the_reaper_runs(client, planner_a, plan_a):
    job = left_running(plan_a.office)
    client.force_login(planner_a)
    status = client.get(reverse("reports:job-status", args=[job.pk])).json()
    assert status["status"] == "running" and status["note"]
    fresh = left_running(plan_a.office, heartbeat=ago(10))
    assert client.get(reverse("reports:job-status", args=[fresh.pk])).json()["note"] == ""
