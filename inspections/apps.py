from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        # Registers the "inspection_form" provider of the reminder engine (reports.reminders.obligations).
        from . import obligations  # noqa: F401
