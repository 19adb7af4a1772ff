"""The director approves or returns a plan in the Django admin; nobody else can, and approved rows are locked."""
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from emes.models import Role
from emes.services import ensure_office_admin_group
from plans import services
from plans.models import ActionPlan
from tests.admin_actions import ask, assert_asks, run_action
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
    """Run the action as a user does: "Go", then the confirmation page's button with ``extra`` typed there (issue 17)."""
    return run_action(client, reverse(CHANGELIST), action, [plan.pk], **extra)


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


def test_go_only_asks_before_approving_with_the_plans_and_the_consequence(client, director_a, submitted):
    """Issue 17 in the admin: "Go" shows what approving does, with the count and the plans; nothing is approved."""
    client.force_login(staff(director_a))
    url = reverse(CHANGELIST)
    page = ask(client, url, "approve_plans", [submitted.pk])
    assert_asks(page, url, "approve_plans", [submitted.pk], "อนุมัติแผนปฏิบัติการ 1 ฉบับหรือไม่", "แผนที่อนุมัติแล้วจะถูกล็อก",
                "รายการที่เลือก 1 รายการ", str(submitted), "ยืนยันอนุมัติแผน 1 ฉบับ")
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.approved_by is None


def test_a_return_with_its_comment_but_without_the_confirmation_changes_nothing(client, director_a, submitted):
    client.force_login(staff(director_a))
    url = reverse(CHANGELIST)
    page = client.post(url, {"action": "return_plans", ACTION_CHECKBOX_NAME: [submitted.pk], "index": "0", "comment": "แก้ไข"})
    assert_asks(page, url, "return_plans", [submitted.pk], "ส่งแผนปฏิบัติการ 1 ฉบับกลับไปแก้ไขหรือไม่", "ความเห็นของท่านในประวัติ")
    assert 'name="comment"' in page.content.decode()  # the comment is asked on the same page
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    # Confirmed without a comment: refused on the same page, still nothing moves.
    page = client.post(url, {"action": "return_plans", ACTION_CHECKBOX_NAME: [submitted.pk], "index": "0", "post": "yes", "comment": ""})
    assert page.status_code == 200 and "errorlist" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.fixture
def strategy_results(office_a, planner_a):
    from decimal import Decimal

    from django.contrib.auth.models import Permission

    from plans.models import Indicator, StrategyIndicatorResult
    from tests.factories import StrategyFactory

    indicator = Indicator.objects.create(strategy=StrategyFactory(office=office_a), name="ร้อยละของโรงเรียนที่ผ่านเกณฑ์",
                                         unit="ร้อยละ", target=Decimal("80"))
    staff(planner_a).user_permissions.add(*Permission.objects.filter(
        content_type__app_label="plans", codename__in=["view_strategyindicatorresult", "change_strategyindicatorresult"]))
    return [StrategyIndicatorResult.objects.create(office=office_a, indicator=indicator, quarter=q, actual=Decimal("70"), recorded_by=planner_a)
            for q in (1, 2)]


def test_accepting_strategy_results_asks_first_then_accepts(client, planner_a, strategy_results):
    from plans.models import StrategyIndicatorResult

    client.force_login(planner_a)
    url = reverse("admin:plans_strategyindicatorresult_changelist")
    ids = [r.pk for r in strategy_results]
    page = ask(client, url, "accept", ids)
    assert_asks(page, url, "accept", ids, "ตรวจรับผลตัวชี้วัดระดับกลยุทธ์ 2 รายการหรือไม่", "มี 2 รายการที่บันทึกไว้",
                "ถูกล็อก แก้ไขไม่ได้อีก", "รายการที่เลือก 2 รายการ", "ยืนยันตรวจรับผล 2 รายการ")
    assert not StrategyIndicatorResult.objects.filter(status="accepted").exists()
    run_action(client, url, "accept", ids)
    assert set(StrategyIndicatorResult.objects.values_list("status", "accepted_by")) == {("accepted", planner_a.pk)}
