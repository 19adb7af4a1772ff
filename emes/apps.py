from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emes"
    verbose_name = _("Offices and schools")
