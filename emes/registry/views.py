"""Registry pages: the school list of an office, the upload of a school list, its preview and apply.

Who gets what (``emes.access``): anonymous → login; a user without a staff membership of the
office → 404; staff of the office → the school list; the import pages need the plan officer
(``REGISTRY_ROLES``), other staff get 403.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from emes.access import REGISTRY_ROLES, can_manage_registry, get_office_for_user
from emes.models import SchoolImport

from . import selectors, services
from .forms import SchoolFilterForm, SchoolUploadForm
from .parsing import ImportFileError, accepted_school_columns


@login_required
@require_GET
def school_list(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code)
    form = SchoolFilterForm(request.GET or None, clusters=selectors.office_clusters(office))
    filters = form.cleaned_data if form.is_valid() else {}
    year = selectors.latest_enrolment_year(office)
    can_import = can_manage_registry(request.user, office)
    return render(request, "emes/registry/school_list.html", {
        "office": office,
        "form": form,
        "schools": selectors.office_schools(office, academic_year=year, cluster=filters.get("cluster", ""), status=filters.get("status", "")),
        "counts": selectors.office_school_counts(office),
        "academic_year": year,
        "grades": selectors.LIST_GRADES,
        "can_import": can_import,
        "imports": selectors.recent_imports(office) if can_import else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def school_import_upload(request: HttpRequest, area_code: str) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    max_mb = services.max_upload_bytes() / 1024 / 1024
    form = SchoolUploadForm(request.POST or None, request.FILES or None, max_mb=max_mb, initial={"academic_year": services.current_academic_year()})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            school_import = services.upload_school_file(
                office, form.cleaned_data["file"], by=request.user, academic_year=form.cleaned_data["academic_year"]
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            return redirect("registry:school-import-preview", area_code=office.area_code, pk=school_import.pk)
    return render(request, "emes/registry/school_import_upload.html", {
        "office": office, "form": form, "problems": problems, "max_mb": max_mb, "columns": accepted_school_columns(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def school_import_preview(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=REGISTRY_ROLES)
    school_import = get_object_or_404(SchoolImport.objects.filter(office=office).select_related("uploaded_by", "office"), pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("apply", "discard"):
            return HttpResponseBadRequest("unknown action")
        try:
            if action == "apply":
                summary = services.apply_school_import(school_import, by=request.user, fingerprint=request.POST.get("fingerprint", ""))
                messages.success(request, _("The school list was applied: %(added)s added, %(changed)s changed, %(marked)s marked missing.") % summary)
            else:
                services.discard_school_import(school_import, by=request.user)
                messages.info(request, _("The upload was discarded; the registry was not changed."))
        except ValidationError as exc:
            for line in exc.messages:
                messages.error(request, line)
            return redirect("registry:school-import-preview", area_code=office.area_code, pk=school_import.pk)
        return redirect("registry:school-list", area_code=office.area_code)

    preview, problems = None, []
    if school_import.status == SchoolImport.Status.PREVIEWED:
        try:
            preview = services.preview_school_import(school_import)
        except ImportFileError as exc:
            problems = exc.messages
    return render(request, "emes/registry/school_import_preview.html", {
        "office": office, "school_import": school_import, "preview": preview, "problems": problems,
    })
