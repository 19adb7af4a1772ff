"""The demo app: ``python manage.py load_demo`` and the loader behind it."""
from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader; it may import every app, and no app imports it."""

    name = "demo"
    verbose_name = "Demo"
