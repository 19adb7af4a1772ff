"""The director works in the admin and sees only the data of their own office."""
import pytest
from django.urls import reverse

from emes.services import ensure_office_admin_group
from tests.factories import PASSWORD, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_in_admin(director_a):
    director_a.is_staff = True
    director_a.save(update_fields=["is_staff"])
    director_a.groups.add(ensure_office_admin_group())
    return director_a


def test_director_sees_own_projects_only_in_admin(client, director_in_admin, office_a, office_b):
    mine = ProjectFactory(office=office_a, name="โครงการของเขต ก")
    theirs = ProjectFactory(office=office_b, name="โครงการของเขต ข")
    client.force_login(director_in_admin)
    page = client.get(reverse("admin:plans_project_changelist")).content.decode()
    assert mine.name in page and theirs.name not in page
    assert client.get(reverse("admin:plans_project_change", args=[theirs.pk])).status_code == 302  # not found -> admin index
    assert client.get(reverse("admin:plans_project_change", args=[mine.pk])).status_code == 200


def test_office_admin_group_is_idempotent_and_cannot_delete():
    first = set(ensure_office_admin_group().permissions.values_list("codename", flat=True))
    second = set(ensure_office_admin_group().permissions.values_list("codename", flat=True))
    assert first == second
    assert "change_project" in first and "view_reportjob" in first
    assert not any(code.startswith("delete_") for code in first)


def test_admin_form_choices_are_scoped_to_the_office(client, director_in_admin, office_a, office_b):
    mine = ProjectFactory(office=office_a)
    other = ProjectFactory(office=office_b)
    client.force_login(director_in_admin)
    form = client.get(reverse("admin:plans_project_change", args=[mine.pk])).context["adminform"].form
    assert set(form.fields["division"].queryset) == set(office_a.divisions.all())
    assert other.division not in form.fields["division"].queryset
    assert other.strategy not in form.fields["strategy"].queryset


def test_director_sees_only_own_office_in_office_admin(client, director_in_admin, office_a, office_b):
    client.force_login(director_in_admin)
    page = client.get(reverse("admin:emes_office_changelist")).content.decode()
    assert office_a.name in page and office_b.name not in page
