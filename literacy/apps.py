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
