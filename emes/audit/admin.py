"""Admin of the audit trail (imported by emes/admin.py): audit events, read-only, scoped to the office.

A plan officer or director (the office admin group) sees the events of their offices; superusers see every
event, those without an office included. Nobody adds, changes or deletes an event here.
"""
from __future__ import annotations

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "event_type", "target_repr", "actor", "office")
    list_filter = ("event_type",)
    search_fields = ("target_repr", "actor__username", "actor__first_name", "actor__last_name")
    list_select_related = ("actor", "office")
    date_hierarchy = "at"
    fields = readonly_fields = ("at", "event_type", "office", "actor", "target_type", "target_id", "target_repr", "before", "after")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
