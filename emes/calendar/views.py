"""Pages of the monitoring calendar and the per-user iCalendar feed.

Who gets what (``emes.access``; rule source: issue 7, docs/roles-and-access.md):

- anonymous → the login page (the feed excepted: calendar apps cannot log in, its secret token is
  the key; an unknown token → 404);
- staff of the office read the month, list and Gantt pages; a school account of the office → 403
  (it knows its office; its obligations reach it through its own feed); anyone else → 404;
- the plan officer generates a year, adds, edits, cancels and restores events; other staff → 403;
- every logged-in user has a feed page (their address, a reset button).
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from emes.access import ALL_ROLES, STAFF_ROLES, offices_visible_to, roles_in
from emes.fiscal import ce_to_be, fiscal_year_of, parse_be_year, year_from_query
from emes.models import Office
from emes.pagecache import cached_page

from . import ical, selectors, services
from .access import can_manage_calendar
from .forms import EventForm
from .models import CalendarBuild, CalendarEvent, CalendarFeed


def _office(request: HttpRequest, area_code: str, *, manage: bool = False) -> Office:
    """The office if the user is its staff (plan officer with ``manage``); 403 for its school accounts
    and for staff lacking the role, 404 for everyone else."""
    office = offices_visible_to(request.user, ALL_ROLES).filter(area_code=area_code).first()
    if office is None:
        raise Http404("office not found")
    roles = roles_in(request.user, office)
    if not roles & STAFF_ROLES or (manage and not can_manage_calendar(request.user, office)):
        raise PermissionDenied
    return office


def _event(office: Office, pk: int) -> CalendarEvent:
    return get_object_or_404(CalendarEvent.objects.select_related("office"), office=office, pk=pk)


def _fiscal_year(request: HttpRequest, value: str | None) -> tuple[int, bool]:
    """The ``fy`` asked for (BE) and True; a refused one (a CE year, nonsense: ``emes.fiscal.parse_fiscal_year``)
    gives the current fiscal year and False, the parser's Thai message shown as a warning."""
    year, problem = year_from_query(value, default=fiscal_year_of(timezone.localdate()))
    if problem:
        messages.warning(request, problem)
    return year, not problem


def _context(request: HttpRequest, office: Office, **extra) -> dict:
    return {"office": office, "can_manage": can_manage_calendar(request.user, office),
            "years": selectors.fiscal_year_choices(office, timezone.localdate()), **extra}


@login_required
@require_GET
@cached_page
def month(request: HttpRequest, area_code: str) -> HttpResponse:
    office = _office(request, area_code)
    today = timezone.localdate()
    year, month_number = ce_to_be(today.year), today.month
    asked_year, problem = year_from_query(request.GET.get("year"), default=year, parse=parse_be_year)
    if problem:  # a refused year: today's month, with the parser's Thai message
        messages.warning(request, problem)
    try:
        asked_month = int(request.GET.get("month") or month_number)
    except ValueError:
        asked_month = month_number
    if not problem and 1 <= asked_month <= 12:
        year, month_number = asked_year, asked_month
    grid = selectors.month_grid(office, year, month_number, today)
    return render(request, "emes/calendar/month.html", _context(
        request, office, grid=grid, weekdays=selectors.WEEKDAYS, fiscal_year=grid.fiscal_year,
        kinds=CalendarEvent.Kind.choices,
    ))


@login_required
@require_GET
def event_list(request: HttpRequest, area_code: str) -> HttpResponse:
    office = _office(request, area_code)
    fiscal_year, _ok = _fiscal_year(request, request.GET.get("fy"))
    groups = selectors.fiscal_year_list(office, fiscal_year)
    return render(request, "emes/calendar/list.html", _context(
        request, office, fiscal_year=fiscal_year, groups=groups, count=sum(len(g.events) for g in groups),
        changed_groups=selectors.changed_sources(office, fiscal_year),
        build=(build := selectors.latest_build(office, fiscal_year)), build_summary=build_summary(build) if build else "",
    ))


@login_required
@require_GET
def gantt(request: HttpRequest, area_code: str) -> HttpResponse:
    office = _office(request, area_code)
    fiscal_year, _ok = _fiscal_year(request, request.GET.get("fy"))
    return render(request, "emes/calendar/gantt.html", _context(
        request, office, fiscal_year=fiscal_year, gantt=selectors.gantt(office, fiscal_year),
    ))


def _list_url(area_code: str, fiscal_year: int) -> str:
    return f"{reverse('calendar:list', args=[area_code])}?fy={fiscal_year}"


@login_required
@require_POST
def generate(request: HttpRequest, area_code: str) -> HttpResponse:
    office = _office(request, area_code, manage=True)
    fiscal_year, ok = _fiscal_year(request, request.POST.get("fy"))
    if not ok:  # a refused year generates nothing (not the current year instead)
        return redirect(_list_url(area_code, fiscal_year))
    try:
        services.request_generation(office, fiscal_year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_list_url(area_code, fiscal_year) + "#calendar-build")


def build_summary(build: CalendarBuild) -> str:
    """The Thai sentence of a finished generation (its counts, or its failure)."""
    if build.status == CalendarBuild.Status.FAILED:
        return _("Generating the calendar failed: %(error)s") % {"error": build.error}
    if build.status != CalendarBuild.Status.DONE:
        return ""
    r = build.result
    return _(
        "Calendar of fiscal year %(fy)s generated: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
        "%(kept)s kept as edited or cancelled by hand, %(removed)s removed."
    ) % {"fy": build.fiscal_year, "created": r.get("created", 0), "updated": r.get("updated", 0),
         "unchanged": r.get("unchanged", 0), "kept": r.get("kept_edited", 0), "removed": r.get("removed", 0)}


@login_required
@require_GET
def build_status(request: HttpRequest, area_code: str, pk: int) -> JsonResponse:
    """The progress of one generation as JSON, polled by static/emes/calendar_build.js; another office's → 404."""
    office = _office(request, area_code)
    build = get_object_or_404(CalendarBuild, office=office, pk=pk)
    return JsonResponse({"status": build.status, "status_display": build.get_status_display(), "progress": build.progress,
                         "finished": build.is_finished, "summary": build_summary(build)})


def _apply_errors(form: EventForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: HttpRequest, area_code: str) -> HttpResponse:
    office = _office(request, area_code, manage=True)
    fiscal_year, ok = _fiscal_year(request, request.POST.get("fy") or request.GET.get("fy"))
    form = EventForm(request.POST or None)
    if request.method == "POST" and ok and form.is_valid():
        try:
            event = services.add_event(office, by=request.user, fiscal_year=fiscal_year, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event was added."))
            return redirect(_list_url(area_code, event.fiscal_year))
    status = 400 if request.method == "POST" else 200
    return render(request, "emes/calendar/event_form.html", _context(request, office, form=form, fiscal_year=fiscal_year, event=None), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = _office(request, area_code, manage=True)
    event = _event(office, pk)
    form = EventForm(request.POST) if request.method == "POST" else EventForm.for_event(event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect(_list_url(area_code, event.fiscal_year))
    status = 400 if request.method == "POST" else 200
    return render(request, "emes/calendar/event_form.html", _context(request, office, form=form, fiscal_year=event.fiscal_year, event=event), status=status)


@login_required
@require_POST
def event_cancel(request: HttpRequest, area_code: str, pk: int) -> HttpResponse:
    office = _office(request, area_code, manage=True)
    event = services.toggle_cancelled(_event(office, pk), by=request.user)
    if event.is_cancelled:
        messages.success(request, _("The event was cancelled; regenerating the year will not bring it back."))
    else:
        messages.success(request, _("The event was restored."))
    return redirect(_list_url(area_code, event.fiscal_year))


# --- feeds -------------------------------------------------------------------------------------


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of the token's user (no login; 404 for an unknown token)."""
    calendar_feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if calendar_feed is None:
        raise Http404("unknown feed")
    user = calendar_feed.user
    now = timezone.now()
    # Calendar apps send no useful Accept-Language; the feed is in the office's language.
    with translation.override(settings.LANGUAGE_CODE):
        items = selectors.feed_items(user, timezone.localdate())
        name = _("EMES monitoring calendar: %(name)s") % {"name": user.get_full_name() or user.username}
        body = ical.build_calendar(items, name=name, now=now)
    services.record_feed_read(calendar_feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="emes.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_GET
def feed_info(request: HttpRequest) -> HttpResponse:
    calendar_feed = services.feed_for(request.user)
    url = request.build_absolute_uri(reverse("calendar:feed", args=[calendar_feed.token]))
    offices = list(offices_visible_to(request.user, ALL_ROLES).order_by("area_code"))
    return render(request, "emes/calendar/feed_info.html", {"feed": calendar_feed, "feed_url": url, "offices": offices,
                                                          "staff_offices": [o for o in offices if roles_in(request.user, o) & STAFF_ROLES]})


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    services.reset_feed(request.user)
    messages.success(request, _("Your calendar address was renewed; the old address no longer works. Add the new one to your calendar app."))
    return redirect("calendar:feed-info")

