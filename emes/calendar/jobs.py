"""The job kind of a calendar generation (``CalendarBuild``), registered with the core's reaper in ``EmesConfig.ready``.

Generating is idempotent (it brings the year's events in line with the rules), so a generation whose worker died runs
again up to ``EMES_JOB_MAX_ATTEMPTS`` times within the hard limit ``EMES_CALENDAR_JOB_TIME_LIMIT`` seconds; then, or
when no worker started it within ``EMES_JOB_QUEUED_TIMEOUT``, it fails with a reason the calendar list shows.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from emes.jobs import JobKind, register, soft_and_hard, start_each

from .models import CalendarBuild


def time_limits() -> tuple[int, int]:
    """(soft, hard) time limit of a generation in seconds; the soft one is 80 % of the hard one."""
    hard = getattr(settings, "EMES_CALENDAR_JOB_TIME_LIMIT", 5 * 60)
    return soft_and_hard(hard)


CALENDAR_BUILD = register(JobKind(
    model=CalendarBuild,
    queued=CalendarBuild.Status.QUEUED,
    running=CalendarBuild.Status.RUNNING,
    failed=CalendarBuild.Status.FAILED,
    done=CalendarBuild.Status.DONE,
    time_limit=lambda: time_limits()[1],
    attempts="attempts",
    requeue=start_each("emes.tasks.generate_calendar_task"),
    reset={"progress": 0},
    stale_reason=_("The worker stopped while generating this calendar. Generate it again; if it stops again, tell the system administrator."),
    queued_reason=_("No worker started generating this calendar: the background worker (Celery) is not running. Tell the system administrator, then generate it again."),
))
