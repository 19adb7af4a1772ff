"""Building an evaluation's report PDF or raw answers workbook as a job with progress (``emes.jobs``;
docs/evaluation.md, "Results"): a survey of thousands of answers takes seconds for either (bench/README.md).

``request_evaluation_report`` queues a build (the task is enqueued after commit); ``run_evaluation_report`` claims it
with a conditional UPDATE, reports progress (which refreshes the heartbeat), stores the PDF and marks it DONE in one
step, or FAILED with the reason: never a stuck RUNNING row. Both ends go through ``emes.jobs.finish`` /
``fail``, which write nothing once this worker lost the row (docs/documents.md).
"""
from __future__ import annotations

import logging
import math

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import jobs

from .jobs import EVALUATION_REPORT, time_limits
from .models import Evaluation, EvaluationReport
from .outputs import answers_workbook, report_pdf

logger = logging.getLogger(__name__)


def request_evaluation_report(evaluation: Evaluation, *, by, enqueue: bool = True, kind: str = EvaluationReport.Kind.PDF) -> EvaluationReport:
    """Queue a build of ``evaluation``'s report PDF (``kind`` "pdf") or answers workbook ("xlsx"); returns the QUEUED
    row. The caller checked ``by`` reads the office. The task starts after commit through ``emes.jobs.start`` (a
    worker, or a background thread when there is no broker), so the request never waits for the build."""
    from .tasks import build_evaluation_report_task

    with transaction.atomic():
        job = EvaluationReport.objects.create(evaluation=evaluation, requested_by=by, kind=EvaluationReport.Kind(kind))
        if enqueue:
            transaction.on_commit(lambda: jobs.start(build_evaluation_report_task, job.pk))
    return job


def run_evaluation_report(job_id: int) -> EvaluationReport | None:
    """Build the file (PDF or workbook) of job ``job_id`` if this worker can claim it; returns the job, or ``None`` (not ours).

    Progress refreshes the heartbeat only while this worker holds the row (``emes.jobs.beat_or_stop``): the build of a
    worker that lost it stops at its next step. The end is written only while this worker still holds the row
    (``emes.jobs.finish`` / ``fail``): a worker reaped meanwhile writes nothing and keeps no file. Raises ``emes.jobs.JobBusy`` when a live worker is building it.
    """
    held = jobs.take(EVALUATION_REPORT, job_id, started_at=timezone.now(), progress=5)
    if not held:
        return None
    job = EvaluationReport.objects.select_related("evaluation__office", "evaluation__form").get(pk=job_id)
    try:
        if job.kind == EvaluationReport.Kind.XLSX:
            content = answers_workbook(job.evaluation)
        else:
            content = report_pdf(job.evaluation, progress=lambda p: jobs.beat_or_stop(held, progress=p))
    except jobs.LostClaim:  # reaped or re-claimed meanwhile: the build is dropped, the new holder's row untouched
        logger.info("evaluation report job %s: this worker lost the row; its build is discarded", job_id)
        job.refresh_from_db()
        return job
    except Exception as exc:  # any failure ends as a visible FAILED job
        logger.exception("evaluation report job %s failed", job_id)
        if isinstance(exc, SoftTimeLimitExceeded):
            error = _("Building this report took longer than %(minutes)s minutes and was stopped. Tell the system administrator.") % {
                "minutes": math.ceil(time_limits()[0] / 60)}
        else:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        jobs.fail(held, error)
        job.refresh_from_db()
        return job
    # A worker that lost the row meanwhile (reaped, re-claimed) writes nothing and its file is deleted: emes.jobs.finish
    jobs.finish(held, files={"file": (job.filename, content)}, progress=100)
    job.refresh_from_db()
    return job
