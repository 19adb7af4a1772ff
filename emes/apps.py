from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_office_admin_group(sender, **kwargs) -> None:
    """After every migrate, grant the office admin group the view rights of models added since (idempotent)."""
    from .services import ensure_office_admin_group

    ensure_office_admin_group()


class EmesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "emes"
    verbose_name = _("Offices and schools")

    def ready(self) -> None:
        # Every app's post_migrate, not only ours: permissions of apps listed after ``emes`` exist only then.
        post_migrate.connect(_refresh_office_admin_group, dispatch_uid="emes-office-admin-group")
        # Document builds (issue 18), watched by the core's reaper; the apps register their builders.
        from .documents import jobs  # noqa: F401
        from .calendar import jobs  # noqa: F401  (registers the calendar generation's job kind)
        # The page cache stamps account changes itself (logins excepted; emes/pagecache.py, docs/page-cache.md).
        from . import pagecache

        pagecache.connect_signals()
