"""The director approves or returns a plan in the Django admin; nobody else can, and approved rows are locked."""
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from emes.models import Role
from emes.services import ensure_office_admin_group
from plans import services
from plans.models import ActionPlan
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:plans_actionplan_changelist"


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(ensure_office_admin_group())
    return user


@pytest.fixture
def submitted(office_a, planner_a):
    ProjectFactory(office=office_a)
    plan = services.ensure_plan(office_a, 2569, by=planner_a)
    return services.submit_plan(plan, by=planner_a)


def act(client, action, plan, **extra):
    return client.post(reverse(CHANGELIST), {"action": action, ACTION_CHECKBOX_NAME: [plan.pk], **extra}, follow=True)


def test_director_approves_in_the_admin(client, director_a, submitted):
    client.force_login(staff(director_a))
    page = act(client, "approve_plans", submitted)
    submitted.refresh_from_db()
    assert submitted.status == "approved" and submitted.approved_by == director_a
    assert submitted.transitions.last().by == director_a
    assert page.status_code == 200


def test_director_returns_with_a_required_comment(client, director_a, submitted):
    client.force_login(staff(director_a))
    asked = act(client, "return_plans", submitted)
    assert "comment" in asked.content.decode()  # the intermediate page asks for it
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    act(client, "return_plans", submitted, comment="ปรับตัวชี้วัดโครงการ 69-001")
    submitted.refresh_from_db()
    assert submitted.status == "draft"
    assert submitted.transitions.last().comment == "ปรับตัวชี้วัดโครงการ 69-001"


def test_plan_officer_in_the_admin_has_no_approve_action(client, planner_a, submitted):
    client.force_login(staff(planner_a))
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "approve_plans" not in page
    act(client, "approve_plans", submitted)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_project_owner_never_reaches_the_admin(client, office_a, submitted):
    owner = UserFactory(username="owner_a")
    MembershipFactory(user=owner, office=office_a, role=Role.PROJECT_OWNER)
    client.force_login(owner)
    response = client.post(reverse(CHANGELIST), {"action": "approve_plans", ACTION_CHECKBOX_NAME: [submitted.pk]})
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_director_of_another_office_cannot_approve(client, office_b, submitted):
    other = UserFactory(username="director_b")
    MembershipFactory(user=other, office=office_b, role=Role.DIRECTOR)
    client.force_login(staff(other))
    act(client, "approve_plans", submitted)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"  # not even listed for them


def test_projects_of_an_approved_plan_are_read_only_in_the_admin(client, director_a, planner_a, submitted):
    project = submitted.office.projects.get()
    client.force_login(staff(planner_a))
    change = reverse("admin:plans_project_change", args=[project.pk])
    assert 'name="name"' not in client.get(change).content.decode()  # submitted: waiting for the director
    services.return_plan(submitted, by=director_a, comment="แก้ไข")
    assert 'name="name"' in client.get(change).content.decode()  # a draft again: editable
    services.submit_plan(submitted, by=planner_a)
    services.approve_plan(submitted, by=director_a)
    assert 'name="name"' not in client.get(change).content.decode()  # read-only once approved
    client.post(change, {"name": "เปลี่ยนชื่อ"})
    project.refresh_from_db()
    assert project.name != "เปลี่ยนชื่อ"
    assert ActionPlan.objects.get(pk=submitted.pk).status == "approved"
