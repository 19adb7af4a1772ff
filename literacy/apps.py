from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiteracyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "literacy"
    verbose_name = _("Literacy assessment")
