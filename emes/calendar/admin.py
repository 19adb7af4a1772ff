"""Admin of the calendar events and feeds (imported by emes/admin.py).

Events are kept on the calendar pages (services record edits); the admin lists them read-only per
office so the director and the plan officer can look things up. Feeds show no token.
"""
from django.contrib import admin

from emes.admin import OfficeScopedAdmin

from .models import CalendarEvent


@admin.register(CalendarEvent)
class CalendarEventAdmin(OfficeScopedAdmin):
    list_display = ("starts_on", "ends_on", "title", "kind", "audience", "fiscal_year", "office", "is_edited", "is_cancelled")
    list_filter = ("fiscal_year", "kind", "audience", "is_edited", "is_cancelled")
    search_fields = ("title", "rule", "gantt_row")
    date_hierarchy = "starts_on"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
