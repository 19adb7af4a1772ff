"""Views of generated documents: the annual report page, its build button, job status and download."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emes.access import REPORT_BUILDER_ROLES, get_office_for_user
from emes.fiscal import parse_fiscal_year
from emes.thai import be_datetime

from . import access, services
from .jobs import report_job_note
from .models import AnnualReport, ReportJob
from .publication.selectors import running_build, unreviewed_reports, versions_of


def be_year_or_hint(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse | None:
    """A redirect to the BE year with the hint when ``fiscal_year`` was typed in CE (2026 → 2569), else ``None``."""
    try:
        parse_fiscal_year(fiscal_year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if exc.error_dict["fiscal_year"][0].code == "ce_year":
            return redirect("reports:annual-report", area_code=area_code, fiscal_year=fiscal_year + 543)
        return redirect("home")
    return None


@login_required
@require_GET
def annual_report(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    """The annual report of a fiscal year: its versions, their status and history, and what the user may do next."""
    office = get_office_for_user(request.user, area_code)
    hint = be_year_or_hint(request, area_code, fiscal_year)
    if hint is not None:
        return hint
    jobs = list(ReportJob.objects.for_office(office, fiscal_year).select_related("requested_by", "annual_report")[:20])
    for job in jobs:
        job.note = report_job_note(job)
    versions = versions_of(office, fiscal_year)
    current = versions[0] if versions else None
    user = request.user
    return render(
        request,
        "reports/annual_report.html",
        {
            "office": office, "fiscal_year": fiscal_year, "jobs": jobs, "versions": versions, "current": current,
            "can_build": access.can_build(user, office) and not (current and current.is_frozen and current.file),
            "can_write": access.can_write(user, office),
            "can_approve": access.can_approve(user, office),
            "building": running_build(office, fiscal_year),
            "unreviewed": unreviewed_reports(office, fiscal_year).count() if current and current.status == AnnualReport.Status.SUBMITTED else 0,
        },
    )


@login_required
@require_POST
def build_annual_report(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REPORT_BUILDER_ROLES)
    hint = be_year_or_hint(request, area_code, fiscal_year)
    if hint is not None:
        return hint
    current = AnnualReport.objects.current(office, fiscal_year)
    try:
        services.request_annual_report(office=office, fiscal_year=fiscal_year, by=request.user, report=current)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report has been queued; this page shows its progress."))
    return redirect("reports:annual-report", area_code=office.area_code, fiscal_year=fiscal_year)


def _job_for_user(user, pk: int) -> ReportJob:
    return get_object_or_404(ReportJob.objects.visible_to(user).select_related("office"), pk=pk)


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job_for_user(request.user, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_display": job.get_status_display(),
            "progress": job.progress,
            "error": job.error,
            "note": report_job_note(job),
            "finished": job.is_finished,
            "finished_at": be_datetime(job.finished_at),
            "download_url": reverse("reports:job-download", args=[job.pk]) if job.status == ReportJob.Status.DONE else "",
        }
    )


@login_required
@require_GET
def download_job(request: HttpRequest, pk: int) -> FileResponse:
    job = _job_for_user(request.user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        # Only finished documents are offered; a failed or running build has nothing to give.
        raise Http404("no file")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type="application/pdf")
