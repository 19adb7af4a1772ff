"""The evaluation rows in the admin: read only and scoped to the user's offices (every change goes through
``evaluation.services`` on the evaluation pages, where the rules — frozen forms, windows, anonymity — are kept)."""
from django.contrib import admin

from emes.admin import ReadOnlyScopedAdmin

from .models import Evaluation, EvaluationForm


@admin.register(EvaluationForm)
class EvaluationFormAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "office", "standard", "created_by", "created_at")
    list_filter = ("standard",)
    search_fields = ("title", "office__name", "office__area_code")
    readonly_fields = ("office", "title", "description", "standard", "copied_from", "bands", "created_by", "created_at")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyScopedAdmin):
    list_display = ("title", "office", "status", "opens_on", "closes_on", "public")
    list_filter = ("status", "public")
    search_fields = ("title", "office__name", "office__area_code")
    readonly_fields = ("office", "form", "title", "target_type", "target_id", "opens_on", "closes_on", "status", "public", "created_by", "created_at")
    exclude = ("token",)
