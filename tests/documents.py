"""Test helper for document builds (``emes.documents``): ask for a build through its page's button, check that the
request only queued it, run the job as a worker would, and download what it built."""
from __future__ import annotations

import io

from django.urls import reverse

from emes.documents.models import DocumentJob
from emes.documents.services import run_document


def request_build(client, url: str) -> DocumentJob:
    """POST the "build PDF" button at ``url``; asserts the redirect and that the job is only QUEUED (not built)."""
    response = client.post(url)
    assert response.status_code == 302, response.status_code
    job = DocumentJob.objects.order_by("-pk").first()
    assert job is not None and job.status == DocumentJob.Status.QUEUED and not job.file
    return job


PDF = "application/pdf"


def build_and_download(client, url: str, content_type: str = PDF):
    """Queue a build at ``url``, run it, and return ``(job, download response)``; asserts the file's ``content_type``."""
    job = request_build(client, url)
    run_document(job.pk)
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error
    response = client.get(reverse("documents:download", args=[job.office.area_code, job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == content_type
    return job, response


def pdf_title(content: bytes) -> str:
    """The document title of PDF ``content`` as pypdf reads it."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content)).metadata.title
