from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports and documents")

    def ready(self) -> None:
        # Registers the job kinds (report builds, sweeps, reminders being sent) with the core's reaper.
        from . import jobs  # noqa: F401
