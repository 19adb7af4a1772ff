"""The job kind of the evaluation report PDF, registered with the core's reaper (``emes.jobs``) in ``EvaluationConfig.ready``.

Idempotent, so a build whose worker died runs again up to ``EMES_JOB_MAX_ATTEMPTS`` times within the hard limit
``EMES_REPORT_JOB_TIME_LIMIT`` (the limit of every document build); then, or when no worker started it within
``EMES_JOB_QUEUED_TIMEOUT``, it fails with a reason the evaluation page shows.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from emes.jobs import JobKind, register, soft_and_hard, start_each

from .models import EvaluationReport


def time_limits() -> tuple[int, int]:
    """(soft, hard) time limit of a build in seconds; the soft one is 80 % of the hard one."""
    hard = settings.EMES_REPORT_JOB_TIME_LIMIT
    return soft_and_hard(hard)


EVALUATION_REPORT = register(JobKind(
    model=EvaluationReport,
    queued=EvaluationReport.Status.QUEUED,
    running=EvaluationReport.Status.RUNNING,
    failed=EvaluationReport.Status.FAILED,
    done=EvaluationReport.Status.DONE,
    time_limit=lambda: time_limits()[1],
    attempts="attempts",
    requeue=start_each("evaluation.tasks.build_evaluation_report_task"),
    reset={"progress": 0},
    stale_reason=_("The worker stopped while building this report. Build it again; if it stops again, tell the system administrator."),
    queued_reason=_("No worker started building this report: the background worker (Celery) is not running. Tell the system administrator, then build it again."),
))
