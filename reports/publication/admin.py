"""Admin of the annual report's versions: read here, moved only by the actions, which call the same services as the page.

Nothing of a version is edited in the admin (the narrative is written on the page, and an approved version
never changes): the director approves (a first try warns when quarterly reports wait for review, naming how
many; "approve despite" is the confirm step) or returns with a comment; the plan officer publishes.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _, gettext_lazy

from emes.admin import ReadOnlyScopedAdmin, ScopedTabularInline
from emes.models import Membership, Role
from emes.text import CleanCharField

from . import services
from .models import AnnualReport, AnnualReportTransition, CommitteeMember, ReportPhoto


class _ReadOnlyInline(ScopedTabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(_ReadOnlyInline):
    model = AnnualReportTransition
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "comment")


class CommitteeInline(_ReadOnlyInline):
    model = CommitteeMember
    fields = readonly_fields = ("order", "name", "position")


class PhotoInline(_ReadOnlyInline):
    model = ReportPhoto
    fields = readonly_fields = ("order", "caption", "plan_evidence", "inspection_evidence")


class ReturnCommentForm(forms.Form):
    comment = CleanCharField(label=gettext_lazy("What must be revised"), widget=forms.Textarea(attrs={"rows": 4}))


def _has_role(request, role: str) -> bool:
    return request.user.is_superuser or Membership.objects.filter(user=request.user, role=role).exists()


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyScopedAdmin):
    list_display = ("office", "fiscal_year", "version", "status", "approved_by", "approved_at", "published_at")
    list_filter = ("status", "fiscal_year")
    list_select_related = ("office", "approved_by")
    exclude = ("file",)
    readonly_fields = (
        "office", "fiscal_year", "version", "status", "foreword", "executive_summary", "problems_synthesis", "reason",
        "checksum", "data_as_of", "request_memo", "circulation_memo", "created_by", "created_at", "approved_by",
        "approved_at", "published_at", "circulated_at",
    )
    inlines = [TransitionInline, CommitteeInline, PhotoInline]
    actions = ["approve_reports", "approve_reports_despite_unreviewed", "return_reports", "publish_reports"]

    def has_approve_permission(self, request) -> bool:
        return _has_role(request, Role.DIRECTOR)

    def has_publish_permission(self, request) -> bool:
        return _has_role(request, Role.PLAN_OFFICER)

    def _each(self, request, queryset, move, done: str) -> None:
        for report in queryset.select_related("office"):
            try:
                move(report)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{report}: {' '.join(getattr(exc, 'messages', None) or [_('You may not do this.')])}", messages.ERROR)
            else:
                self.message_user(request, done % {"report": report}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Approve the selected annual reports"), permissions=["approve"])
    def approve_reports(self, request, queryset):
        self._each(request, queryset, lambda r: services.approve_report(r, by=request.user), _("%(report)s approved; its PDF is being frozen."))

    @admin.action(description=gettext_lazy("Approve the selected annual reports although quarterly reports wait for review"), permissions=["approve"])
    def approve_reports_despite_unreviewed(self, request, queryset):
        self._each(
            request, queryset, lambda r: services.approve_report(r, by=request.user, confirm_unreviewed=True),
            _("%(report)s approved; its PDF is being frozen."),
        )

    @admin.action(description=gettext_lazy("Return the selected annual reports for revision"), permissions=["approve"])
    def return_reports(self, request, queryset):
        form = ReturnCommentForm(request.POST if "comment" in request.POST else None)
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            self._each(request, queryset, lambda r: services.return_report(r, by=request.user, comment=comment), _("%(report)s returned for revision."))
            return None
        return TemplateResponse(request, "admin/reports/annualreport/return_reports.html", {
            **self.admin_site.each_context(request),
            "title": _("Return the selected annual reports for revision"),
            "reports": queryset, "form": form, "action": "return_reports",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "opts": self.model._meta,
        })

    @admin.action(description=gettext_lazy("Publish the selected annual reports on the public page"), permissions=["publish"])
    def publish_reports(self, request, queryset):
        self._each(request, queryset, lambda r: services.publish_report(r, by=request.user), _("%(report)s published."))
