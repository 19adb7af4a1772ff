"""The one place that decides access: visible_to querysets and the per-model lookup helpers."""
import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from emes.access import get_school_for_user, schools_visible_to
from plans.access import get_project_for_user
from emes.models import Membership, Office, Role, School
from plans.models import Project, QuarterlyReport
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(office_a, office_b):
    division, other_division = DivisionFactory(office=office_a), DivisionFactory(office=office_a)
    school_a1, school_a2 = SchoolFactory(office=office_a), SchoolFactory(office=office_a)
    school_b1 = SchoolFactory(office=office_b)
    people = {}

    def member(key, office, role, **extra):
        people[key] = user = people.get(key) or UserFactory(username=key)
        MembershipFactory(user=user, office=office, role=role, **extra)

    member("planner", office_a, Role.PLAN_OFFICER)
    member("head", office_a, Role.DIVISION_HEAD, division=division)
    member("owner", office_a, Role.PROJECT_OWNER)
    member("viewer", office_a, Role.VIEWER)
    member("school", office_a, Role.SCHOOL, school=school_a1)
    member("outsider", office_b, Role.PLAN_OFFICER)
    member("both", office_a, Role.VIEWER)  # staff in A and a school account in B
    member("both", office_b, Role.SCHOOL, school=school_b1)
    own = ProjectFactory(office=office_a, division=division, owner=people["owner"])
    other = ProjectFactory(office=office_a, division=other_division)
    theirs = ProjectFactory(office=office_b)
    for project in (own, other, theirs):
        QuarterlyReportFactory(project=project)
    return dict(people=people, own=own, other=other, theirs=theirs, a1=school_a1, a2=school_a2, b1=school_b1)


def test_school_account_sees_only_its_own_school(cast):
    school = cast["people"]["school"]
    assert list(School.objects.visible_to(school)) == [cast["a1"]]
    assert not Project.objects.visible_to(school).exists()
    assert not QuarterlyReport.objects.visible_to(school).exists()
    with pytest.raises(Http404):
        get_school_for_user(school, cast["a2"].smis_code)
    assert get_school_for_user(school, cast["a1"].smis_code, write=True) == cast["a1"]


def test_offices_never_see_each_other(cast, office_a, office_b):
    outsider = cast["people"]["outsider"]
    assert set(School.objects.visible_to(outsider)) == {cast["b1"]}
    assert set(Project.objects.visible_to(outsider)) == {cast["theirs"]}
    assert list(Office.objects.visible_to(outsider)) == [office_b]
    for project in (cast["own"], cast["other"]):
        with pytest.raises(Http404):
            get_project_for_user(outsider, project.pk)


def test_staff_of_one_office_and_school_of_another_sees_each_within_its_role(cast, office_a, office_b):
    both = cast["people"]["both"]
    assert set(School.objects.visible_to(both)) == {cast["a1"], cast["a2"], cast["b1"]}
    assert set(Project.objects.visible_to(both)) == {cast["own"], cast["other"]}  # not office B's plan
    assert set(Office.objects.visible_to(both)) == {office_a, office_b}


@pytest.mark.parametrize(
    "who,project,write_ok",
    [
        ("planner", "own", True), ("planner", "other", True),
        ("head", "own", True), ("head", "other", False),
        ("owner", "own", True), ("owner", "other", False),
        ("viewer", "own", False),
    ],
)
def test_get_project_for_user_write_follows_the_roles(cast, who, project, write_ok):
    user, project = cast["people"][who], cast[project]
    assert get_project_for_user(user, project.pk) == project  # every staff member reads the plan
    if write_ok:
        assert get_project_for_user(user, project.pk, write=True) == project
    else:
        with pytest.raises(PermissionDenied):
            get_project_for_user(user, project.pk, write=True)


def test_school_account_cannot_reach_a_project(cast):
    with pytest.raises(Http404):
        get_project_for_user(cast["people"]["school"], cast["own"].pk)


def test_memberships_are_visible_to_the_people_who_manage_them(cast, office_a):
    planner, viewer = cast["people"]["planner"], cast["people"]["viewer"]
    assert set(Membership.objects.visible_to(planner)) == set(Membership.objects.filter(office=office_a))
    assert set(Membership.objects.visible_to(viewer)) == set(Membership.objects.filter(user=viewer))


def test_anonymous_sees_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    assert not schools_visible_to(nobody).exists()
    assert not Project.objects.visible_to(nobody).exists()
    assert not Office.objects.visible_to(nobody).exists()
    assert not Membership.objects.visible_to(nobody).exists()


def test_one_person_may_head_two_divisions_but_not_hold_the_same_membership_twice(office_a):
    from django.db import IntegrityError, transaction

    first, second = DivisionFactory(office=office_a), DivisionFactory(office=office_a)
    head = UserFactory(username="head2")
    MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD, division=first)
    MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD, division=second)
    MembershipFactory(user=head, office=office_a, role=Role.PROJECT_OWNER)
    for duplicate in (dict(role=Role.DIVISION_HEAD, division=first), dict(role=Role.PROJECT_OWNER)):
        with pytest.raises(IntegrityError), transaction.atomic():
            MembershipFactory(user=head, office=office_a, **duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=head, office=office_a, role=Role.DIVISION_HEAD)  # a head needs a division
    assert Membership.objects.filter(user=head).count() == 3
