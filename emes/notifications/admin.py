"""Admin of the notifications (imported by emes/admin.py): superusers only, for support.

A user's notifications are private to them; office staff never see them in the admin.
"""
from django.contrib import admin

from emes.admin import OfficeScopedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(OfficeScopedAdmin):
    superusers_only = True
    list_display = ("title", "user", "office", "created_at", "read_at")
    list_filter = ("read_at",)
    search_fields = ("title", "user__username")
    list_select_related = ("user", "office")
    raw_id_fields = ("user",)
