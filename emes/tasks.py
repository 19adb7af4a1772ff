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


from emes.calendar.jobs import time_limits as _calendar_limits  # noqa: E402

_SOFT, _HARD = _calendar_limits()


@shared_task(bind=True, name="emes.generate_calendar", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=_SOFT, time_limit=_HARD, max_retries=20)
def generate_calendar_task(self, build_id: int) -> None:
    """Run calendar generation ``CalendarBuild`` ``build_id`` (``emes.calendar.services.run_generation``); quietly
    does nothing if it is gone or finished; a live worker on it → retried later (as ``reports.tasks.build_report_task``)."""
    from emes.calendar.services import run_generation

    try:
        run_generation(build_id)
    except jobs.JobBusy as busy:
        if self.request.is_eager:
            return
        raise self.retry(countdown=busy.retry_in) from None
