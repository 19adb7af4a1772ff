from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        # What the core needs from this app (docs/evaluation.md): what respondents owe (emes.obligations) and
        # the evaluation windows in the monitoring calendar (emes.calendar.registry).
        from emes.calendar.registry import register_calendar_rules
        from emes.obligations import register_obligation_provider

        from . import calendar_rules, obligations

        register_obligation_provider(obligations.KIND, obligations.unanswered_evaluations)
        register_calendar_rules("evaluation", calendar_rules.calendar_events)

        # Its report builds, watched by the core's reaper (emes.jobs).
        from . import jobs  # noqa: F401
