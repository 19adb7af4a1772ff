"""State changes of generated documents: ask for one, build it, record success or failure."""
from __future__ import annotations

import logging
import math

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import jobs
from emes.access import can_build_reports
from emes.models import Office

from .jobs import REPORT_JOB, report_time_limits
from .models import ReportJob
from .annual import build_annual_report_pdf  # noqa: F401 (the job's builder; "life" calls it from here)
from .selectors import has_plan

logger = logging.getLogger(__name__)


def request_annual_report(*, office: Office, fiscal_year: int, by, enqueue: bool = True) -> ReportJob:
    """Queue a build of the annual report of ``office`` for ``fiscal_year`` (BE); returns the QUEUED job.

    Raises ``PermissionDenied`` unless ``by`` is the office's director or plan officer (``by=None``
    is an operator's command, already trusted), and
    ``ValidationError`` when the office has no plan for that year. The task is enqueued only
    after the job row is committed, so a worker never looks for a row that is not there yet.
    With ``enqueue=False`` the caller runs ``run_report_job`` itself (the management command).
    """
    if by is not None and not can_build_reports(by, office):
        raise PermissionDenied
    if not has_plan(office, fiscal_year):
        raise ValidationError(
            _("No action plan of %(office)s was found for fiscal year %(year)s."),
            params={"office": office.name, "year": fiscal_year},
            code="no_plan",
        )
    from .tasks import build_report_task

    with transaction.atomic():
        job = ReportJob.objects.create(
            office=office, fiscal_year=fiscal_year, kind=ReportJob.Kind.ANNUAL_REPORT, requested_by=by
        )
        if enqueue:
            transaction.on_commit(lambda: build_report_task.delay(job.pk))
    return job


def _set_progress(job_id: int, progress: int) -> None:
    jobs.beat(REPORT_JOB, job_id, progress=progress)


def run_report_job(job_id: int) -> ReportJob | None:
    """Build the document of job ``job_id`` if this worker can claim it; returns the job, or ``None``.

    The job is claimed with a conditional UPDATE (``emes.jobs.claim``): a QUEUED job, or a RUNNING
    one whose worker died (its heartbeat older than the hard time limit) while it has attempts left
    (``EMES_JOB_MAX_ATTEMPTS``); at the limit it is FAILED with a reason and ``None`` is returned. So
    a redelivered task or a second worker never builds it twice at once, and a killed build is
    finished by the next worker. Raises ``emes.jobs.JobBusy`` when a live worker is building it.
    On success the PDF is stored and the job marked DONE in one step; on any error the job is
    marked FAILED with the reason and no file. The progress steps refresh the heartbeat.
    """
    if not jobs.claim(REPORT_JOB, job_id, started_at=timezone.now(), progress=5):
        return None
    job = ReportJob.objects.select_related("office").get(pk=job_id)
    try:
        pdf = build_annual_report_pdf(job.office, job.fiscal_year, progress=lambda p: _set_progress(job_id, p))
    except Exception as exc:  # any failure must end as a visible FAILED job, never a stuck RUNNING one
        logger.exception("annual report job %s failed", job_id)
        if isinstance(exc, SoftTimeLimitExceeded):
            error = _("Building this report took longer than %(minutes)s minutes and was stopped. Tell the system administrator.") % {
                "minutes": math.ceil(report_time_limits()[0] / 60)}
        else:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        ReportJob.objects.filter(pk=job_id).update(status=ReportJob.Status.FAILED, error=error, finished_at=timezone.now())
        job.refresh_from_db()
        return job
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        job.file.save(job.filename, ContentFile(pdf), save=False)
        job.status = ReportJob.Status.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
    return job
