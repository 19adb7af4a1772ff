"""Pages of the outgoing-letter register: the list (and its Excel), a letter's PDF, sample letters.

Who: the office's plan officer and director (``REPORT_BUILDER_ROLES``); other staff of the office
get 403, everyone else 404 (``emes.access.get_office_for_user``).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from emes.access import REPORT_BUILDER_ROLES, get_office_for_user, roles_in
from emes.fiscal import parse_be_year, year_from_query

from . import selectors, services
from .exports import register_workbook
from .models import OutgoingLetter
from .samples import sample_letter

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> tuple[int | None, str]:
    """The register's ``?year=`` (BE; ``None``: every year), or ``None`` and the Thai refusal of
    ``emes.fiscal.parse_be_year`` (a CE year gets the hint naming the BE year)."""
    return year_from_query(request.GET.get("year"), default=None, parse=parse_be_year)


@login_required
@require_GET
def register(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REPORT_BUILDER_ROLES)
    year, problem = _year(request)
    if problem:
        messages.warning(request, problem)
    page = Paginator(selectors.register_of(office, year), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/letters/register.html", {
        "office": office, "year": year, "years": selectors.register_years(office), "page": page,
    })


@login_required
@require_GET
def register_xlsx(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REPORT_BUILDER_ROLES)
    year, problem = _year(request)
    if problem:  # a download cannot show a warning: refuse it, naming the problem
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    data = register_workbook(office, selectors.register_of(office, year), year=year)
    response = HttpResponse(data, content_type=XLSX)
    name = f"outgoing-letters-{office.area_code}{'-' + str(year) if year else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_object_or_404(OutgoingLetter.objects.visible_to(request.user).select_related("office"), pk=pk)
    if not (roles_in(request.user, letter.office) & REPORT_BUILDER_ROLES):
        raise PermissionDenied
    if not letter.file:
        raise Http404("no file")
    filename = f"letter-{letter.office.area_code}-{letter.year}-{letter.number}.pdf"
    return FileResponse(letter.file.open("rb"), filename=filename, content_type="application/pdf")


@login_required
@require_GET
def sample(request: HttpRequest, area_code: str, kind: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REPORT_BUILDER_ROLES)
    if kind not in OutgoingLetter.Kind.values:
        raise Http404("unknown kind")
    pdf = services.preview_letter_pdf(office=office, kind=kind, **sample_letter(office, kind))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sample-{kind}-{office.area_code}.pdf"'
    return response
