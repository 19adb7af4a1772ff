"""The calendar rules of the apps: one registry the domain apps fill (issue 14).

The core calendar (``emes.calendar``) knows no app. It lays out its own generic events (the annual
report period, the M&E unit's Gantt tasks: ``emes.calendar.generation``) and asks every registered
*calendar rules provider* for the events of its domain. Each app registers its provider in its
``AppConfig.ready()``, as it registers its obligations (``emes.obligations``)::

    from emes.calendar.registry import register_calendar_rules

    def events(*, office, fiscal_year, calendar):
        ...  # return [PlannedEvent(key=f"{fiscal_year}:quarterly-report:q1", ...)]

    register_calendar_rules("plans", events)

A provider is called as ``provider(office=<Office>, fiscal_year=<int, BE>, calendar=<WorkingCalendar
of the office>)`` inside the generation's transaction, and returns the
:class:`emes.calendar.generation.PlannedEvent` values its rules want for that year. It must give every
event a ``key`` that is stable across generations and unique among all providers (the generator matches
the office's existing rows by it: a key that changes creates a duplicate and deletes the old row), and run
a fixed number of queries.

A provider whose events follow rows that people change after a generation (an inspection round) may also
register ``changed(office=, fiscal_year=)``: the sources changed since the calendar last followed them,
as :class:`ChangedSource` values (the calendar list warns with ``changed_texts`` and a regeneration
stamps that provider's events, so that the warning stops).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChangedSource:
    """A row a provider's events follow that changed after the last generation: what to show and link to."""

    label: str
    url: str
    changed_at: dt.datetime
    target: Any = None


@dataclass(frozen=True)
class CalendarRules:
    """One registered provider.

    ``events(*, office, fiscal_year, calendar)`` → iterable of ``PlannedEvent``; ``changed(*, office,
    fiscal_year)`` → list of :class:`ChangedSource` or ``None``; ``changed_texts``: (the warning's heading,
    the hint to the plan officer, the hint to other readers), shown on the calendar list.
    """

    name: str
    events: Callable[..., Iterable[Any]]
    changed: Callable[..., list[ChangedSource]] | None = None
    changed_texts: tuple[Any, Any, Any] = ("", "", "")


_RULES: dict[str, CalendarRules] = {}


def register_calendar_rules(
    name: str, provider: Callable[..., Iterable[Any]], *, changed: Callable[..., list[ChangedSource]] | None = None,
    changed_texts: tuple[Any, Any, Any] = ("", "", ""),
) -> CalendarRules:
    """Register ``provider`` (and its optional ``changed`` hook) under ``name``; see the module docstring.

    Called from an app's ``AppConfig.ready()``; registering a name again replaces it (a reloaded app
    does not lay out its events twice). Returns the registration.
    """
    rules = CalendarRules(name=name, events=provider, changed=changed, changed_texts=changed_texts)
    _RULES[name] = rules
    return rules


def calendar_rules() -> list[CalendarRules]:
    """The registered providers, in registration order."""
    return list(_RULES.values())
