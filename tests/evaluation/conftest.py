"""The cast of the evaluation tests: office A's plan officer, a project owner with a project, a viewer, a school
account; office B's plan officer (the outsider). A satisfaction form from the library and an open evaluation."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from emes.models import Role
from evaluation import services
from tests.factories import MembershipFactory, ProjectFactory, SchoolFactory, UserFactory


@pytest.fixture
def owner_a(office_a):
    user = UserFactory(username="owner_a")
    MembershipFactory(user=user, office=office_a, role=Role.PROJECT_OWNER)
    return user


@pytest.fixture
def school_user_a(office_a):
    school = SchoolFactory(office=office_a, smis_code="99010001")
    user = UserFactory(username="99010001")
    MembershipFactory(user=user, office=office_a, role=Role.SCHOOL, school=school)
    return user


@pytest.fixture
def project_a(office_a, owner_a):
    return ProjectFactory(office=office_a, owner=owner_a, fiscal_year=2569)


@pytest.fixture
def satisfaction_form(office_a, planner_a):
    return services.create_form(office_a, by=planner_a, title="", standard="satisfaction")


@pytest.fixture
def open_evaluation(office_a, planner_a, satisfaction_form, project_a, school_user_a):
    today = timezone.localdate()
    ev = services.create_evaluation(
        office_a, by=planner_a, form=satisfaction_form, title="ความพึงพอใจ โครงการทดสอบ", target=project_a,
        opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7), roles=[Role.SCHOOL],
    )
    services.open_evaluation(ev, by=planner_a)
    ev.refresh_from_db()
    return ev


def full_answers(ev, rating: int = 5, **overrides) -> dict:
    """A valid answer to every item of ``ev``'s form: ``rating`` for ratings, the first choice, "yes", text."""
    data = {}
    for item in services.form_items(ev.form):
        data[f"item-{item.pk}"] = {"rating": str(rating), "yes_no": "yes", "number": "3", "text": "ดีมาก",
                                   "choice": (item.choices or [""])[0]}[item.kind]
    data.update(overrides)
    return data
