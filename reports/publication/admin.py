"""Admin of the annual report's versions: read here, moved only by the actions, which call the same services as the page.

Nothing of a version is edited in the admin (the narrative is written on the page, and an approved version
never changes): the director approves (a first try warns when quarterly reports wait for review, naming how
many; "approve despite" is the confirm step) or returns with a comment; the plan officer publishes. Each of these
actions first shows what will happen (emes.confirm.admin_confirm_page, issue 17) and acts only once confirmed.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _, gettext_lazy

from emes.admin import ReadOnlyScopedAdmin, ScopedTabularInline
from emes.confirm import admin_confirm_page, admin_confirmed
from emes.models import Membership, Role
from emes.text import CleanCharField

from . import services
from .models import AnnualReport, AnnualReportTransition, CommitteeMember, ReportPhoto
from .selectors import unreviewed_reports


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

    def _items(self, queryset, *, unreviewed: bool = False) -> list[str]:
        """One label per selected version (its ``str``: office, year, version, status) and, approving, the quarterly reports still waiting."""
        items = []
        for report in queryset.select_related("office"):
            label = str(report)  # the office, the year, the version and its status
            if unreviewed:
                label += " · " + _("quarterly reports waiting for review: %(n)s") % {
                    "n": unreviewed_reports(report.office, report.fiscal_year).count()}
            items.append(label)
        return items

    def _ask_approval(self, request, queryset, *, despite: bool):
        n = queryset.count()
        what = [_("Approve these %(n)s annual reports: each version is then frozen (its narrative can no longer change) and its PDF is built as the approved file.") % {"n": n}]
        if despite:
            what.append(_("They are approved even though quarterly reports of their year still wait for review: those figures are not checked."))
        else:
            what.append(_("A version whose year still has quarterly reports waiting for review is not approved: a message says how many."))
        return admin_confirm_page(
            self, request, queryset, title=_("Approve %(n)s annual reports?") % {"n": n}, what=what,
            items=self._items(queryset, unreviewed=True), button=_("Approve %(n)s annual reports") % {"n": n}, danger=despite)

    @admin.action(description=gettext_lazy("Approve the selected annual reports"), permissions=["approve"])
    def approve_reports(self, request, queryset):
        if not admin_confirmed(request):
            return self._ask_approval(request, queryset, despite=False)
        self._each(request, queryset, lambda r: services.approve_report(r, by=request.user), _("%(report)s approved; its PDF is being frozen."))

    @admin.action(description=gettext_lazy("Approve the selected annual reports although quarterly reports wait for review"), permissions=["approve"])
    def approve_reports_despite_unreviewed(self, request, queryset):
        if not admin_confirmed(request):
            return self._ask_approval(request, queryset, despite=True)
        self._each(
            request, queryset, lambda r: services.approve_report(r, by=request.user, confirm_unreviewed=True),
            _("%(report)s approved; its PDF is being frozen."),
        )

    @admin.action(description=gettext_lazy("Return the selected annual reports for revision"), permissions=["approve"])
    def return_reports(self, request, queryset):
        # The confirmation page asks for the required comment; nothing moves before it is confirmed.
        form = ReturnCommentForm(request.POST if "comment" in request.POST else None)
        if admin_confirmed(request) and form.is_valid():
            comment = form.cleaned_data["comment"]
            self._each(request, queryset, lambda r: services.return_report(r, by=request.user, comment=comment), _("%(report)s returned for revision."))
            return None
        n = queryset.count()
        return admin_confirm_page(
            self, request, queryset, title=_("Return %(n)s annual reports for revision?") % {"n": n},
            what=[_("Return these %(n)s annual reports: each goes back to the plan officer for revision, with your comment in its history.") % {"n": n}],
            items=self._items(queryset), form=form, button=_("Return for revision"), danger=True)

    @admin.action(description=gettext_lazy("Publish the selected annual reports on the public page"), permissions=["publish"])
    def publish_reports(self, request, queryset):
        if not admin_confirmed(request):
            n = queryset.count()
            return admin_confirm_page(
                self, request, queryset, title=_("Publish %(n)s annual reports?") % {"n": n},
                what=[_("Publish these %(n)s annual reports: the approved PDF of each is shown on its office's public page, for anyone to read and download.") % {"n": n},
                      _("A version whose approved PDF is still being built is not published: a message names it.")],
                items=self._items(queryset), button=_("Publish %(n)s annual reports") % {"n": n})
        self._each(request, queryset, lambda r: services.publish_report(r, by=request.user), _("%(report)s published."))
