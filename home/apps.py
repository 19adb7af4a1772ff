"""The home app: the page that leads each person to their work."""
from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page; it may read every domain app, and no app imports it."""

    name = "home"
    verbose_name = "Home"
