"""Whole-page cache of EMES's read-heavy pages, invalidated by the data each page read (issue 18).

The plan overview, the indicator list, the home pages, the literacy board, the follow-up and the calendar are
read far more often than the data under them changes: a plan officer opens the overview many times a day, the plan
changes a few times a quarter. Rendering them costs 15-70 ms of CPU (templates, Python aggregation); serving the
same HTML again costs a cache read. ``cached_page`` keeps a page's HTML per session, and throws it away as soon as
any table the page read is written, through any path: a page, the admin, a command, an import, a Celery task, raw
SQL (docs/page-cache.md).

How a stale page is made impossible:

* **Which tables a page read** is recorded while it renders, from every SQL statement it sent to the database
  (Django's ``connection.execute_wrapper``), plus the tables of the user's roles (``ACCESS_TABLES``: a role
  removed must end access at once even when the roles were read before the view ran).
* **When a table was last written** is kept by django-cachalot, which hooks every write Django sends (ORM
  inserts, updates, deletes, bulk operations, raw SQL) and stamps each written table with the time of the
  *commit* (a write inside a transaction is stamped again when it commits). EMES uses only this bookkeeping of
  cachalot; its query cache is off (``CACHALOT_ENABLED = False``).
* A cached page is served only if every table it read was last written **before the page began to render**: a
  write committed while it rendered makes it stale at once. The rule needs the stamps and the pages in one cache
  shared by every process (Redis in a deployment); with a per-process cache (``locmem``) the cache is off unless
  ``EMES_PAGE_CACHE`` turns it on for a single process (tests, ``runserver``).
* What is not in the database is in the key or the lifetime: the session and its CSRF secret (so the page's
  forms stay valid for that browser), the language, the full path with its query string and today's date (a
  deadline turns "overdue" at midnight); a page lives at most ``EMES_PAGE_CACHE_SECONDS`` (60 s: the hour of the
  day shown on a page is at most that late).
* Never kept: anything but a GET answered 200 with HTML, a page whose rendering wrote to the database, changed the
  session, set a cookie or a new CSRF secret or used a CSP nonce, and a request that carries a message to show (it
  is shown once).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from cachalot.api import get_last_invalidation, invalidate
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

#: The stamp that stands for ``auth_user``. Every login writes ``auth_user.last_login``; stamped as a table, that
#: would end every cached page of every office at each login anywhere in the country. ``auth_user`` is therefore left
#: out of cachalot's stamps (settings ``CACHALOT_UNCACHABLE_TABLES``) and this stamp is set instead by every save or
#: deletion of an account except a save of ``last_login`` alone (``connect_signals``). A deactivated account or a
#: changed password never reaches the cache at all: Django logs such a session out before any view runs.
PEOPLE_STAMP = "emes_pagecache_people"

#: Tables a cached page reads only for the signed-in person: the bell's unread count in every page's header reads
#: ``emes_notification`` for ``request.user`` alone. A table stamp would end every cached page in the country at each
#: notification to anyone; these tables are stamped per person instead (``person_rows_changed``), by the
#: notifications' services (bulk writes) and by a signal on every save or deletion of one row.
PER_PERSON_TABLES = {"emes_notification": "emes_pagecache_notifications"}

#: Tables whose change must end a cached page at once although the page may not have read them while rendering
#: (the user's roles, profile and account are read by middleware and the role cache before the view runs).
ACCESS_TABLES = (PEOPLE_STAMP, "auth_user_groups", "auth_group_permissions", "emes_membership", "emes_profile", "emes_office")

_WRITE = re.compile(r"^\s*(insert|update|delete|truncate|create|alter|drop)\b", re.I)
_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Cache-Control", "Vary")


def is_enabled() -> bool:
    """Whether the page cache is on: ``settings.EMES_PAGE_CACHE`` (on by default when the cache is shared)."""
    return bool(getattr(settings, "EMES_PAGE_CACHE", False))


def page_key(request: HttpRequest, today: dt.date) -> str | None:
    """The cache key of ``request``'s page, or ``None`` when the request must not use the cache.

    The key is made of the session key, the CSRF cookie, the language, the full path and ``today``; a request
    without a session or a CSRF cookie (a first visit) is never served from the cache, because its page would
    carry a CSRF token of another secret.
    """
    session_key = request.session.session_key if hasattr(request, "session") else None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not session_key or not csrf_cookie:
        return None
    raw = "\x1f".join((session_key, csrf_cookie, translation.get_language() or "", request.get_full_path(), today.isoformat()))
    return "emes:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _has_pending_messages(request: HttpRequest) -> bool:
    # django.contrib.messages' FallbackStorage keeps unread messages in a cookie, then in the session.
    return "messages" in request.COOKIES or "_messages" in getattr(request, "session", {})


class _TableRecorder:
    """An ``execute_wrapper`` that notes the tables of every statement and whether any statement wrote."""

    def __init__(self, known: frozenset[str]):
        self.known = known
        self.tables: set[str] = set()
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        text = sql if isinstance(sql, str) else sql.decode()
        self.tables.update(name for name in _QUOTED.findall(text) if name in self.known)
        if _WRITE.match(text):
            self.wrote = True
        return execute(sql, params, many, context)


def _account_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login: no page shows when someone last logged in
    invalidate(PEOPLE_STAMP)


def person_rows_changed(table: str, user_ids) -> None:
    """Stamp ``table`` (one of ``PER_PERSON_TABLES``) for each of ``user_ids`` (ints): their cached pages end.

    Call it after any write that changes what a person's pages show of ``table`` and that sends no model signal
    (``bulk_create``, ``QuerySet.update``); single saves and deletions are stamped by ``connect_signals``. Inside a
    transaction the stamp is set when it commits (django-cachalot's ``invalidate``). Raises ``KeyError`` for a table
    that is not per person.
    """
    prefix = PER_PERSON_TABLES[table]
    stamps = sorted({f"{prefix}_{uid}" for uid in user_ids})
    if stamps:
        invalidate(*stamps)


def _person_row_changed(sender, instance=None, **kwargs) -> None:
    person_rows_changed(sender._meta.db_table, [instance.user_id])


def connect_signals() -> None:
    """Stamp ``PEOPLE_STAMP`` on every save or deletion of an account but a login's, and a person's stamp on every
    save or deletion of one of their notifications (called by ``EmesConfig.ready``)."""
    user_model = get_user_model()
    post_save.connect(_account_changed, sender=user_model, dispatch_uid="emes.pagecache.account_saved")
    post_delete.connect(_account_changed, sender=user_model, dispatch_uid="emes.pagecache.account_deleted")
    for signal in (post_save, post_delete):
        signal.connect(_person_row_changed, sender="emes.Notification", dispatch_uid=f"emes.pagecache.notification.{signal}")


def _dependencies(tables: set[str], user_id: int) -> list[str]:
    user_table = get_user_model()._meta.db_table

    def stamp(table: str) -> str:
        if table == user_table:
            return PEOPLE_STAMP
        if table in PER_PERSON_TABLES:
            return f"{PER_PERSON_TABLES[table]}_{user_id}"
        return table

    return sorted({stamp(t) for t in tables} | set(ACCESS_TABLES))


@functools.cache
def _known_tables() -> frozenset[str]:
    return frozenset(connection.introspection.django_table_names(only_existing=False, include_views=True))


def _cacheable(request: HttpRequest, response: HttpResponse, recorder: _TableRecorder) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not recorder.wrote
        and getattr(request, "session", None) is not None
        and not request.session.modified
        # A page that used a CSP nonce (django-csp keeps it in request._csp_nonce) carries it in its HTML, and the
        # nonce must be new in every response: such a page is not kept.
        and getattr(request, "_csp_nonce", None) is None
        and not request.META.get("CSRF_COOKIE_NEEDS_RESET")
        and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    )


def _fresh(entry: dict[str, Any]) -> bool:
    # A clock that went back since the page was born (a test's time travel, a corrected server clock) could date a
    # later write before the page: such a page is not trusted.
    tables, born = entry["tables"], entry["born"]
    return bool(tables) and born <= time.time() and get_last_invalidation(*tables) < born


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s GET pages from the page cache while nothing they read has changed (module docstring).

    Apply it under ``login_required`` and the view's own access checks are still made on a miss only: a hit is
    keyed by the session, and every change to the session's user or roles (``ACCESS_TABLES``) empties it.
    The wrapped view must read everything it shows from the database, the request, the date or settings.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_enabled() or request.method != "GET" or not request.user.is_authenticated or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        key = page_key(request, timezone.localdate())
        if key is None:
            return view(request, *args, **kwargs)
        entry = cache.get(key)
        if entry is not None and _fresh(entry):
            get_token(request)  # as the render did: the CSRF cookie is renewed and "Vary: Cookie" set
            response = HttpResponse(entry["content"], status=200)
            for name, value in entry["headers"].items():
                response[name] = value
            response["X-EMES-Page-Cache"] = "hit"
            return response
        born = time.time()
        recorder = _TableRecorder(_known_tables())
        with connection.execute_wrapper(recorder):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # a TemplateResponse renders after the view: its queries belong to the page
        if _cacheable(request, response, recorder):
            cache.set(key, {
                "born": born,
                "tables": _dependencies(recorder.tables, request.user.pk),
                "content": response.content,
                "headers": {h: response[h] for h in _KEPT_HEADERS if h in response},
            }, timeout=getattr(settings, "EMES_PAGE_CACHE_SECONDS", 60))
            response["X-EMES-Page-Cache"] = "miss"
        return response

    return wrapper
