"""Admin of the plan; non-superusers see only their offices' rows.

The director approves or returns a submitted action plan here (admin actions) as on the plan page;
both call ``plans.services``, after a confirmation page that says what will happen (``emes.confirm.admin_confirm_page``,
issue 17; so do the report approval and the strategy results' acceptance). Projects of a plan that is not a draft
are read-only here too.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emes.access import roles_by_area_code, roles_in
from emes.admin import NoFileLinkAdmin, OfficeScopedAdmin, ScopedTabularInline
from emes.confirm import admin_confirm_page, admin_confirmed
from emes.models import Membership, Role
from emes.text import CleanCharField

from . import services
from .direction_services import accept_strategy_results
from .models import PlanDirection, StrategyIndicatorResult
from .models import (
    ActionPlan,
    Activity,
    BudgetLine,
    DisbursementTarget,
    Indicator,
    IndicatorResult,
    PlanImport,
    PlanTransition,
    Project,
    QuarterlyReport,
    ReportDisbursement,
    ReportingRule,
    ReportTransition,
    Strategy,
)
from .monitoring import services as monitoring_services


@admin.register(Strategy)
class StrategyAdmin(OfficeScopedAdmin):
    """The office's strategies; the shared levels (national, Ministry, OBEC: no office) are read by all, changed by superusers."""

    shared_rows = True
    list_display = ("code", "name", "level", "fiscal_year", "office")
    list_filter = ("level", "fiscal_year")
    search_fields = ("code", "name")


class LockedWithPlanMixin:
    """Rows of a plan that is not a draft are read-only (an approved plan changes only by amendment).

    The page shows them read-only (no change or delete permission); every save and delete asks the
    plan service again under the plan's lock (``services.lock_plan_for``), and the models' validation
    (``clean``: ``services.require_editable_for``) refuses an added row with the service's Thai message.
    """

    def _plan_of(self, obj) -> tuple | None:
        return services.plan_of(obj)

    def _locked(self, obj) -> bool:
        plan = self._plan_of(obj) if obj is not None else None
        if plan is None:
            return False
        try:
            services.require_editable(*plan)
        except ValidationError:
            return True
        return False

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def check_write(self, request, obj, **kwargs) -> None:
        if isinstance(obj, (Project, Indicator, BudgetLine, Activity)):
            try:
                services.lock_plan_for(obj)
            except ValidationError as exc:
                raise PermissionDenied(" ".join(exc.messages)) from exc
        super().check_write(request, obj, **kwargs)


class IndicatorInline(LockedWithPlanMixin, ScopedTabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "name", "unit", "baseline", "target", "direction", "is_percentage", "frequency")

    def _plan_of(self, obj):
        # Inlines are asked with the parent project.
        return services.plan_of(obj) if not isinstance(obj, Project) else (obj.office, obj.fiscal_year)


class BudgetLineInline(IndicatorInline):
    model = BudgetLine
    fields = ("source", "amount", "q1", "q2", "q3", "q4")


class ActivityInline(IndicatorInline):
    model = Activity
    fields = ("order", "name", "months", "budget", "responsible")


@admin.register(Project)
class ProjectAdmin(LockedWithPlanMixin, OfficeScopedAdmin):
    list_display = ("code", "name", "division", "budget", "fiscal_year", "office")
    list_filter = ("fiscal_year", "division")
    search_fields = ("code", "name")
    list_select_related = ("division", "office")
    filter_horizontal = ("strategies",)
    inlines = [BudgetLineInline, ActivityInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(LockedWithPlanMixin, OfficeScopedAdmin):
    office_path = "project__office"
    list_display = ("name", "project", "unit", "direction", "target")
    search_fields = ("name", "project__code")
    list_select_related = ("project",)


class ReadOnlyInline(ScopedTabularInline):
    """Rows written by the report services only: shown, never changed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorResultInline(ReadOnlyInline):
    model = IndicatorResult
    fields = ("indicator", "actual", "numerator", "denominator")
    readonly_fields = fields


class ReportDisbursementInline(ReadOnlyInline):
    model = ReportDisbursement
    fields = ("source", "amount")
    readonly_fields = fields


class ReportTransitionInline(ReadOnlyInline):
    model = ReportTransition
    fields = ("at", "from_status", "to_status", "by_name", "comment")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("by"))
    def by_name(self, obj) -> str:
        """The person by name, as the history reads on the report's page (issue 17)."""
        return (obj.by.get_full_name() or obj.by.username) if obj.by_id else "-"


class ReportDecisionForm(forms.Form):
    comment = CleanCharField(label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(OfficeScopedAdmin):
    """Quarterly reports, read-only: the director approves accepted ones with the action (``plans.monitoring.services``).

    Reports are filed and reviewed on their pages; every field here is read-only so that no change
    bypasses the services' checks, versions and recorded transitions.
    """

    office_path = "project__office"
    list_display = ("project", "quarter", "status", "implementation", "progress", "budget_disbursed", "submitted_at")
    list_filter = ("status", "quarter", "project__fiscal_year", "implementation")
    search_fields = ("project__code", "project__name")
    list_select_related = ("project",)
    fields = (
        "project", "quarter", "status", "implementation", "progress", "budget_disbursed", "activities_done", "outcomes",
        "problems", "suggestions", "submitted_at", "version", "updated_by", "updated_at",
    )
    readonly_fields = fields
    inlines = [ReportDisbursementInline, IndicatorResultInline, ReportTransitionInline]
    actions = ["approve_selected_reports"]

    change_form_template = "admin/plans/quarterlyreport/change_form.html"

    def has_add_permission(self, request):
        return False  # reports are started on their page (monitoring.services.start_report)

    def get_urls(self):
        from django.urls import path

        return [
            path("<int:pk>/decide/<str:action>/", self.admin_site.admin_view(self.decide_view), name="plans_quarterlyreport_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        actions = monitoring_services.allowed_actions(request.user, report) if report is not None else set()
        extra = {"decisions": [a for a in ("approve", "return") if a in actions]}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def decide_view(self, request, pk: int, action: str):
        """Approve or return one report from its own admin page (issue 17): GET asks, with what will happen; POST
        calls the same service as the report's page and the inbox (a return needs the comment)."""
        from django.shortcuts import redirect

        report = self.get_object(request, str(pk))
        if report is None or action not in ("approve", "return"):
            from django.http import Http404

            raise Http404
        if action not in monitoring_services.allowed_actions(request.user, report):
            raise PermissionDenied
        form = ReportDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            comment = form.cleaned_data["comment"]
            try:
                if action == "approve":
                    monitoring_services.approve_report(report, by=request.user, comment=comment)
                else:
                    monitoring_services.return_report(report, by=request.user, comment=comment)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            else:
                done = _("%(report)s approved.") if action == "approve" else _("%(report)s returned for revision.")
                self.message_user(request, done % {"report": report}, messages.SUCCESS)
                return redirect("admin:plans_quarterlyreport_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Approve this report?") if action == "approve" else _("Return this report for revision?"),
            "report": report, "action": action, "form": form, "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/plans/quarterlyreport/decide.html", context)

    def has_approve_permission(self, request) -> bool:
        return request.user.is_superuser or Membership.objects.filter(user=request.user, role=Role.DIRECTOR).exists()

    @admin.action(description=gettext_lazy("Approve the selected reports"), permissions=["approve"])
    def approve_selected_reports(self, request, queryset):
        queryset = queryset.select_related("project")
        if not admin_confirmed(request):
            n = queryset.count()
            return admin_confirm_page(
                self, request, queryset, title=_("Approve %(n)s reports?") % {"n": n},
                what=[_("Approve these %(n)s reports; each is then locked and its owner is told (one e-mail per person):") % {"n": n},
                      _("A report the plan officer has not accepted yet is not approved: a message names it.")],
                items=[f"{r} {r.project.name} ({r.get_status_display()})" for r in queryset], button=_("Approve %(n)s reports") % {"n": n})
        outcomes = monitoring_services.approve_reports(queryset.select_related("project__office"), by=request.user)
        done = sum(o.ok for o in outcomes)
        if done:
            self.message_user(request, _("%(n)s reports approved.") % {"n": done}, messages.SUCCESS)
        for o in outcomes:
            if not o.ok:
                self.message_user(request, f"{o.report}: {o.message}", messages.ERROR)


class PlanTransitionInline(ScopedTabularInline):
    model = PlanTransition
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReturnCommentForm(forms.Form):
    comment = CleanCharField(label=gettext_lazy("What must be revised"), widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(ActionPlan)
class ActionPlanAdmin(OfficeScopedAdmin):
    """Versions of the action plans; the director approves or returns a submitted one with the actions."""

    list_display = ("office", "fiscal_year", "version", "status", "approved_by", "approved_at")
    list_filter = ("status", "fiscal_year")
    list_select_related = ("office", "approved_by")
    readonly_fields = ("office", "fiscal_year", "version", "status", "amendment_reason", "created_by", "created_at", "approved_by", "approved_at")
    exclude = ("snapshot",)
    inlines = [PlanTransitionInline]
    actions = ["approve_plans", "return_plans"]

    def has_add_permission(self, request):
        return False  # plans are created on the plan page or by the workbook import

    def has_approve_permission(self, request) -> bool:
        return request.user.is_superuser or Membership.objects.filter(user=request.user, role=Role.DIRECTOR).exists()

    @admin.action(description=gettext_lazy("Approve the selected plans"), permissions=["approve"])
    def approve_plans(self, request, queryset):
        if not admin_confirmed(request):
            n = queryset.count()
            return admin_confirm_page(
                self, request, queryset, title=_("Approve %(n)s action plans?") % {"n": n},
                what=[_("Approve these %(n)s action plans, with you recorded as their approver.") % {"n": n},
                      _("The approved plan is locked: its projects, budgets and indicators change only by an amendment (a new version).")],
                items=[str(p) for p in queryset.select_related("office")],
                button=_("Approve %(n)s plans") % {"n": n})
        for plan in queryset.select_related("office"):
            try:
                services.approve_plan(plan, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{plan}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
            else:
                self.message_user(request, _("%(plan)s approved.") % {"plan": plan}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Return the selected plans for revision"), permissions=["approve"])
    def return_plans(self, request, queryset):
        # The confirmation page asks for the required comment, as the plan page does; nothing moves before it.
        form = ReturnCommentForm(request.POST if "comment" in request.POST else None)
        if admin_confirmed(request) and form.is_valid():
            for plan in queryset.select_related("office"):
                try:
                    services.return_plan(plan, by=request.user, comment=form.cleaned_data["comment"])
                except (ValidationError, PermissionDenied) as exc:
                    self.message_user(request, f"{plan}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", messages.ERROR)
                else:
                    self.message_user(request, _("%(plan)s returned for revision.") % {"plan": plan}, messages.SUCCESS)
            return None
        n = queryset.count()
        return admin_confirm_page(
            self, request, queryset, title=_("Return %(n)s action plans for revision?") % {"n": n},
            what=[_("Return these %(n)s action plans: each goes back to the plan officer as a draft, with your comment in its history.") % {"n": n}],
            items=[str(p) for p in queryset.select_related("office")], form=form,
            button=_("Return for revision"), danger=True)


@admin.register(PlanImport)
class PlanImportAdmin(NoFileLinkAdmin):
    list_display = ("created_at", "original_name", "office", "fiscal_year", "status", "uploaded_by", "applied_at")
    list_filter = ("status",)
    exclude = ("file",)
    list_select_related = ("office", "uploaded_by")


@admin.register(DisbursementTarget)
class DisbursementTargetAdmin(OfficeScopedAdmin):
    """The government's cumulative disbursement targets per fiscal year and quarter: national, so superusers edit them."""

    office_path = None
    national = True
    list_display = ("fiscal_year", "quarter", "target_pct", "source")
    list_filter = ("fiscal_year",)


@admin.register(ReportingRule)
class ReportingRuleAdmin(OfficeScopedAdmin):
    """When the office's quarterly reports are due (working days after the quarter), per fiscal year."""

    list_display = ("office", "fiscal_year", "due_working_days")
    list_filter = ("fiscal_year",)


@admin.register(PlanDirection)
class PlanDirectionAdmin(OfficeScopedAdmin):
    """Vision, mission and goals of the office's plan per fiscal year (printed in the annual report's ส่วนที่ ๒)."""

    list_display = ("office", "fiscal_year", "updated_at")
    list_filter = ("fiscal_year",)

    def _writes(self, request, obj) -> bool:
        # The plan officer owns the plan's direction (plans.direction_services.save_direction), here as on the page.
        return request.user.is_superuser or (obj is not None and Role.PLAN_OFFICER in roles_in(request.user, obj.office))

    def has_add_permission(self, request):
        return request.user.is_superuser or any(Role.PLAN_OFFICER in roles for roles in roles_by_area_code(request.user).values())

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._writes(request, obj))

    def save_model(self, request, obj, form, change):
        if not self._writes(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(StrategyIndicatorResult)
class StrategyIndicatorResultAdmin(OfficeScopedAdmin):
    """Quarterly results of strategy- and policy-level indicators; accepted ones count and are locked."""

    list_display = ("indicator", "office", "quarter", "actual", "status")
    list_filter = ("status", "quarter")
    # Results are recorded on the plan officer's page through record_strategy_results (role, strategy indicator,
    # range and lock checked there); the admin only reads them and accepts them with the action below.
    readonly_fields = ("office", "indicator", "quarter", "actual", "status", "recorded_by", "accepted_by", "accepted_at")
    actions = ["accept"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == StrategyIndicatorResult.Status.ACCEPTED:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=gettext_lazy("Accept the selected results (they then count and are locked)"))
    def accept(self, request, queryset):
        if not admin_confirmed(request):
            queryset = queryset.select_related("indicator", "office")
            n = queryset.count()
            recorded = queryset.filter(status=StrategyIndicatorResult.Status.RECORDED).count()
            return admin_confirm_page(
                self, request, queryset, title=_("Accept %(n)s strategy indicator results?") % {"n": n},
                what=[_("%(recorded)s of the %(n)s selected results are recorded and will be accepted; those already accepted stay as they are.") % {"recorded": recorded, "n": n},
                      _("Accepted results count in the annual report and are locked: they can no longer be changed.")],
                items=[f"{r.indicator} · {r.office} · Q{r.quarter}: {r.actual} ({r.get_status_display()})" for r in queryset],
                button=_("Accept %(n)s results") % {"n": recorded})
        try:
            n = accept_strategy_results(queryset, by=request.user)
        except PermissionDenied:
            self.message_user(request, _("Only the office's plan officer accepts its results."), messages.ERROR)
            return
        self.message_user(request, _("%(n)s results accepted.") % {"n": n})
