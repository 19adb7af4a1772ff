"""The demo's clock: every state change of the demo happens at a moment of the story, by the real services.

The services stamp "now" (``timezone.now()``: ``submitted_at``, a transition's ``at``, ``approved_at``,
an answer's ``submitted_at``...) and judge deadlines against it (a report is late by the working days
between its due date and ``submitted_at``; a literacy window refuses a save after it closes). To give
the demo a past that the real rules judge, the loader moves the clock to each moment of the story and
calls the service there: :func:`at`.

Library: `time-machine <https://github.com/adamchainz/time-machine>`_ (a main dependency, because
``manage.py load_demo`` runs in production installs too). Django has no override of "now" of its own
(``override_settings`` changes settings, not the clock); freezegun would do the same job but patches
by walking every loaded module, which is slow with Django loaded and misses C-level calls, while
time-machine replaces the clock functions at the C level, so ``datetime.now()``, ``time.time()`` and
``timezone.now()`` all agree, and the test suite already uses it (``tests/``: ``time_machine``).
``tick=False``: the clock stands still at the moment, so every row written in one step has the same time.

The demo's "today" is :data:`DEMO_NOW` (Tuesday 1 December 2026, 16:00 Bangkok): the last moment of the
story. No step of the story happens after it (what is planned beyond it is only scheduled). Pages that depend on the real today (overdue counts, open windows) are
computed when they are viewed, from the real clock: see the README ("The demo's clock").
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine

BANGKOK = ZoneInfo("Asia/Bangkok")


def bkk(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime in Asia/Bangkok (CE year: the code's dates are CE, the pages show BE)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BANGKOK)


#: The demo's "today": the last moment of the story (1 ธ.ค. 2569, 16:00).
DEMO_NOW = bkk(2026, 12, 1, 16)


@contextmanager
def at(moment: dt.datetime | dt.date, hour: int = 10) -> Iterator[dt.datetime]:
    """Run the block with the clock standing at ``moment`` (a date means ``hour`` o'clock Bangkok time).

    Refuses a moment after :data:`DEMO_NOW` (``ValueError``): the story must not run into its own future.
    """
    if not isinstance(moment, dt.datetime):
        moment = bkk(moment.year, moment.month, moment.day, hour)
    if moment > DEMO_NOW:
        raise ValueError(f"demo moment {moment.isoformat()} is after the demo's today {DEMO_NOW.isoformat()}")
    with time_machine.travel(moment, tick=False):
        yield moment
