"""In-app notifications: services, the list, marking read, the bell; nobody reaches another user's messages."""
from __future__ import annotations

import pytest
from django.urls import reverse

from emes.models import Role
from emes.notifications.models import Notification
from emes.notifications.services import mark_all_read, mark_read, notify, notify_many
from tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_user(office_a):
    user = UserFactory(username="90000001")
    MembershipFactory(user=user, office=office_a, role=Role.SCHOOL, school=SchoolFactory(office=office_a))
    return user


def test_services(planner_a, viewer_a, office_a):
    one = notify(planner_a, title="รายงานไตรมาสที่ 1 เลยกำหนด", body="โครงการ ก", url="/plans/", office=office_a)
    assert one.read_at is None and one.office == office_a
    assert notify_many([planner_a, viewer_a, viewer_a], title="ปฏิทินใหม่") == 2
    assert Notification.objects.for_user(planner_a).unread().count() == 2
    assert mark_read(planner_a, one.pk).read_at is not None
    first_read = Notification.objects.get(pk=one.pk).read_at
    assert mark_read(planner_a, one.pk).read_at == first_read  # reading again keeps the first time
    assert mark_all_read(planner_a) == 1
    assert mark_all_read(planner_a) == 0
    assert Notification.objects.for_user(viewer_a).unread().count() == 1


def test_mark_read_of_another_users_notification_is_404(planner_a, viewer_a):
    from django.http import Http404

    other = notify(viewer_a, title="ของคนอื่น")
    with pytest.raises(Http404):
        mark_read(planner_a, other.pk)
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_list_unread_first_and_bell(client, school_user, planner_a):
    old = notify(school_user, title="อ่านแล้ว")
    mark_read(school_user, old.pk)
    notify(school_user, title="ใหม่ <b>ตัวหนา</b>")
    notify(planner_a, title="ของผู้อื่น")
    assert client.get(reverse("notifications:list")).status_code == 302
    client.force_login(school_user)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == ["ใหม่ <b>ตัวหนา</b>", "อ่านแล้ว"]
    body = response.content.decode()
    assert "ของผู้อื่น" not in body and "&lt;b&gt;" in body
    assert 'id="notification-count">1<' in body


def test_list_queries_do_not_grow(client, planner_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(planner_a)
    notify(planner_a, title="หนึ่ง")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    notify_many([planner_a], title="x")
    Notification.objects.bulk_create([Notification(user=planner_a, title=f"n{i}") for i in range(40)])
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("notifications:list"))
    assert response.context["page"].paginator.num_pages == 2


def test_read_follows_local_link_only(client, planner_a, viewer_a):
    local = notify(planner_a, title="ไปที่แผน", url="/plans/")
    outside = notify(planner_a, title="ลิงก์ภายนอก", url="https://evil.example/")
    plain = notify(planner_a, title="ไม่มีลิงก์")
    others = notify(viewer_a, title="ของคนอื่น", url="/x/")
    client.force_login(planner_a)
    assert client.get(reverse("notifications:read", args=[local.pk])).status_code == 405
    response = client.post(reverse("notifications:read", args=[local.pk]))
    assert response.status_code == 302 and response.url == "/plans/"
    assert client.post(reverse("notifications:read", args=[outside.pk])).url == reverse("notifications:list")
    assert client.post(reverse("notifications:read", args=[plain.pk])).url == reverse("notifications:list")
    assert client.post(reverse("notifications:read", args=[others.pk])).status_code == 404
    assert Notification.objects.get(pk=others.pk).read_at is None
    assert not Notification.objects.for_user(planner_a).unread().exists()


def test_read_all(client, planner_a, viewer_a):
    notify_many([planner_a, viewer_a], title="ทั้งคู่")
    client.force_login(planner_a)
    assert client.get(reverse("notifications:read-all")).status_code == 405
    response = client.post(reverse("notifications:read-all"), follow=True)
    assert response.status_code == 200
    assert not Notification.objects.for_user(planner_a).unread().exists()
    assert Notification.objects.for_user(viewer_a).unread().count() == 1
    assert 'id="notification-count"' not in response.content.decode()


def test_admin_is_for_superusers_only(client, planner_a):
    from django.contrib.auth.models import Permission

    planner_a.is_staff = True
    planner_a.save()
    planner_a.user_permissions.add(*Permission.objects.filter(codename__endswith="_notification"))
    client.force_login(planner_a)
    assert client.get(reverse("admin:emes_notification_changelist")).status_code == 403
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    notify(planner_a, title="ดูได้เฉพาะผู้ดูแล")
    client.force_login(admin)
    assert "ดูได้เฉพาะผู้ดูแล" in client.get(reverse("admin:emes_notification_changelist")).content.decode()


def test_email_preferences_page(client, planner_a):
    from emes.notifications.models import EmailPreference, Kind

    client.force_login(planner_a)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and page.content.count(b'name="email"') == len(Kind.values)
    client.post(reverse("notifications:preferences"), {"email": [Kind.RETURNED, "nonsense"]})
    off = set(EmailPreference.objects.filter(user=planner_a, email=False).values_list("kind", flat=True))
    assert off == set(Kind.values) - {Kind.RETURNED}


def test_notify_each_tells_each_event_to_its_people_in_fixed_queries(planner_a, viewer_a, office_a, django_capture_on_commit_callbacks):
    """Several events at once: one row per person per event (actor, inactive and repeats skipped), e-mail by
    preference, the digests asked for once per person, the same queries for 2 events as for 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from emes.notifications.models import EmailPreference, Kind
    from emes.notifications.services import notify_each

    gone = UserFactory(username="gone", is_active=False)
    quiet = UserFactory(username="quiet", email="quiet@example.test")
    EmailPreference.objects.create(user=quiet, kind=Kind.WINDOW_REOPENED, email=False)
    viewer_a.email = "viewer@example.test"
    viewer_a.save(update_fields=["email"])

    def tell(n: int):
        events = [([viewer_a, viewer_a, planner_a, gone, quiet], f"event {i}", "body", f"/x/{i}/") for i in range(n)]
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False) as callbacks:
            created = notify_each(events, kind=Kind.WINDOW_REOPENED, office=office_a, exclude=planner_a)
        return created, len(queries), callbacks

    few, few_queries, callbacks = tell(2)
    assert [(n.user, n.title, n.email_pending) for n in few] == [
        (viewer_a, "event 0", True), (quiet, "event 0", False), (viewer_a, "event 1", True), (quiet, "event 1", False)]
    assert len(callbacks) == 1
    many, many_queries, _ = tell(12)
    assert len(many) == 24 and many_queries == few_queries
    assert notify_each([([gone], "t", "", "")], kind=Kind.WINDOW_REOPENED) == []
