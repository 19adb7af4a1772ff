"""Reads of the annual report's life: versions, their builds, the photographs that may be chosen, what waits for review."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from emes.models import Office
from inspections.models import AnswerEvidence
from plans.models import Evidence, QuarterlyReport

from ..annual.images import path_image
from ..jobs import REPORT_JOB
from ..models import ReportJob
from .models import AnnualReport

def image_path(evidence) -> str | None:
    """The filesystem path of ``evidence``'s file if it is really an image, else ``None``.

    The image rule is the book's own (``reports.annual.images``: Pillow reads and verifies it as PNG/JPEG/GIF/WebP,
    not over ``MAX_BYTES``), whatever the file's name or stored content type says (issue 15: an image that is not
    an image is not embedded). ``None`` too when the file is missing or its storage has no local path.
    """
    if evidence is None or not evidence.file:
        return None
    try:
        path = evidence.file.path
    except NotImplementedError:  # a storage with no local path
        return None
    return path if path_image(path) else None


def unreviewed_reports(office: Office, fiscal_year: int) -> QuerySet[QuarterlyReport]:
    """Quarterly reports of the year submitted but not yet reviewed (accepted or approved) by the office.

    Only reviewed figures count (docs/annual-report.md, M&E manual ข้อ ๑.๑(๘)); approving the annual report
    while some wait warns first.
    """
    return QuarterlyReport.objects.filter(
        project__office=office, project__fiscal_year=fiscal_year, status=QuarterlyReport.Status.SUBMITTED
    )


def running_build(office: Office, fiscal_year: int) -> ReportJob | None:
    """The build of the office's annual report for the year still queued or running with a live worker, if any."""
    return (
        ReportJob.objects.filter(
            office=office, fiscal_year=fiscal_year, kind=ReportJob.Kind.ANNUAL_REPORT,
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING],
        )
        .exclude(REPORT_JOB.stale_q())
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class PhotoChoice:
    """An image among the office's evidence files of the year, as the photograph form offers it."""

    key: str       # "plan-<id>" or "inspection-<id>"
    label: str


def photo_choices(office: Office, fiscal_year: int) -> list[PhotoChoice]:
    """Image evidence of the office's year: quarterly-report evidence of its projects and inspection-answer evidence
    of its rounds (by stored content type; the file itself is checked again when built). Office-scoped."""
    plan = Evidence.objects.filter(
        report__project__office=office, report__project__fiscal_year=fiscal_year, content_type__startswith="image/"
    ).select_related("report__project").order_by("report__project__code", "report__quarter", "id")
    inspection = AnswerEvidence.objects.filter(
        dispatch__round__office=office, dispatch__round__fiscal_year=fiscal_year, content_type__startswith="image/"
    ).select_related("dispatch__round").order_by("dispatch__round__number", "id")
    choices = [PhotoChoice(f"plan-{e.pk}", f"{e.report.project.code} ไตรมาส {e.report.quarter}: {e.original_name}") for e in plan]
    choices += [PhotoChoice(f"inspection-{e.pk}", f"ตรวจราชการรอบที่ {e.dispatch.round.number}: {e.original_name}") for e in inspection]
    return choices


def resolve_photo(office: Office, fiscal_year: int, key: str) -> dict | None:
    """``{"plan_evidence": e}`` or ``{"inspection_evidence": e}`` for a choice key of the office's year, else ``None``."""
    kind, _, pk = (key or "").partition("-")
    if not pk.isdigit():
        return None
    if kind == "plan":
        e = Evidence.objects.filter(pk=pk, report__project__office=office, report__project__fiscal_year=fiscal_year).first()
        return {"plan_evidence": e} if e else None
    if kind == "inspection":
        e = AnswerEvidence.objects.filter(pk=pk, dispatch__round__office=office, dispatch__round__fiscal_year=fiscal_year).first()
        return {"inspection_evidence": e} if e else None
    return None


def versions_of(office: Office, fiscal_year: int) -> list[AnnualReport]:
    """Every version of the office's report for the year, newest first, with history, committee and photos (fixed queries)."""
    return list(
        AnnualReport.objects.filter(office=office, fiscal_year=fiscal_year)
        .select_related("office", "approved_by", "request_memo__office", "circulation_memo__office")
        .prefetch_related("transitions__by", "committee", "photos__plan_evidence", "photos__inspection_evidence")
        .order_by("-version")
    )


def published_reports(office: Office) -> QuerySet[AnnualReport]:
    """The office's published versions for the public page, newest year and version first."""
    return AnnualReport.objects.published().filter(office=office).order_by("-fiscal_year", "-version")
