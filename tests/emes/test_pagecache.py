"""The page cache (emes.pagecache, issue 18): a page is served again only while nothing it read has changed.

Every writer is a path: a page's form, the ORM, a queryset update, raw SQL, a role removed in the admin; each must
end the cached page at once. A page is never kept for another session, another day or with a message to show.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from emes.models import Membership, Role
from literacy.models import LiteracyRound
from plans.models import Project
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

CACHE = "X-EMES-Page-Cache"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.EMES_PAGE_CACHE = True


@pytest.fixture
def planner(office_a):
    user = UserFactory(username="cache_planner")
    MembershipFactory(user=user, office=office_a, role=Role.PLAN_OFFICER)
    return user


@pytest.fixture
def project(office_a):
    return ProjectFactory(office=office_a, name="โครงการห้องสมุดมีชีวิต", budget=Decimal("120000"))


def overview(office) -> str:
    return reverse("plans:plan", args=[office.area_code, 2569])


def warm(client, url):
    """The first visit gets its CSRF cookie (not cached: its token is of a new secret), the second is kept."""
    first = client.get(url)
    assert first.status_code == 200 and CACHE not in first
    second = client.get(url)
    assert second[CACHE] == "miss"
    return second


def test_a_page_is_served_again_from_the_cache_with_fewer_queries(client, planner, project, office_a):
    client.force_login(planner)
    kept = warm(client, overview(office_a))
    with CaptureQueriesContext(connection) as hit_queries:
        again = client.get(overview(office_a))
    assert again[CACHE] == "hit"
    assert again.content == kept.content
    assert "โครงการห้องสมุดมีชีวิต" in again.content.decode()
    assert len(hit_queries) <= 3, [q["sql"] for q in hit_queries]  # session, user, profile: not the page's reads


@pytest.mark.parametrize("writer", ["orm save", "queryset update", "raw sql"])
def test_every_write_to_what_the_page_read_ends_it(client, planner, project, office_a, writer):
    client.force_login(planner)
    warm(client, overview(office_a))
    if writer == "orm save":
        project.name = "โครงการห้องสมุดเคลื่อนที่"
        project.save()
    elif writer == "queryset update":
        Project.objects.filter(pk=project.pk).update(name="โครงการห้องสมุดเคลื่อนที่")
    else:
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE "{Project._meta.db_table}" SET "name" = %s WHERE "id" = %s', ["โครงการห้องสมุดเคลื่อนที่", project.pk])
    page = client.get(overview(office_a))
    assert page[CACHE] == "miss"
    assert "โครงการห้องสมุดเคลื่อนที่" in page.content.decode()


def test_a_write_to_another_table_leaves_it(client, planner, project, office_a):
    client.force_login(planner)
    warm(client, overview(office_a))
    UserFactory(username="someone_else")  # auth_user is read by access checks: it ends the page
    assert client.get(overview(office_a))[CACHE] == "miss"
    assert client.get(overview(office_a))[CACHE] == "hit"
    LiteracyRound.objects.filter(pk=-1).update(status="closed")
    assert client.get(overview(office_a))[CACHE] == "hit"


def test_a_role_removed_ends_access_at_once(client, planner, project, office_a):
    client.force_login(planner)
    warm(client, overview(office_a))
    Membership.objects.filter(user=planner).delete()
    assert client.get(overview(office_a)).status_code in (403, 404)


def test_another_session_of_the_same_person_is_not_served_this_one(client, planner, project, office_a):
    client.force_login(planner)
    warm(client, overview(office_a))
    from django.test import Client

    other = Client()
    other.force_login(planner)
    other.cookies["csrftoken"] = client.cookies["csrftoken"].value  # even with the same CSRF cookie
    assert other.get(overview(office_a)).get(CACHE) != "hit"


def test_a_page_with_a_message_to_show_is_rendered(client, planner, project, office_a):
    client.force_login(planner)
    warm(client, overview(office_a))
    # A message waiting in django.contrib.messages' cookie (as after "saved" and a redirect): shown once, so the page
    # is rendered with it and not served from the cache.
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    response = HttpResponse()
    storage._store([messages.storage.base.Message(messages.SUCCESS, "บันทึกแล้ว")], response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(overview(office_a))
    assert page.get(CACHE) != "hit"
    assert "บันทึกแล้ว" in page.content.decode()


def test_tomorrow_the_page_is_rendered_again(client, planner, project, office_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before_midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(23, 59, 30)))  # after every write so far
    with time_machine.travel(before_midnight) as clock:  # the clock runs on
        client.force_login(planner)
        warm(client, overview(office_a))
        assert client.get(overview(office_a))[CACHE] == "hit"
        clock.shift(dt.timedelta(seconds=40))  # past midnight, within the page's 60 s: nothing written, the date changed
        assert client.get(overview(office_a))[CACHE] == "miss"


def test_off_it_changes_nothing(client, planner, project, office_a, settings):
    settings.EMES_PAGE_CACHE = False
    client.force_login(planner)
    for _ in range(3):
        assert CACHE not in client.get(overview(office_a))


def test_a_post_is_never_served_from_the_cache(client, planner, project, office_a):
    client.force_login(planner)
    warm(client, overview(office_a))
    assert client.post(overview(office_a)).status_code == 405  # the overview only reads


def test_a_login_anywhere_leaves_it_but_a_changed_name_ends_it(client, planner, project, office_a):
    """Every login writes auth_user.last_login: it must not end every cached page in the country; a change to an
    account (a name shown on pages) must."""
    project.owner = planner
    project.save()
    client.force_login(planner)
    warm(client, overview(office_a))
    someone = UserFactory(username="another_office_clerk")
    assert client.get(overview(office_a))[CACHE] == "miss"  # a new account: a change
    assert client.get(overview(office_a))[CACHE] == "hit"
    from django.test import Client

    Client().force_login(someone)  # logs in: last_login written
    someone.refresh_from_db()
    assert someone.last_login is not None
    assert client.get(overview(office_a))[CACHE] == "hit"
    planner.first_name = "สมหญิง"
    planner.save()
    assert client.get(overview(office_a))[CACHE] == "miss"


def test_a_page_that_wrote_or_used_a_nonce_is_not_kept(rf, planner, settings):
    """Rendering that writes (a page marking something read) or that put a CSP nonce in its HTML is never kept."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from emes.pagecache import cached_page

    calls = []

    @cached_page
    def writes(request):
        calls.append("writes")
        LiteracyRound.objects.filter(pk=-1).update(status="closed")  # a write to a table the page does not read
        return HttpResponse("<p>ok</p>")

    @cached_page
    def uses_nonce(request):
        calls.append("nonce")
        request._csp_nonce = "abc"  # what request.csp_nonce does in django-csp
        return HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')

    session = SessionStore()
    session.create()
    session.modified = False  # a session as a request loads it

    @cached_page
    def plain(request):
        calls.append("plain")
        return HttpResponse("<p>ok</p>")

    for view in (plain, writes, uses_nonce):
        for _ in range(2):
            request = rf.get(f"/{view.__name__}/")
            request.user, request.session = planner, session
            request.COOKIES[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"] = "a" * 32
            response = view(request)
            assert response.get(CACHE) != "hit" or view is plain
    assert calls == ["plain", "writes", "writes", "nonce", "nonce"]  # the plain page was kept: the set-up can cache


def test_a_notification_ends_only_its_recipients_pages(client, planner, project, office_a, office_b):
    """The bell's count is in every page: a notification to anyone must not end every cached page in the country,
    one to this person must (the count changes), and so must reading them all."""
    from emes.notifications.models import Kind, Notification
    from emes.notifications.services import mark_all_read, notify_people

    elsewhere = UserFactory(username="clerk_of_office_b")
    MembershipFactory(user=elsewhere, office=office_b, role=Role.PLAN_OFFICER)
    client.force_login(planner)
    warm(client, overview(office_a))
    notify_people([elsewhere], kind=Kind.WAITING_REVIEW, title="รายงานรอตรวจ", office=office_b)
    Notification.objects.create(user=elsewhere, office=office_b, title="อีกเรื่องหนึ่ง")
    assert client.get(overview(office_a))[CACHE] == "hit"
    notify_people([planner], kind=Kind.WAITING_REVIEW, title="รายงานรอตรวจ", office=office_a)
    page = client.get(overview(office_a))
    assert page[CACHE] == "miss" and 'id="notification-count"' in page.content.decode()
    assert client.get(overview(office_a))[CACHE] == "hit"
    mark_all_read(planner)
    page = client.get(overview(office_a))
    assert page[CACHE] == "miss" and 'id="notification-count"' not in page.content.decode()
