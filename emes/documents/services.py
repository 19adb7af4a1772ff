"""Asking for a document build and running it (``emes.jobs``; docs/documents.md).

``request_document`` queues a build (the task starts after commit) or returns the build of the same document that
is already waiting or running, so a second click never builds twice; ``run_document`` claims it with a conditional
UPDATE, calls the registered builder with a progress callback (which refreshes the heartbeat), stores the file and
marks it DONE in one step, or FAILED with the reason: never a stuck RUNNING row. Both ends go through ``emes.jobs.finish`` /
``fail``, which write nothing once this worker lost the row (docs/documents.md).
"""
from __future__ import annotations

import logging
import math

from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import jobs

from .jobs import DOCUMENT_JOB, time_limits
from .models import DocumentJob
from .registry import document_kind

logger = logging.getLogger(__name__)

UNFINISHED = (DocumentJob.Status.QUEUED, DocumentJob.Status.RUNNING)


def request_document(office, key: str, target_id: int | None, *, by, params: dict | None = None) -> tuple[DocumentJob, bool]:
    """Queue a build of document ``key`` of ``target_id`` for ``office``; returns ``(job, created)``.

    When a build of the same office, kind and target is queued or running (and alive) that one is returned with
    ``created=False``. A stale one (its worker died) is first requeued or failed by the reaper's rule. The caller
    checked that ``by`` may read the target. Raises ``LookupError`` for a kind no app registered.
    """
    from .tasks import build_document_task  # cycle: the task module imports this one

    document_kind(key)
    same = DocumentJob.objects.filter(office=office, kind=key, target_id=target_id)
    jobs.reap_kind(DOCUMENT_JOB, same)
    existing = same.filter(status__in=UNFINISHED).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = DocumentJob.objects.create(office=office, kind=key, target_id=target_id, params=params or {}, requested_by=by)
            transaction.on_commit(lambda: jobs.start(build_document_task, job.pk))
    except IntegrityError:  # another request queued the same build between our look and our insert
        existing = same.filter(status__in=UNFINISHED).first()
        if existing is None:
            raise
        return existing, False
    return job, True


def run_document(job_id: int) -> DocumentJob | None:
    """Build the file of job ``job_id`` if this worker can claim it; returns the job, or ``None`` (not ours).

    The end (DONE with the file, or FAILED with the reason) is written only while this worker still holds the row
    (``emes.jobs.finish`` / ``fail``): a worker reaped meanwhile gets the row as the new holder left it, and its
    file is not kept; its progress steps write nothing once it lost the row and stop its build there
    (``emes.jobs.beat_or_stop``). Raises ``emes.jobs.JobBusy`` when a live worker is building it.
    """
    held = jobs.take(DOCUMENT_JOB, job_id, started_at=timezone.now(), progress=5)
    if not held:
        return None
    job = DocumentJob.objects.select_related("office").get(pk=job_id)
    try:
        filename, content = document_kind(job.kind).build(job, lambda p: jobs.beat_or_stop(held, progress=max(5, min(int(p), 99))))
    except jobs.LostClaim:  # reaped or re-claimed meanwhile: the build is dropped, the new holder's row untouched
        logger.info("document job %s (%s): this worker lost the row; its build is discarded", job_id, job.kind)
        job.refresh_from_db()
        return job
    except Exception as exc:  # any failure ends as a visible FAILED job
        logger.exception("document job %s (%s) failed", job_id, job.kind)
        if isinstance(exc, SoftTimeLimitExceeded):
            error = _("Building this document took longer than %(minutes)s minutes and was stopped. Tell the system administrator.") % {
                "minutes": math.ceil(time_limits()[0] / 60)}
        else:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        jobs.fail(held, error)
        job.refresh_from_db()
        return job
    # A worker that lost the row meanwhile (reaped, re-claimed) writes nothing and its file is deleted: emes.jobs.finish
    jobs.finish(held, files={"file": (filename, content)}, filename=filename, progress=100)
    job.refresh_from_db()
    return job
