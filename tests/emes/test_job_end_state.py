"""A worker writes its job's end state only while it still holds the row (``emes.jobs.finish`` / ``fail``).

For each of the four kinds that build something (annual report, evaluation report, document, calendar): the worker
is declared stale in the middle of its build (its heartbeat goes old, the reaper requeues the row, a second worker
re-claims it); when the first worker's build then ends, well or badly, it writes neither done nor failed, keeps no
file, and the second worker still finishes the row. A worker that keeps its row finishes as before. Its heartbeat
and progress are held to the same claim: a stale worker's ``beat`` writes nothing, and its build stops at its next
progress step without writing anything. The annual report's end and its frozen PDF roll back together, files too.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from emes import jobs
from emes.calendar import services as calendar_services
from emes.calendar.jobs import CALENDAR_BUILD
from emes.calendar.models import CalendarBuild, CalendarEvent
from emes.documents.jobs import DOCUMENT_JOB
from emes.documents.models import DocumentJob
from emes.documents.registry import register_document
from emes.documents.services import run_document
from evaluation import report_jobs
from evaluation.jobs import EVALUATION_REPORT
from evaluation.models import EvaluationReport
from reports import services as report_services
from reports.jobs import REPORT_JOB
from reports.models import ReportJob
from tests.evaluation.conftest import (  # noqa: F401  fixtures of the evaluation row
    open_evaluation,
    owner_a,
    project_a,
    satisfaction_form,
    school_user_a,
)

pytestmark = pytest.mark.django_db

#: What the build in progress does when it is called: nothing, or lose its row to another worker.
MIDWAY: list[Callable[[], None]] = []


#: Non-empty: the build reports one more progress step after its midway point (and records that it went past it).
BEAT_AFTER: list[bool] = []
#: What a build did after that step (stays empty when the step stopped it).
PAST: list[str] = []


def _midway() -> None:
    for hook in MIDWAY:
        hook()


def _step_after_midway(progress) -> None:
    if BEAT_AFTER:
        progress(60)
        PAST.append("built on")


def _document_build(job, progress):
    progress(50)
    _midway()
    _step_after_midway(progress)
    if job.params.get("fail"):
        raise RuntimeError("boom")
    return f"end-state-{job.target_id}.pdf", b"%PDF-1.7 end state"


register_document("tests.end_state", "end state", _document_build)


@dataclasses.dataclass
class Case:
    kind: jobs.JobKind
    make: Callable  # (request, office) -> a queued row
    run: Callable[[int], object]  # the service the kind's task calls
    has_file: bool = True


def _report_row(request, office):
    return ReportJob.objects.create(office=office, fiscal_year=2569)


def _evaluation_row(request, office):
    return EvaluationReport.objects.create(evaluation=request.getfixturevalue("open_evaluation"))


def _document_row(request, office):
    return DocumentJob.objects.create(office=office, kind="tests.end_state", target_id=7)


def _calendar_row(request, office):
    return CalendarBuild.objects.create(office=office, fiscal_year=2570, requested_by=None, heartbeat_at=timezone.now())


CASES = {
    "report": Case(REPORT_JOB, _report_row, report_services.run_report_job),
    "evaluation": Case(EVALUATION_REPORT, _evaluation_row, report_jobs.run_evaluation_report),
    "document": Case(DOCUMENT_JOB, _document_row, run_document),
    "calendar": Case(CALENDAR_BUILD, _calendar_row, calendar_services.run_generation, has_file=False),
}


@pytest.fixture(params=list(CASES))
def case(request, monkeypatch):
    """One kind, its builder made quick and calling ``MIDWAY`` (the document kind's builder already does)."""
    MIDWAY.clear()

    def fake_pdf(*args, progress=None, **kwargs):
        if progress:
            progress(50)
        _midway()
        _step_after_midway(progress)
        if FAIL:
            raise RuntimeError("boom")
        return b"%PDF-1.7 built"

    real_generate = calendar_services.generate_calendar

    def generate(*args, **kwargs):
        if BEAT_AFTER:  # the row is lost before the generation: its own progress steps meet that
            _midway()
            result = real_generate(*args, **kwargs)
            PAST.append("built on")
            return result
        result = real_generate(*args, **kwargs)
        _midway()
        if FAIL:
            raise RuntimeError("boom")
        return result

    monkeypatch.setattr(report_services, "build_annual_report_pdf", fake_pdf)
    monkeypatch.setattr(report_jobs, "report_pdf", fake_pdf)
    monkeypatch.setattr(calendar_services, "generate_calendar", generate)
    yield CASES[request.param]
    MIDWAY.clear()
    FAIL.clear()
    BEAT_AFTER.clear()
    PAST.clear()


#: Non-empty: the build fails after its midway point (the document kind reads ``params["fail"]`` instead).
FAIL: list[bool] = []


def _files() -> set[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _lose_the_row(kind: jobs.JobKind, pk: int, second: list[jobs.Claim], capture) -> Callable[[], None]:
    """A hook: the heartbeat of ``pk`` goes stale, the reaper requeues it, a second worker takes it (attempt 2)."""

    def hook() -> None:
        old = timezone.now() - dt.timedelta(seconds=kind.time_limit() + jobs.GRACE_SECONDS + 60)
        kind.model._default_manager.filter(pk=pk).update(**{kind.heartbeat: old})
        with capture(execute=False):  # the requeued task goes nowhere: the test plays the second worker
            assert jobs.reap_kind(kind, kind.model._default_manager.filter(pk=pk)).requeued == [pk]
        held = jobs.take(kind, pk)
        assert held and held.attempt == 2
        second.append(held)

    return hook


@pytest.mark.parametrize("ends", ["done", "failed"])
def test_a_worker_that_lost_its_row_writes_no_end_and_keeps_no_file(
    case, ends, request, office_a, django_capture_on_commit_callbacks, caplog
):
    row = case.make(request, office_a)
    if ends == "failed":
        FAIL.append(True)
        if case.kind is DOCUMENT_JOB:
            DocumentJob.objects.filter(pk=row.pk).update(params={"fail": True})
    before = _files()
    second: list[jobs.Claim] = []
    MIDWAY.append(_lose_the_row(case.kind, row.pk, second, django_capture_on_commit_callbacks))

    with caplog.at_level(logging.INFO, logger="emes.jobs"):
        case.run(row.pk)  # the first worker's build ends after it lost the row

    row.refresh_from_db()
    assert (row.status, row.attempts, row.finished_at, row.error) == ("running", 2, None, "")
    assert row.progress != 100
    if case.has_file:
        assert not row.file and _files() == before  # the discarded file was deleted, not left behind
    else:
        assert row.result == {}
    assert "no longer holds the row" in caplog.text

    # The worker that holds the row now still ends it.
    files = {"file": ("second.pdf", b"%PDF-1.7 second")} if case.has_file else {}
    assert jobs.finish(second[0], files=files, progress=100)
    row.refresh_from_db()
    assert (row.status, row.progress, row.attempts) == ("done", 100, 2) and row.finished_at
    if case.has_file:
        assert row.file.read() == b"%PDF-1.7 second" and len(_files() - before) == 1


def test_a_worker_that_keeps_its_row_finishes(case, request, office_a):
    row = case.make(request, office_a)
    before = _files()
    case.run(row.pk)
    row.refresh_from_db()
    assert (row.status, row.progress, row.attempts, row.error) == ("done", 100, 1, "") and row.finished_at
    if case.has_file:
        assert row.file and len(_files() - before) == 1
    else:
        assert row.result["created"] >= 0


def test_a_worker_that_keeps_its_row_fails_with_the_reason(case, request, office_a):
    row = case.make(request, office_a)
    FAIL.append(True)
    if case.kind is DOCUMENT_JOB:
        DocumentJob.objects.filter(pk=row.pk).update(params={"fail": True})
    case.run(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1) and "boom" in row.error and row.finished_at
    if case.has_file:
        assert not row.file


# --- the core functions themselves --------------------------------------------------------------------------------


def test_finish_and_fail_answer_false_once_the_row_was_reclaimed(office_a):
    row = _document_row(None, office_a)
    first = jobs.take(DOCUMENT_JOB, row.pk)
    assert first == jobs.Claim(DOCUMENT_JOB, row.pk, 1)
    DocumentJob.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - dt.timedelta(days=1))
    jobs.reap_kind(DOCUMENT_JOB)
    assert not jobs.finish(first, progress=100)  # requeued: not running any more
    assert not jobs.fail(first, "late")
    second = jobs.take(DOCUMENT_JOB, row.pk)
    assert second.attempt == 2
    assert not jobs.finish(first, files={"file": ("late.pdf", b"late")}, progress=100)  # running, but on attempt 2
    assert not jobs.fail(first, "late")
    assert jobs.fail(second, "x" * 5000)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2) and row.error == "x" * 5000
    assert not jobs.finish(second)  # ended: nothing more is written
    assert _files() == set()


def test_finish_refuses_a_kind_without_a_done_status(office_a):
    from reports.jobs import SWEEP_RUN

    with pytest.raises(ValueError):
        jobs.finish(jobs.Claim(SWEEP_RUN, 1, None))


# --- progress (the heartbeat) is held to the claim too --------------------------------------------------------------


def _reclaimed(case, request, office) -> tuple[object, jobs.Claim, jobs.Claim]:
    """A row taken by a first worker, reaped stale and re-claimed by a second one that reported progress 30."""
    row = case.make(request, office)
    first = jobs.take(case.kind, row.pk)
    assert first and first.attempt == 1 and jobs.beat(first, progress=20)
    old = timezone.now() - dt.timedelta(seconds=case.kind.time_limit() + jobs.GRACE_SECONDS + 60)
    case.kind.model._default_manager.filter(pk=row.pk).update(**{case.kind.heartbeat: old})
    jobs.reap_kind(case.kind, case.kind.model._default_manager.filter(pk=row.pk))
    second = jobs.take(case.kind, row.pk)
    assert second and second.attempt == 2 and jobs.beat(second, progress=30)
    return row, first, second


def test_a_reclaimed_workers_beat_is_refused_and_changes_nothing(case, request, office_a, caplog):
    row, first, second = _reclaimed(case, request, office_a)
    row.refresh_from_db()
    held_since = row.heartbeat_at
    with caplog.at_level(logging.INFO, logger="emes.jobs"):
        assert jobs.beat(first, progress=77) is False
        with pytest.raises(jobs.LostClaim):
            jobs.beat_or_stop(first, progress=78)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.progress, row.heartbeat_at) == ("running", 2, 30, held_since)
    assert "no longer holds the row" in caplog.text
    assert jobs.beat(second, progress=40) is True  # the holder still beats
    row.refresh_from_db()
    assert row.progress == 40 and row.heartbeat_at > held_since
    assert jobs.fail(second, "over") and jobs.beat(second, progress=50) is False  # an ended row takes no beat
    row.refresh_from_db()
    assert (row.status, row.progress) == ("failed", 40)


def test_a_build_that_lost_its_row_stops_at_its_next_beat_without_writing(
    case, request, office_a, django_capture_on_commit_callbacks, caplog
):
    row = case.make(request, office_a)
    before = _files()
    second: list[jobs.Claim] = []
    seen: dict = {}
    lose = _lose_the_row(case.kind, row.pk, second, django_capture_on_commit_callbacks)

    def lose_and_look() -> None:
        lose()
        seen.update(case.kind.model._default_manager.filter(pk=row.pk).values("progress", "heartbeat_at").get())

    MIDWAY.append(lose_and_look)
    BEAT_AFTER.append(True)
    with caplog.at_level(logging.INFO):
        case.run(row.pk)

    assert PAST == []  # the build stopped at the progress step after it lost the row
    row.refresh_from_db()
    assert (row.status, row.attempts, row.finished_at, row.error) == ("running", 2, None, "")
    assert (row.progress, row.heartbeat_at) == (seen["progress"], seen["heartbeat_at"])  # the new holder's, untouched
    assert "lost the row" in caplog.text
    if case.has_file:
        assert not row.file and _files() == before
    else:
        assert row.result == {}
        assert not CalendarEvent.objects.filter(office=office_a).exists()  # the generation's writes rolled back
    assert jobs.finish(second[0], progress=100)  # the holder still ends it


def test_an_annual_report_whose_freezing_fails_ends_failed_and_keeps_no_file(office_a, monkeypatch, caplog):
    """Freezing the approved version fails after the job was written DONE: the transaction rolls back, and with it
    both stored files (the job's and the version's); the job ends FAILED with the reason instead."""
    from reports.models import AnnualReport
    from reports.publication import freezing

    monkeypatch.setattr(report_services, "build_annual_report_pdf", lambda *a, progress=None, **k: b"%PDF-1.7 frozen")

    def broken_history(*args, **kwargs):
        raise RuntimeError("history is down")

    monkeypatch.setattr(freezing, "record_transition", broken_history)
    version = AnnualReport.objects.create(office=office_a, fiscal_year=2569, status=AnnualReport.Status.APPROVED)
    job = ReportJob.objects.create(office=office_a, fiscal_year=2569, annual_report=version)
    before = _files()

    report_services.run_report_job(job.pk)

    job.refresh_from_db()
    version.refresh_from_db()
    assert (job.status, job.attempts) == ("failed", 1) and "history is down" in job.error and job.finished_at
    assert not job.file and not version.file and not version.checksum
    assert _files() == before  # neither the job's PDF nor the frozen copy is left on disk
