"""The calendar rules registry (issue 14): the core calendar imports no app; the apps register the
events they lay out, and the generator upserts whatever a registered provider returns."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import emes.calendar
from emes.calendar import registry
from emes.calendar.generation import PlannedEvent
from emes.calendar.models import CalendarEvent
from emes.calendar.services import generate_calendar

APPS = ("plans", "literacy", "inspections", "reports")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at module level or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_the_core_calendar_imports_no_app():
    root = Path(emes.calendar.__file__).parent
    found = {
        f"{path.relative_to(root)}: {name}"
        for path in root.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in APPS
    }
    assert found == set()


def test_the_apps_register_their_calendar_rules():
    names = [rules.name for rules in registry.calendar_rules()]
    assert {"plans", "literacy", "inspection-rounds"} <= set(names)
    assert next(r for r in registry.calendar_rules() if r.name == "inspection-rounds").changed is not None


@pytest.mark.django_db
def test_a_registered_provider_is_generated_then_removed_when_it_stops(office_a, monkeypatch):
    def provider(*, office, fiscal_year, calendar):
        day = dt.date(2027, 3, 3)
        return [PlannedEvent(key=f"{fiscal_year}:test:one", fiscal_year=fiscal_year, kind=CalendarEvent.Kind.OTHER,
                             title="test event", starts_on=day, ends_on=day, audience=CalendarEvent.Audience.STAFF, rule="test")]

    monkeypatch.setitem(registry._RULES, "test", registry.CalendarRules(name="test", events=provider))
    first = generate_calendar(office_a, 2570)
    assert CalendarEvent.objects.filter(office=office_a, generated_key="2570:test:one", title="test event").exists()
    again = generate_calendar(office_a, 2570)
    assert (again.created, again.updated, again.removed) == (0, 0, 0) and again.unchanged == first.created
    monkeypatch.delitem(registry._RULES, "test")
    assert generate_calendar(office_a, 2570).removed == 1
    assert not CalendarEvent.objects.filter(generated_key="2570:test:one").exists()
