"""The annual report command from a shell: exit code 2 and a Thai message (README, issue 14).

A module of its own: it is a transactional test (the command runs in another process, so it must see committed
rows), and the builder's module keeps the demo in one open transaction for all its tests, which a transactional
test's flush cannot truncate under.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_command_exit_code_is_2_from_the_shell(tmp_path):
    db = connection.settings_dict
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "false", "SECRET_KEY": settings.SECRET_KEY, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    proc = subprocess.run(
        [sys.executable, "manage.py", "annual_report", "--office", "0000", "--fiscal-year", "2569", "--output", str(tmp_path / "x.pdf")],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "ไม่พบสำนักงานเขตพื้นที่รหัส 0000" in proc.stderr
