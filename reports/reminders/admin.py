"""Admin for the reminders (registered by reports/admin.py): read-only, office-scoped, with the actions of
the reminders page (hold, release, retry) calling the same services.

Reminders are recorded only by the sweep (``reports.reminders.services``); statuses move only through
the services, so nothing is added or edited here. The sweeps are the operators' (superusers') view.
"""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy as _

from emes.admin import OfficeScopedAdmin, ReadOnlyScopedAdmin
from reports.models import Reminder, SweepRun

from . import services


def _run(modeladmin, request, queryset, action) -> None:
    done = 0
    for reminder in queryset.select_related("office"):
        try:
            with transaction.atomic():
                action(reminder.office, reminder.pk, by=request.user)
            done += 1
        except ValidationError as exc:
            modeladmin.message_user(request, f"{reminder}: {' '.join(exc.messages)}", messages.WARNING)
    if done:
        modeladmin.message_user(request, gettext("%(count)s reminder(s) changed.") % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Hold the chosen reminders"))
def hold(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.hold_reminder)


@admin.action(description=_("Release the chosen held reminders"))
def release(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.release_reminder)


@admin.action(description=_("Retry the chosen failed reminders"))
def retry(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.retry_reminder)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyScopedAdmin):
    list_display = ("created_at", "office", "stage", "recipient_name", "subject", "status", "attempts", "letter", "sent_at")
    list_filter = ("status", "stage", "obligation_kind")
    search_fields = ("recipient_name", "recipient_email", "subject", "obligation_key")
    list_select_related = ("office", "letter", "letter__office")
    actions = [hold, release, retry]
    fields = readonly_fields = (
        "office", "obligation_kind", "obligation_key", "stage", "recipient_key", "recipient_user", "recipient_school",
        "recipient_name", "recipient_email", "due_on", "subject", "facts", "letter", "status", "status_reason", "attempts",
        "last_error", "held_by", "sweep", "created_at", "sent_at",
    )


@admin.register(SweepRun)
class SweepRunAdmin(OfficeScopedAdmin):
    superusers_only = True  # the operators' view of the sweeps (a run may cover every office)
    list_display = ("started_at", "for_date", "office", "trigger", "status", "created", "finished_at")
    list_filter = ("status", "trigger")
    list_select_related = ("office",)
    fields = readonly_fields = ("office", "for_date", "status", "trigger", "requested_by", "hold", "progress", "started_at", "finished_at", "created", "error")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
