"""The people and school-account pages: who may see and do what, and what the pages show."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from emes.models import Membership, Role, SchoolAccountBatch
from emes.people import services
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def people_url(office):
    return reverse("people:people", args=[office.area_code])


def accounts_url(office):
    return reverse("people:school-accounts", args=[office.area_code])


# -- permissions ------------------------------------------------------------------------------
def test_people_page_anonymous_is_sent_to_login(client, office_a):
    response = client.get(people_url(office_a))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_director_reads_without_forms(client, office_a, director_a, planner_a, staff_a, batch_a):
    client.force_login(director_a)
    page = client.get(people_url(office_a)).content.decode()
    assert "planner_a" in page and "owner_a" in page
    assert 'id="add-membership"' not in page and "remove-membership" not in page and "/remove/" not in page
    accounts = client.get(accounts_url(office_a)).content.decode()
    assert reverse("people:school-accounts-pdf", args=[office_a.area_code, batch_a.pk]) in accounts
    assert "/generate/" not in accounts and "/reset/" not in accounts
    # and the write URLs themselves refuse the director
    for url in (
        reverse("people:add-membership", args=[office_a.area_code]),
        reverse("people:generate-school-accounts", args=[office_a.area_code]),
        reverse("people:reset-school-password", args=[office_a.area_code, "99010001"]),
        reverse("people:remove-membership", args=[office_a.area_code, staff_a.memberships.get().pk]),
    ):
        assert client.post(url).status_code == 403, url
    assert client.get(reverse("people:add-person", args=[office_a.area_code])).status_code == 403


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
@pytest.mark.parametrize("who, status", [("outsider_b", 404), ("viewer_a", 403), ("director_a", 200), ("planner_a", 200)])
def test_download_permissions(request, client, office_a, batch_a, kind, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(f"people:school-accounts-{kind}", args=[office_a.area_code, batch_a.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"school-accounts-9901-{batch_a.pk}.{kind}" in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF" if kind == "pdf" else b"PK")


def test_a_batch_of_another_office_is_404(client, office_a, office_b, outsider_b, batch_a):
    client.force_login(outsider_b)
    # the outsider's own office, the other office's batch number
    assert client.get(reverse("people:school-accounts-pdf", args=[office_b.area_code, batch_a.pk])).status_code == 404


def test_files_are_not_under_a_public_url(batch_a, settings):
    from pathlib import Path

    assert Path(batch_a.pdf.path).is_relative_to(settings.PRIVATE_STORAGE_ROOT)
    assert not Path(batch_a.pdf.path).is_relative_to(settings.STATIC_ROOT)


def test_reset_of_a_school_of_another_office_is_404(client, office_a, planner_a, school_b):
    client.force_login(planner_a)
    assert client.post(reverse("people:reset-school-password", args=[office_a.area_code, school_b.smis_code])).status_code == 404


# -- what the plan officer does ---------------------------------------------------------------
def test_planner_generates_then_downloads(client, office_a, planner_a, schools_a):
    client.force_login(planner_a)
    page = client.get(accounts_url(office_a)).content.decode()
    assert 'data-count="with-account">0<' in page
    response = client.post(reverse("people:generate-school-accounts", args=[office_a.area_code]), follow=True)
    assert response.status_code == 200
    batch = SchoolAccountBatch.objects.get()
    assert batch.accounts == 3
    page = response.content.decode()
    assert 'data-count="schools">3<' in page and 'data-count="with-account">3<' in page and 'data-count="first-login">0<' in page
    assert reverse("people:school-accounts-xlsx", args=[office_a.area_code, batch.pk]) in page
    # the printed URL is the absolute login URL of this site
    from .helpers import pdf_text

    assert "http://testserver/accounts/login/" in pdf_text(batch)
    again = client.post(reverse("people:generate-school-accounts", args=[office_a.area_code]), follow=True)
    assert SchoolAccountBatch.objects.count() == 1 and again.status_code == 200


def test_planner_resets_one_school(client, office_a, planner_a, batch_a, schools_a):
    client.force_login(planner_a)
    before = User.objects.get(username="99010002").password
    response = client.post(reverse("people:reset-school-password", args=[office_a.area_code, "99010001"]))
    assert response.status_code == 302
    newest = SchoolAccountBatch.objects.first()
    assert newest.accounts == 1 and newest.pk != batch_a.pk
    assert User.objects.get(username="99010002").password == before


def test_first_login_done_is_counted(client, office_a, planner_a, batch_a, school_user_a):
    services.change_password(school_user_a, "Don-Kaew-School-2569", by=school_user_a)
    client.force_login(planner_a)
    page = client.get(accounts_url(office_a)).content.decode()
    assert 'data-count="first-login">1<' in page


def test_people_page_groups_roles_by_person(client, office_a, planner_a, staff_a, divisions_a, batch_a):
    for division in divisions_a:
        MembershipFactory(user=staff_a, office=office_a, role=Role.DIVISION_HEAD, division=division)
    client.force_login(planner_a)
    page = client.get(people_url(office_a)).content.decode()
    assert page.count('data-user="owner_a"') == 1
    assert "กลุ่มนโยบายและแผน" in page and "กลุ่มนิเทศ ติดตาม" in page
    assert 'data-user="99010001"' not in page  # school logins live on the school accounts page


def test_people_page_query_count_does_not_grow(client, office_a, planner_a, django_assert_max_num_queries):
    client.force_login(planner_a)
    client.get(people_url(office_a))
    for i in range(15):
        MembershipFactory(user=UserFactory(), office=office_a, role=Role.PROJECT_OWNER)
    with django_assert_max_num_queries(14):
        assert client.get(people_url(office_a)).status_code == 200


def test_school_accounts_query_count_does_not_grow(client, office_a, planner_a, batch_a, django_assert_max_num_queries):
    client.force_login(planner_a)
    with django_assert_max_num_queries(14):
        assert client.get(accounts_url(office_a)).status_code == 200


def test_add_membership_through_the_page(client, office_a, planner_a, staff_a, divisions_a):
    client.force_login(planner_a)
    url = reverse("people:add-membership", args=[office_a.area_code])
    response = client.post(url, {"username": "owner_a", "role": Role.DIVISION_HEAD, "division": divisions_a[0].pk})
    assert response.status_code == 302
    assert staff_a.memberships.filter(role=Role.DIVISION_HEAD, division=divisions_a[0]).exists()
    # a refusal re-shows the page with the reason, nothing saved
    before = Membership.objects.count()
    response = client.post(url, {"username": "owner_a", "role": Role.DIVISION_HEAD})
    assert response.status_code == 200 and Membership.objects.count() == before
    assert 'id="add-membership"' in response.content.decode()
    response = client.post(url, {"username": "nobody", "role": Role.VIEWER})
    assert response.status_code == 200 and Membership.objects.count() == before


def test_remove_membership_through_the_page(client, office_a, planner_a, staff_a):
    client.force_login(planner_a)
    membership = staff_a.memberships.get()
    assert client.post(reverse("people:remove-membership", args=[office_a.area_code, membership.pk])).status_code == 302
    assert not staff_a.memberships.exists()
    own = planner_a.memberships.get()
    client.post(reverse("people:remove-membership", args=[office_a.area_code, own.pk]))
    assert planner_a.memberships.filter(pk=own.pk).exists()


def test_a_membership_of_another_office_is_404(client, office_a, planner_a, outsider_b):
    client.force_login(planner_a)
    theirs = outsider_b.memberships.get()
    assert client.post(reverse("people:remove-membership", args=[office_a.area_code, theirs.pk])).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_add_person_through_the_page(client, office_a, planner_a, django_capture_on_commit_callbacks):
    client.force_login(planner_a)
    url = reverse("people:add-person", args=[office_a.area_code])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"username": "malee", "first_name": "มาลี", "last_name": "ดีงาม", "email": "malee@example.test", "role": Role.SUPERVISOR}
        )
    assert response.status_code == 302
    assert User.objects.get(username="malee").memberships.get().role == Role.SUPERVISOR
    assert len(mail.outbox) == 1 and "http://testserver/accounts/reset/" in mail.outbox[0].body
