"""Admin of the kernel; non-superusers see only the offices of their memberships."""
from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .access import offices_visible_to
from .models import Division, Membership, Office, OfficeHoliday, School

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
            if related is Office:
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


@admin.register(Division)
class DivisionAdmin(OfficeScopedAdmin):
    list_display = ("code", "name", "office")
    list_filter = ("office",)
    search_fields = ("name",)


@admin.register(School)
class SchoolAdmin(OfficeScopedAdmin):
    list_display = ("smis_code", "name", "district", "cluster", "is_open", "office")
    list_filter = ("is_open", "district", "cluster")
    search_fields = ("smis_code", "moe_code", "name")
    list_select_related = ("office",)


@admin.register(Membership)
class MembershipAdmin(OfficeScopedAdmin):
    list_display = ("user", "role", "office", "division", "school")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "office", "division", "school")
    raw_id_fields = ("school",)


@admin.register(OfficeHoliday)
class OfficeHolidayAdmin(OfficeScopedAdmin):
    list_display = ("date", "name", "office")
    list_filter = ("office",)
    date_hierarchy = "date"
