"""The summary of a literacy round: page, printable PDF and Excel (issue 6, "Summary per round").

Who gets what (``emes.access``): anonymous → the login page; every staff member of the office reads
all three; school accounts (they see their own school only) and other offices' people → 404, as
does a round of another office.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from emes.access import get_office_for_user
from emes.models import Grade
from emes.output.pdf import render_pdf

from .models import LiteracyRound
from .summary import RoundSummary, round_summary
from .summary_charts import level_bars
from .summary_exports import write_summary_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _summary(request: HttpRequest, area_code: str, pk: int) -> RoundSummary:
    office = get_office_for_user(request.user, area_code)
    rnd = LiteracyRound.objects.filter(office=office, pk=pk).select_related("office").first()
    if rnd is None:
        raise Http404("round not found")
    return round_summary(rnd)


@login_required
@require_GET
def summary(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    data = _summary(request, area_code, pk)
    return render(request, "literacy/summary/summary.html", {"office": data.office, "round": data.round, "data": data})


@login_required
@require_GET
def summary_pdf(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    data = _summary(request, area_code, pk)
    blocks = [*data.office_total.ordered_grades(data.grades)]
    if len(blocks) > 1:
        blocks.append(data.office_total.all_grades)
    charts = []
    for g in blocks:
        title = f"ชั้น {Grade(g.grade).label}" if g.grade in Grade.values else "ทุกชั้นรวมกัน"
        charts.append((g, title, mark_safe(level_bars(g, title))))  # noqa: S308 — SVG we drew
    pdf = render_pdf("reports/pdf/literacy_summary.html", {"data": data, "charts": charts, "generated_at": timezone.now()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="literacy-summary-{data.office.area_code}-{data.round.academic_year}-{data.round.number}.pdf"')
    return response


@login_required
@require_GET
def summary_xlsx(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    data = _summary(request, area_code, pk)
    response = HttpResponse(write_summary_workbook(data), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="literacy-summary-{data.office.area_code}-{data.round.academic_year}-{data.round.number}.xlsx"')
    return response
