"""Writes of the monitoring calendar: generating a fiscal year, the plan officer's events, the feeds.

Who may: the plan officer (นักวิเคราะห์นโยบายและแผน) owns the calendar (docs/roles-and-access.md):
generating, adding, editing, cancelling and restoring events. ``generate_calendar`` with ``by=None``
is the system (the ``generate_calendar`` command, the demo). Every refusal is a ``ValidationError``
in Thai keyed by field (or ``PermissionDenied``), and nothing is stored when one is raised.

Regeneration (issue 7): generated events are matched by ``generated_key``; an event nobody touched
follows the rules (a moved literacy window, a new office holiday), an edited (``is_edited``) or
cancelled one is left as the plan officer set it, and nothing is ever created twice (the key is
unique per office, and the office row is locked while a year is generated).
"""
from __future__ import annotations

import datetime as dt
import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from emes.fiscal import FiscalYear, WorkingCalendar, parse_fiscal_year
from emes.models import Office
from emes.thai import be_date
from emes.text import clean_text

from .access import can_manage_calendar
from .generation import planned_events
from .models import CalendarBuild, CalendarEvent, CalendarFeed
from .registry import calendar_rules

logger = logging.getLogger(__name__)

Kind = CalendarEvent.Kind
#: Fields the plan officer sets on an event (the rest is bookkeeping).
EDITABLE_FIELDS = ("kind", "title", "description", "starts_on", "ends_on", "audience", "gantt_row", "rule")


@dataclass(frozen=True)
class GenerationResult:
    """Counts of one generation of a fiscal year: rows created, rows changed to follow the rules,
    rows kept because the plan officer edited or cancelled them, rows already right, and generated
    rows no rule asks for any more (a deleted literacy round) that were removed."""

    created: int
    updated: int
    kept_edited: int
    unchanged: int = 0
    removed: int = 0


def _require(user, office: Office) -> None:
    if not can_manage_calendar(user, office):
        raise PermissionDenied(_("Only the plan officer keeps the calendar of this office."))


# --- generation --------------------------------------------------------------------------------


def _mark_followed(office: Office, fiscal_year: int, keys_by_rules: dict[str, list[str]]) -> None:
    """Stamp the generated events of a provider whose sources changed since the last generation took them
    in (``registry``'s ``changed`` hook, e.g. an inspection round), even when no date moved (e.g. only the
    inspectors changed), so that the calendar list stops asking to regenerate
    (``selectors.changed_sources``). 1-3 queries per provider with a ``changed`` hook."""
    followed = CalendarEvent.objects.filter(office=office, fiscal_year=fiscal_year, is_edited=False, is_cancelled=False).exclude(generated_key="")
    for rules in calendar_rules():
        if rules.changed is None or not rules.changed(office=office, fiscal_year=fiscal_year):
            continue
        now = timezone.now()
        if not followed.filter(generated_key__in=keys_by_rules.get(rules.name, [])).update(updated_at=now):
            followed.update(updated_at=now)  # every event of the provider was edited or cancelled by hand


def generate_calendar(office: Office, fiscal_year: int, *, by=None, progress=None) -> GenerationResult:
    """Create or refresh the generated events of ``office`` for ``fiscal_year`` (BE); see ``generation``.

    Events not touched by hand are brought in line with the rules; edited or cancelled ones are
    kept (counted in ``kept_edited``); inspection events follow the office's inspection rounds of the
    year (``inspections.InspectionRound``; the inspections services never regenerate: the plan
    officer does, from the calendar list, which says when a round changed after the last generation); generated events of the year no rule produces any more are
    removed unless edited or cancelled. Raises ``ValidationError`` for a CE or impossible year,
    ``PermissionDenied`` when ``by`` is given and is not the office's plan officer. ``progress``, when given, is
    called with a percentage (int, 10-90) after each rules provider (the job's progress, ``request_generation``).
    """
    year = parse_fiscal_year(fiscal_year)
    report = progress or (lambda _percent: None)
    if by is not None:
        _require(by, office)
    actor = by if by is not None and getattr(by, "pk", None) else None
    # Texts are stored in the office's language, not in the language of whoever clicked.
    # The providers are asked before the write transaction, so that the progress they report is committed (seen
    # by the page polling the job); the writes below are serialised per office by the lock.
    with translation.override(settings.LANGUAGE_CODE):
        calendar = WorkingCalendar.for_office(office)
        keys_by_rules: dict[str, list[str]] = {}
        extra = []
        providers = calendar_rules()
        for number, rules in enumerate(providers, start=1):
            events = list(rules.events(office=office, fiscal_year=year, calendar=calendar))
            keys_by_rules[rules.name] = [e.key for e in events]
            extra += events
            report(10 + 60 * number // max(len(providers), 1))
        planned = planned_events(year, calendar=calendar, extra=extra)
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).first()  # one generation per office at a time
        keys = [p.key for p in planned]
        existing = {e.generated_key: e for e in CalendarEvent.objects.select_for_update().filter(office=office, generated_key__in=keys)}
        created = updated = kept = unchanged = 0
        new_rows = []
        for p in planned:
            event = existing.get(p.key)
            if event is None:
                new_rows.append(CalendarEvent(office=office, generated_key=p.key, created_by=actor, updated_by=actor, **p.fields()))
                created += 1
            elif event.is_edited or event.is_cancelled:
                kept += 1
            else:
                changed = [name for name, value in p.fields().items() if getattr(event, name) != value]
                if changed:
                    for name in changed:
                        setattr(event, name, p.fields()[name])
                    event.updated_by = actor
                    event.save(update_fields=[*changed, "updated_by", "updated_at"])
                    updated += 1
                else:
                    unchanged += 1
        report(80)
        CalendarEvent.objects.bulk_create(new_rows)
        removed, _detail = (
            CalendarEvent.objects.filter(office=office, fiscal_year=year, is_edited=False, is_cancelled=False)
            .exclude(generated_key="").exclude(generated_key__in=keys).delete()
        )
        _mark_followed(office, year, keys_by_rules)
    return GenerationResult(created=created, updated=updated, kept_edited=kept, unchanged=unchanged, removed=removed)


# --- generation as a job (issue 17: actions that take seconds never block the browser) ---------------


def request_generation(office: Office, fiscal_year: int, *, by) -> CalendarBuild:
    """Queue a generation of ``office``'s ``fiscal_year`` (BE) by the plan officer ``by``; returns the QUEUED
    ``CalendarBuild``, whose task starts after commit (``emes.jobs.start``: a worker, or a thread of the web process
    when there is no broker). Raises ``ValidationError`` for a CE or impossible year, ``PermissionDenied`` when ``by``
    is not the office's plan officer; nothing is queued then. A generation of the same year already waiting or
    running is returned instead of queuing a second one."""
    from emes import jobs
    from emes.tasks import generate_calendar_task

    from .jobs import CALENDAR_BUILD

    year = parse_fiscal_year(fiscal_year)
    _require(by, office)
    with transaction.atomic():
        # A build left waiting or running by a worker (or web thread) that died is reaped first, as for documents,
        # so it cannot block the year's generation for good when no beat runs the reaper (the embedded default).
        jobs.reap_kind(CALENDAR_BUILD, CalendarBuild.objects.filter(office=office, fiscal_year=year))
        pending = (CalendarBuild.objects.filter(office=office, fiscal_year=year)
                   .filter(status__in=[CalendarBuild.Status.QUEUED, CalendarBuild.Status.RUNNING]).first())
        if pending is not None:
            return pending
        build = CalendarBuild.objects.create(office=office, fiscal_year=year, requested_by=by, heartbeat_at=timezone.now())
        transaction.on_commit(lambda: jobs.start(generate_calendar_task, build.pk))
    return build


def run_generation(build_id: int) -> CalendarBuild | None:
    """Run generation ``build_id`` if this worker can claim it (``emes.jobs.take``); returns the row, or ``None``
    (gone, finished, or failed as stale). The requester is checked again (a plan officer who lost the role meanwhile
    gets a FAILED row with the reason); any error ends as a FAILED row with its text, never a stuck RUNNING one. The
    end is written only while this worker still holds the row (``emes.jobs.finish`` / ``fail``): a worker reaped
    meanwhile writes nothing, and its progress steps stop the generation (``emes.jobs.beat_or_stop``; the events'
    transaction rolls back). Raises ``emes.jobs.JobBusy`` when a live worker runs it."""
    from emes import jobs

    from .jobs import CALENDAR_BUILD

    held = jobs.take(CALENDAR_BUILD, build_id, started_at=timezone.now(), progress=5)
    if not held:
        return None
    build = CalendarBuild.objects.select_related("office", "requested_by").get(pk=build_id)
    try:
        result = generate_calendar(build.office, build.fiscal_year, by=build.requested_by,
                                   progress=lambda p: jobs.beat_or_stop(held, progress=p))
    except jobs.LostClaim:  # reaped or re-claimed meanwhile: the generation stops, its writes are rolled back
        logger.info("calendar build %s: this worker lost the row; its generation is discarded", build_id)
    except Exception as exc:  # noqa: BLE001  any failure ends as a visible FAILED row
        if isinstance(exc, (ValidationError, PermissionDenied)):
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        jobs.fail(held, error)
    else:  # a worker that lost the row meanwhile (reaped, re-claimed) writes nothing: emes.jobs.finish
        jobs.finish(held, progress=100, result=dataclasses.asdict(result))
    build.refresh_from_db()
    return build


# --- the plan officer's events -----------------------------------------------------------------


def allowed_range(fiscal_year: int, kind: str) -> tuple[dt.date, dt.date]:
    """Dates an event of ``kind`` in ``fiscal_year`` may take.

    The fiscal year itself, except: Q4's report is due in October after the year ends (5 working
    days after 30 September), so report deadlines may run to 31 October; a literacy window belongs
    to an academic year and may straddle two fiscal years (checked as an overlap, not here).
    """
    fy = FiscalYear(fiscal_year)
    if kind == Kind.QUARTERLY_REPORT:
        return fy.start, dt.date(fy.end.year, 10, 31)
    return fy.start, fy.end


def _clean_event(fiscal_year: int, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = clean_text(data.get("title"))
    if not title:
        errors.setdefault("title", []).append(_("Give the event a title."))
    kind = data.get("kind") or Kind.OTHER
    if kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of event."))
    audience = data.get("audience") or CalendarEvent.Audience.STAFF
    if audience not in CalendarEvent.Audience.values:
        errors.setdefault("audience", []).append(_("Unknown audience."))
    dates = {}
    for name in ("starts_on", "ends_on"):
        value = data.get(name)
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            errors.setdefault(name, []).append(_("Give a date (day/month/year in the Buddhist Era)."))
        elif value.year > 2400:
            # A BE year stored as a CE date: 2570-01-08 means 8 January 2027.
            errors.setdefault(name, []).append(_("The year %(year)s is a Buddhist Era year given where a Common Era date is expected.") % {"year": value.year})
        else:
            dates[name] = value
    if len(dates) == 2:
        start, end = dates["starts_on"], dates["ends_on"]
        if end < start:
            errors.setdefault("ends_on", []).append(_("The event ends (%(end)s) before it starts (%(start)s).") % {"end": be_date(end), "start": be_date(start)})
        else:
            fy = FiscalYear(fiscal_year)
            if kind == Kind.LITERACY:
                if end < fy.start or start > fy.end:
                    errors.setdefault("starts_on", []).append(
                        _("The window %(start)s – %(end)s does not overlap fiscal year %(fy)s (%(fy_start)s – %(fy_end)s).") % {
                            "start": be_date(start), "end": be_date(end), "fy": fiscal_year, "fy_start": be_date(fy.start), "fy_end": be_date(fy.end)})
            else:
                low, high = allowed_range(fiscal_year, kind)
                for name, value, label in (("starts_on", start, _("start date")), ("ends_on", end, _("end date"))):
                    if not low <= value <= high:
                        errors.setdefault(name, []).append(
                            _("The %(which)s %(date)s is outside fiscal year %(fy)s (%(low)s – %(high)s).") % {
                                "which": label, "date": be_date(value), "fy": fiscal_year, "low": be_date(low), "high": be_date(high)})
    for name, limit in (("title", 300), ("gantt_row", 200), ("rule", 300)):
        if len(clean_text(data.get(name))) > limit:
            errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": limit})
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind, "title": title, "description": clean_text(data.get("description"), multiline=True), "audience": audience,
        "starts_on": dates["starts_on"], "ends_on": dates["ends_on"], "gantt_row": clean_text(data.get("gantt_row")),
        "rule": clean_text(data.get("rule")),
    }


def add_event(office: Office, *, by, fiscal_year: int, **data: Any) -> CalendarEvent:
    """A hand-made event of ``office`` in ``fiscal_year`` (BE): fields of ``EDITABLE_FIELDS`` (dates as ``date``).

    Raises ``PermissionDenied`` unless ``by`` is the plan officer; ``ValidationError`` keyed by field for
    a missing title, an end before the start, a date outside the fiscal year (naming which and the
    year's range), a BE year in a CE date, a CE fiscal year.
    """
    _require(by, office)
    year = parse_fiscal_year(fiscal_year)
    fields = _clean_event(year, data)
    with transaction.atomic():
        return CalendarEvent.objects.create(office=office, fiscal_year=year, created_by=by, updated_by=by, **fields)


def update_event(event: CalendarEvent, *, by, **data: Any) -> CalendarEvent:
    """Change ``event`` (``EDITABLE_FIELDS``; missing ones keep their value). A generated event that
    changes is marked ``is_edited``, so that regenerating the year leaves it as set here.

    Raises like :func:`add_event`.
    """
    _require(by, event.office)
    with transaction.atomic():
        locked = CalendarEvent.objects.select_for_update().get(pk=event.pk)
        current = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
        fields = _clean_event(locked.fiscal_year, {**current, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS}})
        changed = [name for name, value in fields.items() if current[name] != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, fields[name])
        locked.updated_by = by
        update = [*changed, "updated_by", "updated_at"]
        if locked.is_generated and not locked.is_edited:
            locked.is_edited = True
            update.append("is_edited")
        locked.save(update_fields=update)
    return locked


def set_cancelled(event: CalendarEvent, *, by, cancelled: bool) -> CalendarEvent:
    """Cancel (``cancelled=True``) or restore ``event``. A cancelled event stays listed, struck out,
    leaves the feeds, and is not brought back by regeneration. ``PermissionDenied`` unless plan officer."""
    _require(by, event.office)
    with transaction.atomic():
        locked = CalendarEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_cancelled != cancelled:
            locked.is_cancelled = cancelled
            locked.updated_by = by
            locked.save(update_fields=["is_cancelled", "updated_by", "updated_at"])
    return locked


def toggle_cancelled(event: CalendarEvent, *, by) -> CalendarEvent:
    """Cancel an active event, restore a cancelled one (see :func:`set_cancelled`)."""
    return set_cancelled(event, by=by, cancelled=not event.is_cancelled)


# --- feeds -------------------------------------------------------------------------------------


def feed_for(user) -> CalendarFeed:
    """The user's feed (created on first use with a random token)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def reset_feed(user) -> CalendarFeed:
    """Give ``user`` a new feed token: every calendar app holding the old address stops receiving it."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            return CalendarFeed.objects.create(user=user)
        feed.token = CalendarFeed._meta.get_field("token").get_default()
        feed.last_read_at = None
        feed.save(update_fields=["token", "last_read_at"])
    return feed


def record_feed_read(feed: CalendarFeed) -> None:
    """Note when a calendar app last fetched the feed (shown on the feed page)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
