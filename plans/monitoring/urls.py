"""URLs of plans.monitoring; part of the ``plans`` namespace (``plans/urls.py``)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
