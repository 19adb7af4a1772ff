"""The summary of a literacy round: page, printable PDF and Excel (issue 6, "Summary per round"), the files built as
document jobs (issue 18).

Who gets what (``emes.access``): anonymous → the login page; every staff member of the office reads
all three; school accounts (they see their own school only) and other offices' people → 404, as
does a round of another office.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emes.access import get_office_for_user
from emes.documents.selectors import latest_document
from emes.documents.services import request_document

from .models import LiteracyRound
from .summary import RoundSummary, round_summary
from .summary_pdf import SUMMARY_PDF, SUMMARY_XLSX


def _round(request: HttpRequest, area_code: str, pk: int) -> LiteracyRound:
    office = get_office_for_user(request.user, area_code)
    rnd = LiteracyRound.objects.filter(office=office, pk=pk).select_related("office").first()
    if rnd is None:
        raise Http404("round not found")
    return rnd


def _summary(request: HttpRequest, area_code: str, pk: int) -> RoundSummary:
    return round_summary(_round(request, area_code, pk))


@login_required
@require_GET
def summary(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    data = _summary(request, area_code, pk)
    return render(request, "literacy/summary/summary.html", {
        "office": data.office, "round": data.round, "data": data,
        "document": latest_document(data.office, SUMMARY_PDF, data.round.pk),
        "workbook": latest_document(data.office, SUMMARY_XLSX, data.round.pk),
    })


def _ask(request: HttpRequest, area_code: str, pk: int, key: str, anchor: str, *, asked: str, running: str) -> HttpResponse:
    rnd = _round(request, area_code, pk)
    _job, created = request_document(rnd.office, key, rnd.pk, by=request.user)
    if created:
        messages.success(request, asked)
    else:
        messages.info(request, running)
    return redirect(reverse("literacy:summary", args=[area_code, rnd.pk]) + "#" + anchor)


@login_required
@require_POST
def summary_pdf(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Ask for a build of the summary PDF (a document job, ``emes.documents``); a build already waiting or
    running for this round is reused. Back to the summary page, which shows its progress and the file."""
    return _ask(request, area_code, pk, SUMMARY_PDF, "summary-document",
                asked=_("The summary PDF is being built: its link appears below when it is ready."),
                running=_("The summary PDF is already being built: its link appears below when it is ready."))


@login_required
@require_POST
def summary_xlsx(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    """Ask for a build of the summary workbook (1.7 s for 333 schools, bench/README.md), as the PDF."""
    return _ask(request, area_code, pk, SUMMARY_XLSX, "summary-workbook",
                asked=_("The summary workbook is being built: its link appears below when it is ready."),
                running=_("The summary workbook is already being built: its link appears below when it is ready."))
