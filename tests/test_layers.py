"""The layers contract of issue 14: the core ``emes`` imports no app, the domain apps import only the core.

The contract itself is ``[tool.importlinter]`` in ``pyproject.toml`` (import-linter reads every
``import``, at module level or inside a function); this test runs it so the suite fails the day an
upward import lands, e.g. ``from plans.models import Project`` in ``emes/access.py``.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_contract_is_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout
