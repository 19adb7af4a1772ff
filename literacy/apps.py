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
