"""Views of the annual report's life: request, edit, move (submit … circulate), download the frozen PDF.

Thin: scoped lookup (``reports.access``) → form → service → message → redirect.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import get_office_for_user

from .. import access
from ..views import be_year_or_hint
from . import services
from .forms import NarrativeForm, TransitionForm
from .selectors import photo_choices, unreviewed_reports


def _back(report):
    return redirect("reports:annual-report", area_code=report.office.area_code, fiscal_year=report.fiscal_year)


@login_required
@require_POST
def request_report(request: HttpRequest, area_code: str, fiscal_year: int) -> HttpResponse:
    office = get_office_for_user(request.user, area_code, roles=access.WRITER_ROLES)
    hint = be_year_or_hint(request, area_code, fiscal_year)
    if hint is not None:
        return hint
    try:
        report = services.request_report(office, fiscal_year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Memo %(no)s to the director registered; version 1 is a draft.") % {"no": report.request_memo.letter_no})
    return redirect("reports:annual-report", area_code=office.area_code, fiscal_year=fiscal_year)


@login_required
@require_http_methods(["GET", "POST"])
def edit_narrative(request: HttpRequest, area_code: str, fiscal_year: int, version: int) -> HttpResponse:
    report = access.get_annual_report_for_user(request.user, area_code, fiscal_year, version)
    if not access.can_write(request.user, report):
        raise PermissionDenied
    if not report.is_editable:
        messages.error(request, _("Version %(version)s is %(status)s and cannot be edited.") % {"version": report.version, "status": report.get_status_display()})
        return _back(report)
    choices = photo_choices(report.office, report.fiscal_year)
    form = NarrativeForm(request.POST or None, photos=choices, initial=NarrativeForm.initial_for(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_narrative(
                report, by=request.user, foreword=form.cleaned_data["foreword"], executive_summary=form.cleaned_data["executive_summary"],
                problems_synthesis=form.cleaned_data["problems_synthesis"], committee=form.committee_rows(), photos=form.photo_rows(),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The narrative was saved. Build the report to see it in the PDF."))
            return _back(report)
    return render(request, "reports/annual_report_edit.html", {"report": report, "office": report.office, "form": form})


@login_required
@require_POST
def transition(request: HttpRequest, area_code: str, fiscal_year: int, version: int) -> HttpResponse:
    report = access.get_annual_report_for_user(request.user, area_code, fiscal_year, version)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("unknown action")
    action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
    by = request.user
    try:
        if action == "submit":
            services.submit_report(report, by=by, comment=comment)
        elif action == "return":
            services.return_report(report, by=by, comment=comment)
        elif action == "approve":
            services.approve_report(report, by=by, comment=comment, confirm_unreviewed=form.cleaned_data["confirm_unreviewed"])
        elif action == "publish":
            services.publish_report(report, by=by)
        elif action == "circulate":
            services.circulate_report(report, by=by)
        elif action == "freeze":
            services.freeze_again(report, by=by)
        else:
            newer = services.open_new_version(report, by=by, reason=comment)
            messages.success(request, _("Version %(version)s is open as a draft.") % {"version": newer.version})
            return _back(report)
    except services.UnreviewedReports as exc:
        # The confirm step: say how many reports wait for review and ask again (nothing changed yet).
        waiting = unreviewed_reports(report.office, report.fiscal_year).select_related("project").order_by("project__code", "quarter")
        return render(request, "reports/annual_report_approve_confirm.html", {
            "report": report, "office": report.office, "count": exc.count, "waiting": waiting[:50], "comment": comment,
        })
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _DONE[action]())
    return _back(report)


_DONE = {
    "submit": lambda: _("The report was submitted to the director."),
    "return": lambda: _("The report was returned for revision."),
    "approve": lambda: _("The report was approved. Its PDF is being frozen; this page shows the progress."),
    "publish": lambda: _("The report is published on the office's public page."),
    "circulate": lambda: _("The report was circulated: the memo is registered and the recipients notified."),
    "freeze": lambda: _("The approved PDF is being built again."),
}


@login_required
@require_GET
def download_frozen(request: HttpRequest, area_code: str, fiscal_year: int, version: int) -> FileResponse:
    report = access.get_annual_report_for_user(request.user, area_code, fiscal_year, version)
    if not report.file:
        raise Http404("not frozen")
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename, content_type="application/pdf")
