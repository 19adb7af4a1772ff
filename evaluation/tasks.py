"""Celery tasks of the evaluation app: they take ids and call one service."""
from celery import shared_task

from emes.jobs import JobBusy

from .jobs import time_limits
from .report_jobs import run_evaluation_report

_SOFT, _HARD = time_limits()


@shared_task(bind=True, name="evaluation.build_report", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=_SOFT, time_limit=_HARD, max_retries=20)
def build_evaluation_report_task(self, job_id: int) -> None:
    """Build the PDF of ``EvaluationReport`` ``job_id``; quietly does nothing if it is gone or finished (see
    ``reports.tasks.build_report_task`` for the redelivery rule, the same here)."""
    try:
        run_evaluation_report(job_id)
    except JobBusy as busy:
        if self.request.is_eager:
            return
        raise self.retry(countdown=busy.retry_in) from None
