from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        # What the core needs from this app: its obligations (emes.obligations, docs/obligations.md).
        from emes.obligations import register_obligation_provider

        from .obligations import KIND, inspection_forms

        register_obligation_provider(KIND, inspection_forms)

        # Its calendar rules (emes.calendar.registry): the events it lays out in the office's calendar.
        from emes.calendar.registry import register_calendar_rules

        from . import calendar_rules

        register_calendar_rules(
            "inspection-rounds", calendar_rules.calendar_events,
            changed=calendar_rules.changed_sources, changed_texts=calendar_rules.CHANGED_TEXTS,
        )

        # Its round report PDF and responses workbook, built as document jobs with progress (emes.documents, issue 18).
        from emes.documents.registry import register_document

        from .outputs.documents import (
            RESPONSES_XLSX, ROUND_REPORT, build_responses_workbook_document, build_round_report_document,
        )

        register_document(ROUND_REPORT, _("Inspection round report"), build_round_report_document)
        register_document(RESPONSES_XLSX, _("Inspection responses (Excel)"), build_responses_workbook_document)
