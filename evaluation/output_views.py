"""The evaluation's report PDF, raw answers workbook and printable QR page (every staff member of the office reads)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import get_evaluation_for_user
from .models import EvaluationReport
from .outputs import qr_svg
from .report_jobs import request_evaluation_report
from .selectors import target_label

@login_required
@require_POST
def results_pdf(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Queue a build of the report PDF (a job with progress); the evaluation page shows it and offers the file."""
    ev = get_evaluation_for_user(request.user, area_code, pk)
    request_evaluation_report(ev, by=request.user)
    messages.success(request, _("The report is being built: it appears below when it is ready."))
    return redirect(reverse("evaluation:evaluation", args=[area_code, ev.pk]) + "#reports")


@login_required
@require_GET
def report_download(request: HttpRequest, area_code: str, pk: int, job_pk: int) -> FileResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    job = EvaluationReport.objects.filter(evaluation=ev, pk=job_pk, status=EvaluationReport.Status.DONE).select_related("evaluation__office").first()
    if job is None or not job.file:
        raise Http404("no file")
    return FileResponse(job.file.open("rb"), as_attachment=job.kind == EvaluationReport.Kind.XLSX, filename=job.filename, content_type=job.content_type)


@login_required
def answers_xlsx(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Queue a build of the raw answers workbook (a job like the PDF: 5,000 answers take seconds, bench/README.md).
    The scoped lookup comes first, so another office's people get 404 whatever the method; a GET is 405."""
    ev = get_evaluation_for_user(request.user, area_code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request_evaluation_report(ev, by=request.user, kind=EvaluationReport.Kind.XLSX)
    messages.success(request, _("The answers workbook is being built: it appears below when it is ready."))
    return redirect(reverse("evaluation:evaluation", args=[area_code, ev.pk]) + "#reports")


@login_required
@require_GET
def qr_page(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    url = request.build_absolute_uri(reverse("evaluation:public", args=[ev.token]))
    label, _url = target_label(ev)
    return render(request, "evaluation/qr.html", {
        "office": ev.office, "ev": ev, "url": url, "qr": mark_safe(qr_svg(url)), "target_label": label,  # noqa: S308 — SVG segno drew
    })
