"""Admin of the outgoing-letter register (registered by reports/admin.py): read-only, office-scoped.

Letters are registered only by ``reports.letters.services.register_letter`` (the number comes from
the locked counter), so nothing is added or edited here; the PDF is read on the register page, which
checks the reader's role, so the admin shows no link to the file.
"""
from django.contrib import admin

from emes.admin import OfficeScopedAdmin

from .models import OutgoingLetter


@admin.register(OutgoingLetter)
class OutgoingLetterAdmin(OfficeScopedAdmin):
    list_display = ("letter_no", "year", "number", "date", "kind", "subject", "recipient", "office", "created_by")
    list_filter = ("year", "kind")
    search_fields = ("subject", "recipient")
    list_select_related = ("office", "created_by")
    fields = readonly_fields = ("office", "year", "number", "kind", "date", "subject", "recipient", "created_by", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
