"""The status (JSON, polled by static/emes/document_jobs.js) and the download of a document build (a PDF or a workbook).

Office-scoped: only the staff of the job's office reach them (``emes.access.get_office_for_user``); anyone else,
a school account included, gets 404, as for a job of another office.
"""
from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from emes.access import get_office_for_user
from emes.thai import be_datetime

from .models import DocumentJob


def _job(request: HttpRequest, area_code: str, pk: int) -> DocumentJob:
    office = get_office_for_user(request.user, area_code)
    return get_object_or_404(DocumentJob.objects.filter(office=office), pk=pk)


def job_payload(job: DocumentJob) -> dict:
    """What the page shows of ``job``: status, progress (%), error, BE finish time, download URL when done."""
    done = job.status == DocumentJob.Status.DONE and bool(job.file)
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "error": job.error,
        "finished": job.is_finished,
        "finished_at": be_datetime(job.finished_at),
        "download_url": reverse("documents:download", args=[job.office.area_code, job.pk]) if done else "",
    }


@login_required
@require_GET
def status(request: HttpRequest, area_code: str, pk: int) -> JsonResponse:
    return JsonResponse(job_payload(_job(request, area_code, pk)))


@login_required
@require_GET
def download(request: HttpRequest, area_code: str, pk: int) -> FileResponse:
    job = _job(request, area_code, pk)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404("no file")  # only finished documents are offered
    content_type = mimetypes.guess_type(job.filename)[0] or "application/octet-stream"  # a PDF, or a workbook
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename or None, content_type=content_type)
