"""The evaluation's report PDF, raw answers workbook and printable QR page (every staff member of the office reads)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from .access import get_evaluation_for_user
from .outputs import answers_workbook, qr_svg, report_pdf
from .selectors import target_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def results_pdf(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    response = HttpResponse(report_pdf(ev), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluation-{ev.office.area_code}-{ev.pk}.pdf"'
    return response


@login_required
@require_GET
def answers_xlsx(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    response = HttpResponse(answers_workbook(ev), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluation-answers-{ev.office.area_code}-{ev.pk}.xlsx"'
    return response


@login_required
@require_GET
def qr_page(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    ev = get_evaluation_for_user(request.user, area_code, pk)
    url = request.build_absolute_uri(reverse("evaluation:public", args=[ev.token]))
    label, _url = target_label(ev)
    return render(request, "evaluation/qr.html", {
        "office": ev.office, "ev": ev, "url": url, "qr": mark_safe(qr_svg(url)), "target_label": label,  # noqa: S308 — SVG segno drew
    })
