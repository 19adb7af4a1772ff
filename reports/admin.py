from django.contrib import admin

from emes.admin import ReadOnlyScopedAdmin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyScopedAdmin):
    """Generated documents, read-only: a build is asked for on the report's page (reports.services checks the
    role, the plan, one build at a time and the frozen version), never added or moved here."""

    list_display = ("id", "kind", "office", "fiscal_year", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status", "fiscal_year")
    readonly_fields = ("status", "progress", "error", "file", "annual_report", "requested_by", "created_at", "started_at", "finished_at", "heartbeat_at", "attempts")
    list_select_related = ("office", "requested_by")

from reports.letters import admin as _letters_admin  # noqa: E402,F401  (registers the outgoing-letter register)
from reports.reminders import admin as _reminders_admin  # noqa: E402,F401  (registers reminders and sweeps)
from reports.publication import admin as _publication_admin  # noqa: E402,F401  (registers the annual report's versions)
