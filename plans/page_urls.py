"""URLs of the plan pages (overview, projects, indicators, approval); part of the ``plans`` namespace."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
