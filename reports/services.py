"""State changes of generated documents: ask for one, build it, record success or failure."""
from __future__ import annotations

import logging
import math

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import jobs
from emes.models import Office
from emes.uploads import removing_files_on_rollback

from .access import can_build
from .annual import build_annual_report_pdf
from .jobs import REPORT_JOB, report_time_limits
from .models import AnnualReport, ReportJob
from .publication.freezing import store_frozen_pdf
from .publication.selectors import running_build
from .selectors import has_plan

logger = logging.getLogger(__name__)


def request_annual_report(
    *, office: Office, fiscal_year: int, by, enqueue: bool = True, report: AnnualReport | None = None
) -> ReportJob:
    """Queue a build of the annual report of ``office`` for ``fiscal_year`` (BE); returns the QUEUED job.

    ``report`` is the version whose narrative is printed (``None``: figures only, as the command line
    builds). Raises ``PermissionDenied`` unless ``by`` is the office's director or plan officer (``by=None``
    is an operator's command, already trusted), and ``ValidationError`` when the office has no plan for that
    year (code ``no_plan``), when a build of the same year is still queued or running (``busy``: one build at
    a time, docs/annual-report.md) or when ``report`` is an approved version already frozen (``frozen``: its
    PDF never changes again). The task is started only after the job row is committed (``emes.jobs.start``:
    a Celery worker, or a background thread when there is no broker), so the request never waits for the
    build. With ``enqueue=False`` the caller runs ``run_report_job`` itself (the management command).
    """
    if by is not None and not can_build(by, office):
        raise PermissionDenied
    if not has_plan(office, fiscal_year):
        raise ValidationError(
            _("No action plan of %(office)s was found for fiscal year %(year)s."),
            params={"office": office.name, "year": fiscal_year},
            code="no_plan",
        )
    with transaction.atomic():
        if report is not None:
            report = AnnualReport.objects.select_for_update().get(pk=report.pk)
            if report.is_frozen and report.file:
                raise ValidationError(
                    _("Version %(version)s was approved: its PDF is frozen and is not built again. Open a new version to change it."),
                    params={"version": report.version}, code="frozen",
                )
        job = queue_build(office, fiscal_year, by=by, report=report, enqueue=enqueue)
    return job


def queue_build(office: Office, fiscal_year: int, *, by, report: AnnualReport | None, enqueue: bool = True) -> ReportJob:
    """Create the QUEUED build job (inside the caller's transaction) and start it on commit.

    Refuses a second build while one of the same office and year is queued or running (``ValidationError``
    code ``busy``); the office row is locked first, so two requests at once cannot both pass the check.
    """
    from .tasks import build_report_task  # cycle: reports.tasks imports reports.services

    Office.objects.select_for_update().filter(pk=office.pk).first()
    busy = running_build(office, fiscal_year)
    if busy is not None:
        raise ValidationError(
            _("A build of this report is already %(status)s (%(progress)s %%). Wait until it is done, then build again."),
            params={"status": busy.get_status_display(), "progress": busy.progress}, code="busy",
        )
    job = ReportJob.objects.create(
        office=office, fiscal_year=fiscal_year, kind=ReportJob.Kind.ANNUAL_REPORT, requested_by=by, annual_report=report
    )
    if enqueue:
        transaction.on_commit(lambda: jobs.start(build_report_task, job.pk))
    return job


def run_report_job(job_id: int) -> ReportJob | None:
    """Build the document of job ``job_id`` if this worker can claim it; returns the job, or ``None``.

    The job is claimed with a conditional UPDATE (``emes.jobs.take``): a QUEUED job, or a RUNNING
    one whose worker died (its heartbeat older than the hard time limit) while it has attempts left
    (``EMES_JOB_MAX_ATTEMPTS``); at the limit it is FAILED with a reason and ``None`` is returned. So
    a redelivered task or a second worker never builds it twice at once, and a killed build is
    finished by the next worker. Raises ``emes.jobs.JobBusy`` when a live worker is building it.
    On success the PDF is stored and the job marked DONE in one step; on any error the job is
    marked FAILED with the reason and no file (also when freezing the version fails after the job was
    written DONE: that transaction rolls back and both stored files are deleted). The progress steps refresh
    the heartbeat only while this worker holds the row (``emes.jobs.beat_or_stop``); the build of a worker
    that lost it stops at its next step. The end is written only while this worker still holds the row
    (``emes.jobs.finish`` / ``fail``): a worker reaped meanwhile writes nothing, freezes no version and keeps no file.
    """
    held = jobs.take(REPORT_JOB, job_id, started_at=timezone.now(), progress=5)
    if not held:
        return None
    job = ReportJob.objects.select_related("office", "annual_report__office").get(pk=job_id)
    # The figures are read from now on: the "data as of" time of the version this build may freeze.
    narrative = job.annual_report.narrative(as_of=job.started_at) if job.annual_report else None
    try:
        pdf = build_annual_report_pdf(
            job.office, job.fiscal_year, progress=lambda p: jobs.beat_or_stop(held, progress=p), narrative=narrative
        )
    except jobs.LostClaim:  # reaped or re-claimed meanwhile: the build is dropped, the new holder's row untouched
        logger.info("annual report job %s: this worker lost the row; its build is discarded", job_id)
        job.refresh_from_db()
        return job
    except Exception as exc:  # any failure must end as a visible FAILED job, never a stuck RUNNING one
        logger.exception("annual report job %s failed", job_id)
        if isinstance(exc, SoftTimeLimitExceeded):
            error = _("Building this report took longer than %(minutes)s minutes and was stopped. Tell the system administrator.") % {
                "minutes": math.ceil(report_time_limits()[0] / 60)}
        else:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        jobs.fail(held, error)
        job.refresh_from_db()
        return job
    try:
        # Both files (the job's, the frozen version's) are deleted if this transaction rolls back.
        with removing_files_on_rollback():
            # A worker that lost the row meanwhile (reaped, re-claimed) writes nothing, freezes nothing, keeps no file.
            if jobs.finish(held, files={"file": (job.filename, pdf)}, progress=100) and job.annual_report_id:
                store_frozen_pdf(job.annual_report_id, pdf, as_of=job.started_at)
    except Exception as exc:  # freezing failed: the DONE row was rolled back with its file; end FAILED instead
        logger.exception("annual report job %s could not be stored", job_id)
        jobs.fail(held, f"{type(exc).__name__}: {exc}"[:2000])
    job.refresh_from_db()
    return job
