"""The school side: its form and workbook (issue 6)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
