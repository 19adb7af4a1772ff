"""Admin of the kernel; non-superusers see only the offices of their memberships."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .access import offices_visible_to
from .people import services as people_services
from .services import save_office
from .models import (
    Division,
    Enrolment,
    Membership,
    Office,
    OfficeHoliday,
    Profile,
    School,
    SchoolAccountBatch,
    SchoolImport,
)

admin.site.site_header = "EMES"
admin.site.site_title = "EMES"
admin.site.index_title = _("Monitoring, evaluation and reporting")


class OfficeScopedAdmin(admin.ModelAdmin):
    """Limits rows to the user's offices; ``office_path`` names the lookup from the model to ``Office``."""

    office_path = "office"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.office_path}__in": offices_visible_to(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices in forms are scoped too, or a dropdown would list other offices' divisions.
        if not request.user.is_superuser:
            offices = offices_visible_to(request.user)
            related = db_field.related_model
            if related is get_user_model():
                # Only people already in the user's offices; new people are added on the people page.
                kwargs["queryset"] = related._default_manager.filter(memberships__office__in=offices).distinct()
            elif related is Office:
                kwargs["queryset"] = offices
            elif any(f.name == "office" for f in related._meta.get_fields()):
                office_field = related._meta.get_field("office")
                scope = Q(office__in=offices)
                if office_field.null:  # shared rows (e.g. OBEC policies) belong to no office
                    scope |= Q(office__isnull=True)
                kwargs["queryset"] = related._default_manager.filter(scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdmin):
    office_path = "pk"
    list_display = ("area_code", "name", "type", "province")
    list_filter = ("type",)
    search_fields = ("area_code", "name", "province")

    def save_model(self, request, obj, form, change):
        # Through the service: an office's settings (letter prefix, director, emblem...) are audited.
        save_office(obj, by=request.user)


@admin.register(Division)
class DivisionAdmin(OfficeScopedAdmin):
    list_display = ("code", "name", "office")
    list_filter = ("office",)
    search_fields = ("name",)


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0


class MissingFilter(admin.SimpleListFilter):
    title = _("in the latest registry")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("no", _("Yes")), ("yes", _("No, missing from the latest import"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(missing_since__isnull=self.value() == "no")
        return queryset


@admin.register(School)
class SchoolAdmin(OfficeScopedAdmin):
    list_display = ("smis_code", "name", "district", "cluster", "students_total", "is_open", "missing_since", "office")
    list_filter = ("is_open", MissingFilter, "district", "cluster")
    search_fields = ("smis_code", "moe_code", "name")
    list_select_related = ("office",)
    inlines = [EnrolmentInline]


@admin.register(Membership)
class MembershipAdmin(OfficeScopedAdmin):
    list_display = ("user", "role", "office", "division", "school")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "office", "division", "school")
    raw_id_fields = ("school",)

    # Roles granted, changed or removed here write their audit event as on the people page.
    def save_model(self, request, obj, form, change):
        people_services.save_membership_in_admin(obj, by=request.user, change=change)

    def delete_model(self, request, obj):
        people_services.delete_membership_in_admin(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "office"):
            people_services.delete_membership_in_admin(membership, by=request.user)


@admin.register(OfficeHoliday)
class OfficeHolidayAdmin(OfficeScopedAdmin):
    list_display = ("date", "name", "office")
    list_filter = ("office",)
    date_hierarchy = "date"


class NoFileLinkAdmin(OfficeScopedAdmin):
    """Read-only history of uploads and generated lists: their files are private and served by EMES pages only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SchoolImport)
class SchoolImportAdmin(NoFileLinkAdmin):
    list_display = ("created_at", "original_name", "office", "academic_year", "status", "uploaded_by", "applied_at")
    list_filter = ("status",)
    exclude = ("file",)
    list_select_related = ("office", "uploaded_by")


@admin.register(SchoolAccountBatch)
class SchoolAccountBatchAdmin(NoFileLinkAdmin):
    list_display = ("created_at", "office", "accounts", "created_by")
    exclude = ("pdf", "xlsx")  # they hold one-time passwords: downloads go through the school-accounts page
    list_select_related = ("office", "created_by")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "must_change_password", "password_changed_at")
    list_filter = ("must_change_password",)
    search_fields = ("user__username",)

    # Account flags of every person: superusers only (the office group's view rights do not reach them).
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

from emes.calendar import admin as _calendar_admin  # noqa: E402,F401  (registers calendar events)
from emes.notifications import admin as _notifications_admin  # noqa: E402,F401
from emes.audit import admin as _audit_admin  # noqa: E402,F401
