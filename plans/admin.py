"""Admin of the plan; non-superusers see only their offices' rows."""
from __future__ import annotations

from django.contrib import admin

from emes.access import offices_visible_to
from emes.admin import OfficeScopedAdmin

from .models import Indicator, IndicatorResult, Project, QuarterlyReport, Strategy


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "fiscal_year", "office")
    list_filter = ("level", "fiscal_year")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # Shared levels (national, OBEC) have no office and are read by everyone.
        from django.db.models import Q

        return qs.filter(Q(office__isnull=True) | Q(office__in=offices_visible_to(request.user)))


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Project)
class ProjectAdmin(OfficeScopedAdmin):
    list_display = ("code", "name", "division", "budget", "fiscal_year", "office")
    list_filter = ("fiscal_year", "division")
    search_fields = ("code", "name")
    list_select_related = ("division", "office")
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(OfficeScopedAdmin):
    office_path = "project__office"
    list_display = ("name", "project", "unit", "direction", "target")
    search_fields = ("name", "project__code")
    list_select_related = ("project",)


class IndicatorResultInline(admin.TabularInline):
    model = IndicatorResult
    extra = 0
    raw_id_fields = ("indicator",)


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(OfficeScopedAdmin):
    office_path = "project__office"
    list_display = ("project", "quarter", "status", "implementation", "progress", "budget_disbursed", "submitted_at")
    list_filter = ("quarter", "status", "implementation")
    search_fields = ("project__code", "project__name")
    list_select_related = ("project",)
    inlines = [IndicatorResultInline]
