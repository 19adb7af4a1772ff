"""Pages of the plan workbook: template and export downloads, the upload, its preview and apply.

Who gets what (``emes.access``): anonymous → login; a user without a staff membership of the office
(another office, a school account) → 404; staff of the office → the template and the export; the
import pages need the plan officer (``plans.services.PREPARERS``), other staff get 403; an import of
another office or year → 404. A fiscal year outside BE 2500-2700 in the URL (e.g. CE 2026) → 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from emes.access import STAFF_ROLES, get_office_for_user
from emes.models import Office
from plans.models import ActionPlan, PlanImport
from plans.services import PREPARERS, require_editable

from . import services
from .forms import PlanUploadForm
from .reader import PlanWorkbookError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request: HttpRequest, area_code: str, fiscal_year: int, roles=STAFF_ROLES) -> Office:
    office = get_office_for_user(request.user, area_code, roles=roles)
    if not services.is_fiscal_year(fiscal_year):
        raise Http404("not a BE fiscal year")
    return office


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _plan_url(office: Office, fiscal_year: int) -> str | None:
    """The plan overview page, once it exists (``plans:plan``)."""
    try:
        return reverse("plans:plan", args=[office.area_code, fiscal_year])
    except NoReverseMatch:
        return None


@login_required
@require_GET
def plan_template(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    return _xlsx(services.build_plan_template(office, fiscal_year), f"plan-template-{office.area_code}-{fiscal_year}.xlsx")


@login_required
@require_GET
def plan_export(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year)
    return _xlsx(services.export_plan_workbook(office, fiscal_year), f"plan-{office.area_code}-{fiscal_year}.xlsx")


def _locked_reason(office: Office, fiscal_year: int) -> str:
    try:
        require_editable(office, fiscal_year)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year, roles=PREPARERS)
    max_mb = services.max_upload_bytes() / 1024 / 1024
    form = PlanUploadForm(request.POST or None, request.FILES or None, max_mb=max_mb)
    error: PlanWorkbookError | None = None
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan_import = services.upload_plan_workbook(office, fiscal_year, form.cleaned_data["file"], by=request.user)
        except PlanWorkbookError as exc:
            error = exc
        except ValidationError as exc:
            refusal = exc.messages
        else:
            return redirect("plans:plan-import-preview", area_code=office.area_code, fiscal_year=fiscal_year, pk=plan_import.pk)
    return render(request, "plans/workbook/import_upload.html", {
        "office": office, "fiscal_year": fiscal_year, "form": form, "error": error, "refusal": refusal, "max_mb": max_mb,
        "locked": _locked_reason(office, fiscal_year), "plan": ActionPlan.objects.current(office, fiscal_year),
        "imports": PlanImport.objects.filter(office=office, fiscal_year=fiscal_year).select_related("uploaded_by")[:10],
        "plan_url": _plan_url(office, fiscal_year),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_preview(request: HttpRequest, area_code: str, fiscal_year: int, pk: int) -> HttpResponse:
    office = _office(request, area_code, fiscal_year, roles=PREPARERS)
    plan_import = get_object_or_404(PlanImport.objects.filter(office=office, fiscal_year=fiscal_year).select_related("uploaded_by", "office"), pk=pk)
    here = reverse("plans:plan-import-preview", args=[office.area_code, fiscal_year, plan_import.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("apply", "discard"):
            return HttpResponseBadRequest("unknown action")
        try:
            if action == "apply":
                summary = services.apply_plan_import(plan_import, by=request.user, fingerprint=request.POST.get("fingerprint", ""))
                messages.success(request, _("The plan was imported: %(changes)s changes (%(added)s projects added, %(changed)s changed, %(removed)s removed).") % {
                    "changes": summary["changes"], "added": summary["projects_added"], "changed": summary["projects_changed"], "removed": summary["projects_removed"]})
                return redirect(_plan_url(office, fiscal_year) or here)
            services.discard_plan_import(plan_import, by=request.user)
            messages.info(request, _("The upload was discarded; the plan was not changed."))
            return redirect("plans:plan-import", area_code=office.area_code, fiscal_year=fiscal_year)
        except PlanWorkbookError as exc:
            for line in exc.messages:
                messages.error(request, line)
        except ValidationError as exc:
            for line in exc.messages:
                messages.error(request, line)
        return redirect(here)

    changes, error = None, None
    if plan_import.status == PlanImport.Status.PREVIEWED:
        try:
            changes = services.preview_plan_import(plan_import)
        except PlanWorkbookError as exc:
            error = exc
    return render(request, "plans/workbook/import_preview.html", {
        "office": office, "fiscal_year": fiscal_year, "plan_import": plan_import, "changes": changes, "error": error,
        "locked": _locked_reason(office, fiscal_year) if plan_import.status == PlanImport.Status.PREVIEWED else "",
        "plan_url": _plan_url(office, fiscal_year),
    })
