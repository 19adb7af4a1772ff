"""Admin of inspection rounds and recommendations: read-only lists for the director, scoped to the office.

Rounds, forms and recommendations change on the inspection pages, through ``inspections.services``
(standards checked, transitions recorded); the admin is for looking things up.
"""
from django.contrib import admin

from emes.admin import ReadOnlyScopedAdmin

from .models import InspectionRound, Recommendation


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyScopedAdmin):
    list_display = ("fiscal_year", "number", "title", "kind", "status", "visit_starts_on", "office")
    list_filter = ("fiscal_year", "kind", "status")
    search_fields = ("title", "inspectors")
    list_select_related = ("office",)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyScopedAdmin):
    office_path = "round__office"
    list_display = ("round", "order", "text", "status", "due_on", "closed_at")
    list_filter = ("status", "round__fiscal_year")
    search_fields = ("text",)
    list_select_related = ("round", "round__office")
