"""URLs of the plan workbook (template, import, export); part of the ``plans`` namespace."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
