"""When a school may submit: the round's window, or a reopening for that school.

Rule (issue 6): the plan officer opens (เปิดระบบ) and closes (ปิดระบบ) a round; while it is open a
school submits between ``opens_at`` and ``closes_at``; after that only a school the window was
reopened for, until its ``until``.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from emes.models import School

from .models import LiteracyRound, RoundReopening


def window_open_for(literacy_round: LiteracyRound, school: School, at: dt.datetime | None = None) -> bool:
    """Whether ``school`` may save or submit in ``literacy_round`` at ``at`` (now by default). One query at most."""
    at = at or timezone.now()
    if literacy_round.status == LiteracyRound.Status.OPEN and literacy_round.opens_at <= at <= literacy_round.closes_at:
        return True
    return RoundReopening.objects.filter(round=literacy_round, school=school, until__gte=at).exists()


def deadline_for(literacy_round: LiteracyRound, school: School) -> dt.datetime:
    """The last moment ``school`` may submit: the latest of the round's close and the school's reopenings."""
    reopened = RoundReopening.objects.filter(round=literacy_round, school=school).order_by("-until").values_list("until", flat=True).first()
    return max(literacy_round.closes_at, reopened) if reopened else literacy_round.closes_at


def rounds_open_for(school: School, at: dt.datetime | None = None) -> QuerySet[LiteracyRound]:
    """Rounds of the school's office in which the school may submit now (window open, or reopened for it)."""
    at = at or timezone.now()
    open_window = LiteracyRound.objects.filter(office_id=school.office_id, status=LiteracyRound.Status.OPEN, opens_at__lte=at, closes_at__gte=at)
    reopened = LiteracyRound.objects.filter(reopenings__school=school, reopenings__until__gte=at)
    return (open_window | reopened).distinct().order_by("-academic_year", "-number")
