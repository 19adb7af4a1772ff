"""The task of document builds: takes a job id and calls one service (``run_document``)."""
from celery import shared_task

from emes.jobs import JobBusy

from .jobs import time_limits
from .services import run_document

_SOFT, _HARD = time_limits()


@shared_task(bind=True, name="emes.build_document", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=_SOFT, time_limit=_HARD, max_retries=20)
def build_document_task(self, job_id: int) -> None:
    """Build ``DocumentJob`` ``job_id``; quietly does nothing if it is gone or finished (a redelivered task of a live
    build retries when that build's heartbeat would be stale, as ``reports.tasks.build_report_task``)."""
    try:
        run_document(job_id)
    except JobBusy as busy:
        if self.request.is_eager:
            return
        raise self.retry(countdown=busy.retry_in) from None
