"""The iCalendar (RFC 5545) text of a feed, written with the ``icalendar`` library.

Every entry is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the day after the last day, as
the RFC wants for all-day spans) with a stable ``UID``, so a calendar app updates an entry in place
when its date moves instead of adding a second one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from .selectors import FeedItem

PRODID = "-//EMES//Monitoring calendar//TH"


def build_calendar(items: Iterable[FeedItem], *, name: str, now: dt.datetime) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF lines): calendar ``name`` and one VEVENT per item."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-timezone", "Asia/Bangkok")
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", (item.stamp or now).astimezone(dt.timezone.utc))
        event.add("dtstart", item.start)
        event.add("dtend", item.end + dt.timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.category:
            event.add("categories", [item.category])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
