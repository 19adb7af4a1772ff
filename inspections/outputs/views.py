"""The outputs of an inspection round (issue 8 "Outputs"): the round report PDF, the responses workbook, and the
recommendations follow-up report (page, PDF, workbook).

Who gets what (as E's round pages, ``inspections.selectors.get_round_for_user`` / ``emes.access.get_office_for_user``):
anonymous → login; every staff member of the office reads all of them; school accounts and people of other
offices → 404 (a school never learns of the office's rounds through these URLs). The round report PDF is a
document job with progress (``emes.documents``, issue 18: about 8.8 s for 304 units, bench/README.md), and so is
the responses workbook (1.09 s for 304 units); the follow-up workbook and PDF are built in the request.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import get_office_for_user
from emes.documents.services import request_document
from emes.fiscal import fiscal_year_of, year_from_query

from ..models import InspectionRound
from ..selectors import get_round_for_user
from .data import follow_up_report
from .documents import RESPONSES_XLSX, ROUND_REPORT, follow_up_pdf
from .exports import XLSX, follow_up_workbook


def _file(content: bytes, content_type: str, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@login_required
@require_POST
def round_pdf(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Ask for a build of the round report (รายงานผลการตรวจราชการ รอบที่ n) as of the day it runs; a build already
    waiting or running for this round is reused. Back to the round page, which shows its progress and the file."""
    r = get_round_for_user(request.user, area_code, pk)
    _job, created = request_document(r.office, ROUND_REPORT, r.pk, by=request.user)
    if created:
        messages.success(request, _("The round report is being built: its link appears below when it is ready."))
    else:
        messages.info(request, _("The round report is already being built: its link appears below when it is ready."))
    return redirect(reverse("inspections:round", args=[area_code, r.pk]) + "#round-document")


@login_required
@require_http_methods(["GET", "POST"])
def responses_xlsx(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """POST: ask for a build of the units' responses workbook (a document job, as the round report); a build already
    waiting or running for this round is reused. GET (the old download link, bookmarks): the round page, where the
    workbook is built and downloaded. Either way back to the round page, which shows the build and its file."""
    r = get_round_for_user(request.user, area_code, pk)
    back = redirect(reverse("inspections:round", args=[area_code, r.pk]) + "#responses-workbook")
    if request.method != "POST":
        return back
    _job, created = request_document(r.office, RESPONSES_XLSX, r.pk, by=request.user)
    if created:
        messages.success(request, _("The responses workbook is being built: its link appears below when it is ready."))
    else:
        messages.info(request, _("The responses workbook is already being built: its link appears below when it is ready."))
    return back


def _fiscal_year(request: HttpRequest) -> tuple[int, str]:
    """The ``?fy=`` fiscal year (BE), or the current one with the Thai message of ``emes.fiscal.parse_fiscal_year``
    saying why the given one was not used."""
    return year_from_query(request.GET.get("fy"), default=fiscal_year_of(timezone.localdate()))


def _report(request: HttpRequest, area_code: str):
    office = get_office_for_user(request.user, area_code)
    fy, problem = _fiscal_year(request)
    return follow_up_report(office, fy), problem


@login_required
@require_GET
def follow_up(request: HttpRequest, area_code: str) -> HttpResponse:
    """Recommendations follow-up of a fiscal year: counts per division and round, overdue ones, latest follow-ups."""
    report, problem = _report(request, area_code)
    years = sorted({*InspectionRound.objects.filter(office=report.office).values_list("fiscal_year", flat=True), report.fiscal_year},
                   reverse=True)
    return render(request, "inspections/outputs/follow_up.html", {
        "office": report.office, "data": report, "years": years, "problem": problem,
    })


@login_required
@require_GET
def follow_up_pdf_view(request: HttpRequest, area_code: str) -> HttpResponse:
    report, _problem = _report(request, area_code)
    return _file(follow_up_pdf(report), "application/pdf",
                 f"inspection-follow-up-{report.office.area_code}-{report.fiscal_year}.pdf", inline=True)


@login_required
@require_GET
def follow_up_xlsx(request: HttpRequest, area_code: str) -> HttpResponse:
    report, _problem = _report(request, area_code)
    return _file(follow_up_workbook(report), XLSX,
                 f"inspection-follow-up-{report.office.area_code}-{report.fiscal_year}.xlsx", inline=False)
