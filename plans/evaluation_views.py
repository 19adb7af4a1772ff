"""The evaluation of the annual action plan: the page (every staff member reads), its PDF for the executives, and the
plan officer's confirmation of each project's judgement (docs/evaluation.md; seeds/000 ข้อ ๕.๓)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from emes.access import get_office_for_user, roles_in
from emes.models import Role
from emes.output.pdf import render_pdf
from emes.text import parse_id

from .evaluation import Judgement, plan_evaluation
from .evaluation_services import confirm_judgement
from .models import Project


@login_required
@require_GET
def plan_evaluation_page(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    data = plan_evaluation(office, fiscal_year)
    return render(request, "plans/evaluation.html", {
        "office": office, "fiscal_year": fiscal_year, "data": data, "judgements": Judgement.choices,
        "can_judge": Role.PLAN_OFFICER in roles_in(request.user, office),
    })


@login_required
@require_GET
def plan_evaluation_pdf(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    data = plan_evaluation(office, fiscal_year)
    pdf = render_pdf("reports/pdf/plan_evaluation.html", {"data": data, "generated_at": timezone.now()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plan-evaluation-{office.area_code}-{fiscal_year}.pdf"'
    return response


@login_required
@require_POST
def judge_project(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    if Role.PLAN_OFFICER not in roles_in(request.user, office):
        raise PermissionDenied
    try:
        pk = parse_id(request.POST.get("project"))
    except ValidationError:
        messages.error(request, _("Choose a project."))
        return redirect("plans:plan-evaluation", area_code, fiscal_year)
    project = Project.objects.filter(office=office, fiscal_year=fiscal_year, pk=pk).select_related("office").first()
    if project is None:
        raise Http404("project not found")
    try:
        confirm_judgement(project, by=request.user, judgement=request.POST.get("judgement", ""), comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{project.code}: {message}")
    else:
        messages.success(request, _("The judgement of %(code)s was recorded.") % {"code": project.code})
    return redirect("plans:plan-evaluation", area_code, fiscal_year)
