from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("Action plan and quarterly monitoring")

    def ready(self) -> None:
        # What the core needs from this app: its obligations (emes.obligations, docs/obligations.md).
        from emes.obligations import register_obligation_provider

        from .obligations import KIND, quarterly_reports

        register_obligation_provider(KIND, quarterly_reports)

        # Its calendar rules (emes.calendar.registry): the events it lays out in the office's calendar.
        from emes.calendar.registry import register_calendar_rules

        from . import calendar_rules

        register_calendar_rules("plans", calendar_rules.calendar_events)

        # What an evaluation may be about (evaluation.targets): projects, the action plan, office strategies.
        from . import evaluation_targets

        evaluation_targets.register()
