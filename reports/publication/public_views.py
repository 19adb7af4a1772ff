"""The office's public page (no login): its published annual reports and their frozen PDFs.

Step 9 of the M&E manual ข้อ ๑.๖ (publish on the office's website); docs/annual-report.md. Only published
versions are listed or served; a draft, submitted, returned or approved-but-unpublished version is "not found".
"""
from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from emes.models import Office

from ..letters.services import emblem_data_uri
from .models import AnnualReport
from .selectors import published_reports


@require_GET
def office_page(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_object_or_404(Office, area_code=area_code)
    return render(request, "reports/public_office.html", {
        "office": office, "emblem": emblem_data_uri(office), "reports": list(published_reports(office)),
    })


@require_GET
def download(request: HttpRequest, area_code: str, pk: int) -> FileResponse:
    report = AnnualReport.objects.published().select_related("office").filter(office__area_code=area_code, pk=pk).first()
    if report is None:
        raise Http404("not published")
    return FileResponse(report.file.open("rb"), as_attachment=False, filename=report.filename, content_type="application/pdf")
