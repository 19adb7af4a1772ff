"""The action plan's workflow: who moves it, which moves are legal, what is recorded and locked."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from emes.models import Role
from plans import services
from plans.models import ActionPlan, BudgetLine, PlanTransition
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_a(office_a):
    user = UserFactory(username="owner_a")
    MembershipFactory(user=user, office=office_a, role=Role.PROJECT_OWNER)
    return user


@pytest.fixture
def draft(office_a, planner_a):
    ProjectFactory(office=office_a, code="69-001", name="โครงการพัฒนาการอ่าน")
    return services.ensure_plan(office_a, 2569, by=planner_a)


def history(plan):
    return [(t.from_status, t.to_status, t.by.username, t.comment) for t in PlanTransition.objects.filter(plan__office=plan.office).order_by("id")]


def test_the_whole_path_is_recorded(draft, planner_a, director_a):
    services.submit_plan(draft, by=planner_a, comment="เสนอ")
    services.return_plan(draft, by=director_a, comment="แก้ไขงบประมาณกิจกรรม")
    services.submit_plan(draft, by=planner_a)
    plan = services.approve_plan(draft, by=director_a, comment="อนุมัติ")
    assert plan.status == "approved" and plan.approved_by == director_a and plan.approved_at
    assert [p["code"] for p in plan.snapshot["projects"]] == ["69-001"]
    assert history(plan) == [
        ("", "draft", "planner_a", ""),
        ("draft", "submitted", "planner_a", "เสนอ"),
        ("submitted", "draft", "director_a", "แก้ไขงบประมาณกิจกรรม"),
        ("draft", "submitted", "planner_a", ""),
        ("submitted", "approved", "director_a", "อนุมัติ"),
    ]


@pytest.mark.parametrize("who", ["owner_a", "viewer_a", "director_a"])
def test_only_the_plan_officer_submits(draft, who, request):
    with pytest.raises(PermissionDenied):
        services.submit_plan(draft, by=request.getfixturevalue(who))
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.transitions.count() == 1


@pytest.mark.parametrize("who", ["owner_a", "planner_a", "outsider_b"])
def test_only_the_director_approves_or_returns(draft, planner_a, who, request):
    services.submit_plan(draft, by=planner_a)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.approve_plan(draft, by=user)
    with pytest.raises(PermissionDenied):
        services.return_plan(draft, by=user, comment="x")
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.approved_by is None


def test_illegal_moves_change_nothing(draft, planner_a, director_a):
    with translation.override("en"), pytest.raises(ValidationError, match="Only a submitted plan can be approved"):
        services.approve_plan(draft, by=director_a)  # not submitted yet
    services.submit_plan(draft, by=planner_a)
    with translation.override("en"), pytest.raises(ValidationError, match="Only a draft plan can be submitted"):
        services.submit_plan(draft, by=planner_a)  # twice
    with pytest.raises(ValidationError, match="ความเห็น"):
        services.return_plan(draft, by=director_a, comment="  ")
    with translation.override("en"), pytest.raises(ValidationError, match="Only an approved plan can be amended"):
        services.open_amendment(draft, by=planner_a, reason="ปรับแผน")  # not approved
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.transitions.count() == 2


def test_an_empty_plan_cannot_be_submitted(office_a, planner_a):
    plan = services.ensure_plan(office_a, 2570, by=planner_a)
    with translation.override("en"), pytest.raises(ValidationError, match="The plan has no project yet"):
        services.submit_plan(plan, by=planner_a)


def test_an_approved_plan_is_locked_until_an_amendment_which_keeps_the_old_version_readable(draft, planner_a, director_a, office_a):
    services.submit_plan(draft, by=planner_a)
    services.approve_plan(draft, by=director_a)
    with pytest.raises(ValidationError, match="2569"):
        services.require_editable(office_a, 2569)
    with translation.override("en"), pytest.raises(ValidationError, match="Give the reason for the amendment"):
        services.open_amendment(draft, by=planner_a, reason="")  # a reason is required
    amendment = services.open_amendment(draft, by=planner_a, reason="ได้รับจัดสรรงบประมาณเพิ่มเติม")
    assert (amendment.version, amendment.status, amendment.amendment_reason) == (2, "draft", "ได้รับจัดสรรงบประมาณเพิ่มเติม")
    assert services.require_editable(office_a, 2569) == amendment
    old = ActionPlan.objects.get(office=office_a, fiscal_year=2569, version=1)
    assert old.status == "superseded" and old.snapshot["projects"][0]["name"] == "โครงการพัฒนาการอ่าน"
    assert ActionPlan.objects.current(office_a, 2569) == amendment


def test_snapshot_keeps_budget_lines_activities_and_indicators(office_a, planner_a):
    project = ProjectFactory(office=office_a, code="69-002")
    BudgetLine.objects.create(project=project, source="obec", amount="40000", q1="10000", q2="10000", q3="10000", q4="10000")
    snap = services.plan_snapshot(office_a, 2569)
    assert snap["projects"][0]["budget_lines"] == [
        {"source": "obec", "amount": "40000.00", "q1": "10000.00", "q2": "10000.00", "q3": "10000.00", "q4": "10000.00"}
    ]


def test_snapshot_query_count_does_not_grow_with_projects(office_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            services.plan_snapshot(office_a, 2569)
        return len(ctx)

    for _ in range(3):
        ProjectFactory(office=office_a)
    few = count()
    for _ in range(20):
        ProjectFactory(office=office_a)
    assert count() == few


def test_an_operator_command_may_start_the_plan(office_a):
    plan = services.ensure_plan(office_a, 2570, by=None)
    assert (plan.version, plan.status) == (1, "draft") and plan.transitions.get().by is None
