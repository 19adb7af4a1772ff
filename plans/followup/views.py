"""Follow-up pages of the quarterly reports: completeness and timeliness, budget disbursement,
indicator tracking, and the quarter's Excel workbook (issue 5, "Follow-up views").

Who gets what (``emes.access``): anonymous → the login page; a user who is not staff of the office
(another office's people, school accounts) → 404; every staff member of the office reads all four.
A fiscal year outside BE 2500-2700 (e.g. CE 2026) → 404; a quarter outside 1-4 (in the path or
in ``?quarter=``) → 404.
"""
from __future__ import annotations

import base64

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from emes.access import get_office_for_user
from emes.models import Office
from emes.pagecache import cached_page
from plans.forms import IndicatorFilterForm
from plans.models import ActionPlan
from plans.workbook.services import is_fiscal_year

from . import charts, selectors
from .exports import write_quarter_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request: HttpRequest, area_code: str, fiscal_year: int) -> Office:
    office = get_office_for_user(request.user, area_code)
    if not is_fiscal_year(fiscal_year):
        raise Http404("not a BE fiscal year")
    return office


def _quarter_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("quarter", "")
    if raw == "":
        return None
    if raw not in ("1", "2", "3", "4"):
        raise Http404("quarter must be 1-4")
    return int(raw)


def _context(office: Office, fiscal_year: int, page: str, **extra) -> dict:
    return {"office": office, "fiscal_year": fiscal_year, "followup_page": page, "quarters": selectors.QUARTERS, **extra}


@login_required
@require_GET
@cached_page
def completeness(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    data = selectors.completeness(office, fiscal_year, quarter=_quarter_param(request))
    return render(request, "plans/followup/completeness.html", _context(office, fiscal_year, "completeness", data=data))


@login_required
@require_GET
def disbursement(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    data = selectors.disbursement(office, fiscal_year)
    cells = data.total.cumulative
    chart = charts.disbursement_chart(
        [c.pct for c in cells], data.targets, [c.flag for c in cells],
        divisions=[(d.label, [c.pct for c in d.cumulative]) for d in data.divisions],
    )
    return render(request, "plans/followup/disbursement.html", _context(
        # An image, not inline SVG: matplotlib's SVG carries style attributes the Content-Security-Policy refuses.
        office, fiscal_year, "disbursement", data=data, chart_src="data:image/svg+xml;base64," + base64.b64encode(chart.encode()).decode(),
        flag_labels=list(selectors.FLAG_LABELS.items()), amber_margin=selectors.AMBER_MARGIN,
    ))


@login_required
@require_GET
def indicator_tracking(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    form = IndicatorFilterForm(request.GET or None, office=office, fiscal_year=fiscal_year)
    data = selectors.indicator_tracking(office, fiscal_year, filters=form.filters())
    return render(request, "plans/followup/indicators.html", _context(
        office, fiscal_year, "indicators", data=data, form=form, filtered=bool(form.filters()),
        plan=ActionPlan.objects.current(office, fiscal_year),
    ))


@login_required
@require_GET
def quarter_export(request: HttpRequest, area_code: str, fiscal_year: int, quarter: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    if quarter not in selectors.QUARTERS:
        raise Http404("quarter must be 1-4")
    data = write_quarter_workbook(selectors.quarter_summary(office, fiscal_year, quarter))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="followup-{office.area_code}-{fiscal_year}-q{quarter}.xlsx"'
    return response
