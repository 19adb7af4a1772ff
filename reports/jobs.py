"""The job kinds of the reports app, registered with the core's reaper (``emes.jobs``) in ``ReportsConfig.ready``.

- ``ReportJob`` (a generated document): idempotent, so a build whose worker died runs again, up to
  ``EMES_JOB_MAX_ATTEMPTS`` times, within the hard limit ``EMES_REPORT_JOB_TIME_LIMIT``; then, or when
  no worker started it within ``EMES_JOB_QUEUED_TIMEOUT``, it fails with a reason the page shows.
- ``SweepRun`` (a reminder sweep, created running by its task, or queued by the plan officer's "send now"):
  failed with a reason, never run again on its own (it sends); the next sweep catches up on everything (the
  sweep decides from the obligations, not from the run). A "send now" no worker started fails too.
- ``Reminder`` being sent: never sent again on its own (the e-mail may have left), failed with a reason
  so the plan officer checks and retries it by hand.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from emes.jobs import JobKind, register, soft_and_hard, start_each

from .models import ReportJob
from .reminders.models import Reminder, SweepRun


def report_time_limits() -> tuple[int, int]:
    """(soft, hard) time limit of a report build in seconds; the soft limit is 80 % of the hard one."""
    hard = settings.EMES_REPORT_JOB_TIME_LIMIT
    return soft_and_hard(hard)


REPORT_JOB = register(JobKind(
    model=ReportJob,
    queued=ReportJob.Status.QUEUED,
    running=ReportJob.Status.RUNNING,
    failed=ReportJob.Status.FAILED,
    done=ReportJob.Status.DONE,
    time_limit=lambda: report_time_limits()[1],
    attempts="attempts",
    requeue=start_each("reports.tasks.build_report_task"),
    reset={"progress": 0},
    stale_reason=_("The worker stopped while building this report. Build it again; if it stops again, tell the system administrator."),
    queued_reason=_("No worker started building this report: the background worker (Celery) is not running. Tell the system administrator, then build it again."),
))

SWEEP_RUN = register(JobKind(
    model=SweepRun,
    queued=SweepRun.Status.QUEUED,
    queued_reason=_("No worker started sending these reminders: the background worker (Celery) is not running. Tell the system administrator, then send them again."),
    running=SweepRun.Status.RUNNING,
    failed=SweepRun.Status.FAILED,
    time_limit=lambda: settings.CELERY_TASK_TIME_LIMIT,
    heartbeat="started_at",
    stale_reason=_("The worker stopped during this sweep; the next sweep records whatever it missed."),
))

REMINDER_SENDING = register(JobKind(
    model=Reminder,
    running=Reminder.Status.SENDING,
    failed=Reminder.Status.FAILED,
    time_limit=lambda: settings.CELERY_TASK_TIME_LIMIT,
    heartbeat="claimed_at",
    reason="status_reason",
    finished=None,
    stale_reason=_("Interrupted while sending: check with the recipient whether the e-mail arrived before retrying."),
))


def report_job_note(job: ReportJob, now=None) -> str:
    """What the page says about an unfinished ``job`` that is not moving ("" when all is well).

    A job QUEUED for longer than ``EMES_JOB_QUEUED_WARN_SECONDS`` is waiting for a worker that may not
    be running (it fails after ``EMES_JOB_QUEUED_TIMEOUT``); a RUNNING job whose heartbeat is stale lost
    its worker (the reaper or the redelivered task runs it again or fails it).
    """
    waited = REPORT_JOB.waiting_for(job, now)
    if waited is not None and waited.total_seconds() >= settings.EMES_JOB_QUEUED_WARN_SECONDS:
        return _(
            "Waiting for a worker for %(minutes)s minutes: the background worker (Celery) may not be running. "
            "The build starts as soon as a worker is free; if none starts it within %(limit)s minutes, it fails."
        ) % {"minutes": int(waited.total_seconds() // 60), "limit": settings.EMES_JOB_QUEUED_TIMEOUT // 60}
    if REPORT_JOB.is_stale(job, now):
        return _("The worker building this report stopped. It will be started again or marked failed within a few minutes.")
    return ""
