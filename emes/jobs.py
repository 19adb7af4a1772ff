"""Job rows: work a Celery worker claims, runs and finishes, and what happens when that worker dies.

A *job row* is a model row whose status a task moves from waiting to running to an end state: a
generated document (``reports.ReportJob``, ``emes.documents.DocumentJob``), a reminder sweep (``reports.SweepRun``), a reminder being
e-mailed (``reports.Reminder`` in "sending"). Each app describes its kinds once with a :class:`JobKind`
and :func:`register`\\ s them in ``AppConfig.ready()``; the core never imports an app.

The rule (issue 13, item 4): every job ends finished or failed *with a reason*, even when the worker
running it is killed (SIGKILL, out of memory, a restart), and no job is run by two workers at once.

- **Claim.** A worker takes a row with one conditional UPDATE (on the status, and for a re-claim also on
  the heartbeat it saw), which records the heartbeat and counts the attempt; an UPDATE that matched no
  row means someone else has it.
- **Heartbeat.** The running worker refreshes ``heartbeat`` as it goes (:func:`beat`, e.g. at each
  progress step), only while it holds the row (its :class:`Claim`); a worker that lost it gets ``False``
  and its builder stops at that step (:func:`beat_or_stop` raises :class:`LostClaim`), writing nothing.
- **Stale.** A running row whose heartbeat is older than its kind's hard time limit plus
  :data:`GRACE_SECONDS` has no live worker: Celery's hard time limit (``time_limit`` of the task) kills
  a task by then. Kinds must therefore give their task that hard limit and report it as ``time_limit``.
- **Redelivery.** Job tasks are ``acks_late`` (and, when idempotent, ``reject_on_worker_lost``) and the
  Redis broker's ``visibility_timeout`` (``CELERY_VISIBILITY_TIMEOUT``) is longer than every hard time
  limit, so the task of a dead worker is delivered again. :func:`claim` lets the redelivered task
  re-claim a *stale* row of a kind that may run again while ``attempts`` < ``max_attempts``; at the
  limit it fails the row with the kind's reason. A row still fresh belongs to a live worker:
  :class:`JobBusy` tells the task when to look again.
- **Reaper.** :func:`reap` (``emes.tasks.reap_jobs_task`` on beat every ``EMES_JOB_REAP_SECONDS``,
  and ``manage.py reap_jobs``) puts stale rows of kinds that may run again back in the queue (within
  the attempt limit, the task enqueued again after commit), fails every other stale row with the
  kind's reason, and fails rows that waited for a worker longer than ``EMES_JOB_QUEUED_TIMEOUT``
  seconds. Fresh rows are left alone. With no broker (the embedded default) tasks run in-process and
  the reaper is a harmless no-op unless a process died mid-job.
- **End state.** A worker writes its row's end only through :func:`finish` (done, with its result and
  files) or :func:`fail` (failed, with the reason), each one conditional UPDATE on the :class:`Claim`
  that :func:`take` gave it: the row must still be running *and* on the attempt this worker claimed.
  A worker that was declared stale meanwhile (the reaper requeued the row, another worker re-claimed
  it, or the row was failed) gets ``False``, writes nothing, and its file is deleted again; so a late
  finish never overwrites the state of the worker that holds the row now.
- **Start.** :func:`start` enqueues a job's task; with no broker and ``EMES_JOBS_IN_THREAD`` (the embedded
  default) it runs the task in a daemon thread of the web process instead, so a request that asks for a
  long build answers at once and the page polls the row's progress. A web process that stops mid-build
  leaves a stale row that the reaper (or the next ``reap_jobs``) requeues or fails, as for a dead worker.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.module_loading import import_string
from django.db import close_old_connections, connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from emes import uploads

#: Seconds added to a kind's hard time limit before a heartbeat counts as stale: the pool kills a task
#: about a second after its limit, and servers' clocks (kept by NTP) differ by less than that.
GRACE_SECONDS = 5


@dataclass(frozen=True)
class JobKind:
    """How the core watches one kind of job row.

    ``model``'s ``status`` field takes ``queued`` (waiting; ``None``: rows are created running, e.g. a
    sweep), ``running`` and ``failed``. ``heartbeat`` names the DateTimeField of the last sign of life
    (set when the row is queued or claimed and by :func:`beat`); ``reason`` the text field the failure
    reason goes to; ``finished`` the DateTimeField set when it ends (or ``None``); ``attempts`` the
    counter of claims (or ``None``: never run twice). ``time_limit()`` is the hard time limit of the
    kind's task in seconds. ``stale_reason`` / ``queued_reason`` are the (lazy, translated) texts a
    failed row gets. ``requeue(ids)``, when given, enqueues the task of rows put back in the queue; only
    kinds with ``queued``, ``attempts`` and ``requeue`` run again (they must be idempotent). ``reset``
    holds the field values a requeued row starts again with (e.g. ``{"progress": 0}``). ``done`` is the
    status :func:`finish` writes (``None``: the kind's worker ends its rows some other way, e.g. a sweep).
    """

    model: type[models.Model]
    running: str
    failed: str
    time_limit: Callable[[], int]
    stale_reason: str
    queued: str | None = None
    queued_reason: str = ""
    heartbeat: str = "heartbeat_at"
    reason: str = "error"
    finished: str | None = "finished_at"
    attempts: str | None = None
    max_attempts: Callable[[], int] = lambda: settings.EMES_JOB_MAX_ATTEMPTS
    requeue: Callable[[list[int]], None] | None = None
    reset: dict = field(default_factory=dict)
    status: str = "status"
    done: str | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def runs_again(self) -> bool:
        return self.queued is not None and self.attempts is not None and self.requeue is not None

    def stale_before(self, now: dt.datetime | None = None) -> dt.datetime:
        """Heartbeats older than this (UTC datetime) are stale."""
        return (now or timezone.now()) - dt.timedelta(seconds=self.time_limit() + GRACE_SECONDS)

    def stale_q(self, now: dt.datetime | None = None) -> Q:
        """Running rows whose worker is gone."""
        hb = self.heartbeat
        return Q(**{self.status: self.running}) & (Q(**{f"{hb}__lt": self.stale_before(now)}) | Q(**{f"{hb}__isnull": True}))

    def is_stale(self, obj, now: dt.datetime | None = None) -> bool:
        """Whether ``obj`` (a row of this kind) is running without a live worker."""
        if getattr(obj, self.status) != self.running:
            return False
        beat_at = getattr(obj, self.heartbeat)
        return beat_at is None or beat_at < self.stale_before(now)

    def waiting_for(self, obj, now: dt.datetime | None = None) -> dt.timedelta | None:
        """How long ``obj`` has waited for a worker (``None`` unless it is queued)."""
        if self.queued is None or getattr(obj, self.status) != self.queued or getattr(obj, self.heartbeat) is None:
            return None
        return (now or timezone.now()) - getattr(obj, self.heartbeat)

    def _failure(self, reason: str, now: dt.datetime) -> dict:
        limit = self.model._meta.get_field(self.reason).max_length
        values = {self.status: self.failed, self.reason: str(reason)[:limit] if limit else str(reason)}
        if self.finished:
            values[self.finished] = now
        return values


logger = logging.getLogger(__name__)


def soft_and_hard(hard: int) -> tuple[int, int]:
    """``(soft, hard)`` Celery time limits in seconds for a job kind whose hard limit is ``hard``: the soft limit is
    80 % of it (at least 1 s), so the task still records its Thai reason on the row before the pool kills it."""
    return max(hard * 4 // 5, 1), hard


def start_each(task_path: str):
    """A ``JobKind.requeue`` callable: :func:`start` the Celery task at dotted ``task_path`` once per id.

    The task is imported when called, not when the job module loads: a task module imports its app's services,
    which import the job module (the cycle every app's jobs module met)."""
    def requeue(ids: list[int]) -> None:
        task = import_string(task_path)
        for pk in ids:
            start(task, pk)

    return requeue


def start(task, *args) -> threading.Thread | None:
    """Enqueue Celery ``task`` with ``args`` (ids); call after the job row is committed (``on_commit``).

    With ``EMES_JOBS_IN_THREAD`` (no broker, the embedded default; docs/annual-report.md) the task runs in a
    daemon thread with its own database connection, and the thread is returned (tests join it); else
    ``task.delay(*args)`` and ``None``. Either way the caller never waits for the work itself.
    """
    if not getattr(settings, "EMES_JOBS_IN_THREAD", False):
        task.delay(*args)
        return None

    def run() -> None:
        close_old_connections()
        try:
            task.apply(args=args)
        except Exception:  # the task records its own failure on the row; never let a thread die silently
            logger.exception("background job %s%r failed", task.name, args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=f"emes-job-{task.name}", daemon=True)
    thread.start()
    return thread


class JobBusy(Exception):
    """The row is running with a fresh heartbeat: a live worker has it. Look again in ``retry_in`` seconds."""

    def __init__(self, kind: JobKind, pk: int, retry_in: int) -> None:
        super().__init__(f"{kind.label} {pk} is running elsewhere; look again in {retry_in}s")
        self.kind, self.pk, self.retry_in = kind, pk, retry_in


_registry: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    """Add ``kind`` to the kinds :func:`reap` watches (call from ``AppConfig.ready()``); returns it."""
    _registry[kind.label] = kind
    return kind


def registered() -> tuple[JobKind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_registry.values())


@dataclass(frozen=True)
class Claim:
    """This worker's hold on row ``pk`` of ``kind``: the ``attempt`` (the row's attempts counter right after
    :func:`take` counted this claim; ``None`` for a kind without a counter, whose rows are never re-claimed).
    A re-claim by another worker raises the counter, so ``(running, attempt)`` names the holder. Truthy."""

    kind: JobKind
    pk: int
    attempt: int | None

    def held_q(self) -> Q:
        """The row, only while it is running and still on this claim."""
        q = Q(pk=self.pk, **{self.kind.status: self.kind.running})
        if self.kind.attempts and self.attempt is not None:
            q &= Q(**{self.kind.attempts: self.attempt})
        return q


def take(kind: JobKind, pk: int, **fields) -> Claim | None:
    """Take row ``pk`` of ``kind`` for this worker; the :class:`Claim` to end it with, or ``None`` if not ours.

    A queued row is claimed (→ running, heartbeat now, attempts + 1, ``fields`` set). A stale running
    row of a kind that runs again is re-claimed the same way while ``attempts`` < ``max_attempts()``;
    at the limit (or for a kind that never runs twice) it is failed with ``stale_reason`` and ``None``
    is returned. Both UPDATEs are conditional (status, and the heartbeat seen), so of two workers only
    one wins; the attempt counted is read back in the same transaction (the UPDATE's row lock keeps it
    ours until then). A running row with a fresh heartbeat raises :class:`JobBusy`; a finished or
    missing row gives ``None``.
    """
    now = timezone.now()
    manager = kind.model._default_manager
    values = {kind.status: kind.running, kind.heartbeat: now, **fields}
    if kind.attempts:
        values[kind.attempts] = F(kind.attempts) + 1

    def ours(updated: int) -> Claim | None:
        if not updated:
            return None
        attempt = manager.filter(pk=pk).values_list(kind.attempts, flat=True).get() if kind.attempts else None
        return Claim(kind, pk, attempt)

    with transaction.atomic():
        if kind.queued is not None:
            got = ours(manager.filter(pk=pk, **{kind.status: kind.queued}).update(**values))
            if got:
                return got
    row = manager.filter(pk=pk).values(kind.status, kind.heartbeat, *([kind.attempts] if kind.attempts else [])).first()
    if row is None or row[kind.status] != kind.running:
        return None
    seen = row[kind.heartbeat]
    stale_before = kind.stale_before(now)
    if seen is not None and seen >= stale_before:
        raise JobBusy(kind, pk, retry_in=math.ceil((seen - stale_before).total_seconds()) + 1)
    same = manager.filter(pk=pk, **{kind.status: kind.running}, **({kind.heartbeat: seen} if seen else {f"{kind.heartbeat}__isnull": True}))
    if kind.runs_again and row[kind.attempts] < kind.max_attempts():
        with transaction.atomic():
            return ours(same.update(**values))
    same.update(**kind._failure(kind.stale_reason, now))
    return None


def claim(kind: JobKind, pk: int, **fields) -> bool:
    """:func:`take` row ``pk`` of ``kind``; ``True`` if it is now ours to run (same rule, same errors).

    A worker that will write the row's end state needs the :class:`Claim` itself: use :func:`take`."""
    return take(kind, pk, **fields) is not None


class LostClaim(Exception):
    """This worker no longer holds its row (``held``, a :class:`Claim`): it was reaped, re-claimed by another
    worker or ended meanwhile. Raised by :func:`beat_or_stop` from a builder's progress step; the service running
    the builder catches it, discards the work (no end state, no file, its transaction rolled back) and logs it."""

    def __init__(self, held: Claim) -> None:
        super().__init__(f"{held.kind.label} {held.pk}: attempt {held.attempt} no longer holds the row")
        self.held = held


def beat(held: Claim, **fields) -> bool:
    """Refresh the heartbeat of the row of ``held`` (and set ``fields``, e.g. ``progress``) in one UPDATE
    conditional on the claim (running and still on this attempt, as for :func:`finish`); ``True`` if written.

    ``False`` (nothing written, logged at INFO) once this worker lost the row: a stale worker never refreshes
    the heartbeat nor overwrites the progress of the worker that holds the row now. A builder should stop then
    (:func:`beat_or_stop`)."""
    kind = held.kind
    written = kind.model._default_manager.filter(held.held_q()).update(
        **{kind.heartbeat: timezone.now()}, **fields
    ) == 1
    if not written:
        logger.info("%s %s: attempt %s no longer holds the row (reaped or re-claimed); its progress is not recorded",
                    kind.label, held.pk, held.attempt)
    return written


def beat_or_stop(held: Claim, **fields) -> None:
    """:func:`beat`, raising :class:`LostClaim` when this worker no longer holds the row (a builder's progress
    callback: the build stops at its next step instead of running on for a row that is not its own)."""
    if not beat(held, **fields):
        raise LostClaim(held)


def finish(held: Claim, *, files: dict[str, tuple[str, bytes]] | None = None, **fields) -> bool:
    """End the row of ``held`` as done: status ``kind.done``, ``finished`` now, ``fields`` (e.g. ``progress=100``,
    ``result={...}``) and ``files`` (``{field name: (file name, bytes)}``, stored in that FileField's storage
    first) in one conditional UPDATE. ``True`` if written.

    ``False`` when this worker no longer holds the row (module docstring, "End state": reaped and requeued,
    re-claimed by another worker, or failed meanwhile): nothing is written, the files just stored are
    deleted again and the discard is logged at INFO. Called inside an ``emes.uploads.removing_files_on_rollback()``
    block, the stored files are also deleted if that block rolls back after this (e.g. a later write of the same
    transaction fails), so a rolled-back end never leaves its file on disk. Errors: ``ValueError`` for a kind without ``done``;
    a storage or database error propagates after the stored files are deleted.
    """
    kind = held.kind
    if kind.done is None:
        raise ValueError(f"{kind.label} has no done status: its rows are not ended by finish()")
    values = {kind.status: kind.done, **fields}
    if kind.finished:
        values[kind.finished] = timezone.now()
    stored: list[tuple[models.FileField, str]] = []
    try:
        if files:
            obj = kind.model._default_manager.get(pk=held.pk)  # upload_to may read the row
            for name, (filename, content) in files.items():
                file_field = kind.model._meta.get_field(name)
                fieldfile = getattr(obj, name)
                fieldfile.save(filename, ContentFile(content), save=False)
                stored.append((file_field, fieldfile.name))
                values[name] = fieldfile.name
        written = kind.model._default_manager.filter(held.held_q()).update(**values) == 1
        if written and stored and uploads.removing_files():
            for file_field, name in stored:  # the caller's block rolls back later: the files go with the row
                uploads.delete_on_rollback(getattr(obj, file_field.name))
    except BaseException:
        _discard(stored)
        raise
    if not written:
        _discard(stored)
        logger.info("%s %s: attempt %s no longer holds the row (reaped or re-claimed); its result is discarded",
                    kind.label, held.pk, held.attempt)
    return written


def fail(held: Claim, reason: str) -> bool:
    """End the row of ``held`` as failed with ``reason`` (text, cut to the reason field's length; ``finished``
    now) in one conditional UPDATE; ``True`` if written, ``False`` (nothing written, logged at INFO) when this
    worker no longer holds the row, as for :func:`finish`."""
    kind = held.kind
    written = kind.model._default_manager.filter(held.held_q()).update(**kind._failure(reason, timezone.now())) == 1
    if not written:
        logger.info("%s %s: attempt %s no longer holds the row (reaped or re-claimed); its failure is not recorded",
                    kind.label, held.pk, held.attempt)
    return written


def _discard(stored: list[tuple[models.FileField, str]]) -> None:
    for file_field, name in stored:
        try:
            file_field.storage.delete(name)
        except Exception:  # noqa: BLE001  the original error or the False answer matters more
            logger.exception("could not delete discarded file %s", name)


@dataclass
class Reaped:
    """What :func:`reap` did to one kind: ids put back in the queue, stale rows failed, waiting rows failed."""

    requeued: list[int] = field(default_factory=list)
    failed: int = 0
    expired: int = 0


def reap_kind(kind: JobKind, queryset: models.QuerySet | None = None, *, now: dt.datetime | None = None) -> Reaped:
    """Apply the rule (module docstring) to the stale and long-waiting rows of ``kind`` (in ``queryset``)."""
    now = now or timezone.now()
    qs = kind.model._default_manager.all() if queryset is None else queryset
    done = Reaped()
    with transaction.atomic():
        if kind.runs_again:
            # Locked (skipping rows a worker is re-claiming right now), then moved only if still stale.
            ids = list(
                qs.filter(kind.stale_q(now), **{f"{kind.attempts}__lt": kind.max_attempts()})
                .select_for_update(skip_locked=True).values_list("pk", flat=True)
            )
            if ids:
                kind.model._default_manager.filter(kind.stale_q(now), pk__in=ids).update(
                    **{kind.status: kind.queued, kind.heartbeat: now}, **kind.reset
                )
                done.requeued = ids
                transaction.on_commit(lambda: kind.requeue(ids))
        done.failed = qs.filter(kind.stale_q(now)).update(**kind._failure(kind.stale_reason, now))
        if kind.queued is not None and kind.queued_reason:
            waited = now - dt.timedelta(seconds=settings.EMES_JOB_QUEUED_TIMEOUT)
            done.expired = qs.filter(**{kind.status: kind.queued, f"{kind.heartbeat}__lt": waited}).update(
                **kind._failure(kind.queued_reason, now)
            )
    return done


def reap(kinds: Iterable[JobKind] | None = None, *, now: dt.datetime | None = None) -> dict[str, Reaped]:
    """Reap every registered kind (or ``kinds``); returns what was done, by model label."""
    return {kind.label: reap_kind(kind, now=now) for kind in (registered() if kinds is None else kinds)}
