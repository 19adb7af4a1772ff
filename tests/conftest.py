"""Shared fixtures: a fixed cast (director, plan officer, viewer of office A; an outsider of office B).

The suite runs on PostgreSQL (``DATABASE_URL``) and Redis (``CELERY_BROKER_URL``), as set by
``make test``; tasks triggered by views run eagerly unless a test starts a real worker.
"""
from __future__ import annotations

import os

import pytest

from emes.models import Role

from .factories import MembershipFactory, OfficeFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright share the thread


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Generated files go to a per-test folder, never into the developer's var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}


@pytest.fixture
def eager_celery():
    """Run tasks in-process for view tests (the worker test starts a real worker instead)."""
    from emes.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture
def office_a(db):
    return OfficeFactory(area_code="9901", name="สพป.ทดสอบ เขต 1")


@pytest.fixture
def office_b(db):
    return OfficeFactory(area_code="9902", name="สพป.ทดสอบ เขต 2")


def _member(office, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, office=office, role=role)
    return user


@pytest.fixture
def director_a(office_a):
    return _member(office_a, Role.DIRECTOR, "director_a")


@pytest.fixture
def planner_a(office_a):
    return _member(office_a, Role.PLAN_OFFICER, "planner_a")


@pytest.fixture
def viewer_a(office_a):
    return _member(office_a, Role.VIEWER, "viewer_a")


@pytest.fixture
def outsider_b(office_b):
    """The plan officer of another office: must see nothing of office A."""
    return _member(office_b, Role.PLAN_OFFICER, "planner_b")
