"""The office side: rounds, window, status board (issue 6)."""
from django.urls import path  # noqa: F401

urlpatterns: list = []
