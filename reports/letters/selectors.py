"""Reads of the outgoing-letter register, scoped by the caller (views pass an office they checked)."""
from __future__ import annotations

from django.db.models import QuerySet

from .models import OutgoingLetter


def register_of(office, year: int | None = None) -> QuerySet[OutgoingLetter]:
    """The office's letters, newest first (year, then number, descending), optionally of one BE year."""
    letters = OutgoingLetter.objects.filter(office=office).select_related("office", "created_by").order_by("-year", "-number")
    if year:
        letters = letters.filter(year=year)
    return letters


def register_years(office) -> list[int]:
    """The BE calendar years that have letters in the office's register, newest first."""
    return list(OutgoingLetter.objects.filter(office=office).order_by("-year").values_list("year", flat=True).distinct())
