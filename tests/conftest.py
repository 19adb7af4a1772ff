"""Shared fixtures: a fixed cast (director, plan officer, viewer of office A; an outsider of office B).

The suite runs on PostgreSQL (``DATABASE_URL``) and Redis (``CELERY_BROKER_URL``), as set by
``make test``; tasks triggered by views run eagerly unless a test starts a real worker.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings

from emes.models import Role

from .factories import MembershipFactory, OfficeFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright share the thread


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Generated files go to a per-test folder, never into the developer's var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a password by design; tests create dozens of users, so they hash with MD5."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Run tasks in-process for view tests (the worker test starts a real worker instead)."""
    from emes.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = previous


@pytest.fixture(scope="module")
def demo_office(django_db_setup, django_db_blocker):
    """The demo office (5402, ``demo.loader.load_demo``), loaded ONCE per module that asks for it.

    It is loaded in a transaction rolled back after the module's last test; each test runs in its own
    savepoint inside it (pytest-django's ``db``), so a test that writes leaves the demo as loaded for the
    next one: the ``setUpTestData`` pattern at module scope (pytest-dev/pytest-django#1145). The rows stay
    for every later test of the module, so only modules whose tests all read the demo use it. Not session
    scope: committed demo rows would reach the tests that count rows in an empty database, and the flush
    of every ``transaction=True`` test would remove them. The demo writes no files.
    """
    from demo.loader import load_demo
    from emes.models import Office

    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5), transaction.atomic():
        load_demo()
        yield Office.objects.get(area_code="5402")
        transaction.set_rollback(True)


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


@pytest.fixture
def start_celery_worker(tmp_path):
    """Start real ``celery worker`` processes on the test database and the Redis broker of the settings.

    ``start(name, **env)`` returns ``(process, log path)``; extra ``env`` reaches the worker's settings.
    Every worker still alive is stopped at the end of the test.
    """
    from emes.celery import app

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "make test sets CELERY_BROKER_URL to Redis"
    app.control.purge()  # leftovers of other runs must not reach this worker
    db = connection.settings_dict
    started = []

    def start(name: str = "worker", **extra_env: str):
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **extra_env,
        }
        log = tmp_path / f"{name}.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [str(Path(sys.executable).parent / "celery"), "-A", "emes", "worker", "--pool", "solo", "-l", "info",
                 "--without-gossip", "--without-mingle", "-n", f"{name}@%h"],
                cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        started.append(proc)
        return proc, log

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """A real ``celery worker`` process on the test database and the Redis broker of the settings."""
    return start_celery_worker()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (``playwright install`` cannot download browsers here), headless and quiet."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Each test starts with an empty cache of its own (the reset throttle's counters live there)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}}
    # The page cache is off, as with any local-memory cache: a test reads what the page renders (its queries, its
    # HTML). tests/emes/test_pagecache.py and the browser walks (tests/browser/conftest.py) turn it on.
    settings.EMES_PAGE_CACHE = False
