from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteracyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "literacy"
    verbose_name = _("Literacy assessment")

    def ready(self) -> None:
        # What the core needs from this app: its obligations (emes.obligations, docs/obligations.md).
        from emes.obligations import register_obligation_provider

        from .obligations import KIND, literacy_submissions

        register_obligation_provider(KIND, literacy_submissions)

        # Its calendar rules (emes.calendar.registry): the events it lays out in the office's calendar.
        from emes.calendar.registry import register_calendar_rules

        from . import calendar_rules

        register_calendar_rules("literacy", calendar_rules.calendar_events)

        # Its summary PDF and workbook, built as document jobs with progress (emes.documents, issue 18).
        from emes.documents.registry import register_document

        from .summary_pdf import SUMMARY_PDF, SUMMARY_XLSX, build_summary_document, build_summary_workbook_document

        register_document(SUMMARY_PDF, _("Literacy summary"), build_summary_document)
        register_document(SUMMARY_XLSX, _("Literacy summary (Excel)"), build_summary_workbook_document)
