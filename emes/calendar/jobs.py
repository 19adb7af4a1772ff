"""The job kind of a calendar generation (``CalendarBuild``), registered with the core's reaper in ``EmesConfig.ready``.

Generating is idempotent (it brings the year's events in line with the rules), so a generation whose worker died runs
again up to ``EMES_JOB_MAX_ATTEMPTS`` times within the hard limit ``EMES_CALENDAR_JOB_TIME_LIMIT`` seconds; then, or
when no worker started it within ``EMES_JOB_QUEUED_TIMEOUT``, it fails with a reason the calendar list shows.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from emes.jobs import JobKind, register

from .models import CalendarBuild


def time_limits() -> tuple[int, int]:
    """(soft, hard) time limit of a generation in seconds; the soft one is 80 % of the hard one."""
    hard = getattr(settings, "EMES_CALENDAR_JOB_TIME_LIMIT", 5 * 60)
    return max(hard * 4 // 5, 1), hard


def _enqueue(ids: list[int]) -> None:
    from emes.tasks import generate_calendar_task

    for pk in ids:
        generate_calendar_task.delay(pk)


CALENDAR_BUILD = register(JobKind(
    model=CalendarBuild,
    queued=CalendarBuild.Status.QUEUED,
    running=CalendarBuild.Status.RUNNING,
    failed=CalendarBuild.Status.FAILED,
    time_limit=lambda: time_limits()[1],
    attempts="attempts",
    requeue=_enqueue,
    reset={"progress": 0},
    stale_reason=_("The worker stopped while generating this calendar. Generate it again; if it stops again, tell the system administrator."),
    queued_reason=_("No worker started generating this calendar: the background worker (Celery) is not running. Tell the system administrator, then generate it again."),
))
