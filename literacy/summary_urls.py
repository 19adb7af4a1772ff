"""Summaries: page, PDF, Excel (issue 6)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
