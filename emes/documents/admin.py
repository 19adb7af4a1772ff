"""Document builds in the admin: read only (written by ``emes.documents.services`` only), scoped to the user's offices.
The file itself is served by the office-scoped download view, never linked from here."""
from django.contrib import admin

from emes.admin import ReadOnlyScopedAdmin

from .models import DocumentJob


@admin.register(DocumentJob)
class DocumentJobAdmin(ReadOnlyScopedAdmin):
    list_display = ("id", "kind", "target_id", "office", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("kind", "status")
    exclude = ("file",)
    list_select_related = ("office", "requested_by")
