"""Celery tasks of the core: the reaper of job rows left by dead workers (``emes.jobs``)."""
from __future__ import annotations

from celery import shared_task

from . import jobs


@shared_task(name="emes.reap_jobs_task")
def reap_jobs_task() -> dict[str, list[int]]:
    """Requeue or fail the stale job rows of every registered kind (beat ``reap-stale-jobs``).

    Returns, by model label, ``[requeued, failed, expired]`` counts. Safe to run at any time and twice:
    each move is a conditional UPDATE of rows that are stale at that moment.
    """
    return {label: [len(r.requeued), r.failed, r.expired] for label, r in jobs.reap().items()}
from emes.notifications.tasks import send_notification_digest_task  # noqa: E402,F401  (autodiscovery finds emes.tasks only)
from emes.documents.tasks import build_document_task  # noqa: E402,F401
