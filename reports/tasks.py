"""Celery tasks of the reports app: they take ids and call one service."""
from celery import shared_task

from emes.jobs import JobBusy

from . import services
from .jobs import report_time_limits

_SOFT, _HARD = report_time_limits()


@shared_task(
    bind=True, name="reports.build_report", acks_late=True, reject_on_worker_lost=True,
    soft_time_limit=_SOFT, time_limit=_HARD, max_retries=20,
)
def build_report_task(self, job_id: int) -> None:
    """Build the document of ``ReportJob`` ``job_id``; quietly does nothing if it is gone or finished.

    A build is idempotent, so its message is acknowledged only after the task ends and is delivered
    again if the worker dies (``reject_on_worker_lost``; a killed worker's message comes back after
    the broker's visibility timeout). The redelivered task re-runs a job left RUNNING by a dead worker,
    or fails it at the attempt limit (``emes.jobs.claim``); while the job's heartbeat is fresh another
    worker may still be building it, so the task looks again once it would be stale.
    """
    try:
        services.run_report_job(job_id)
    except JobBusy as busy:
        if self.request.is_eager:  # in-process: no other worker can be waited for; the reaper decides
            return
        raise self.retry(countdown=busy.retry_in) from None
