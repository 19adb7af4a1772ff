"""``import_plan`` and ``export_plan``: exit status 2 with Thai messages for bad input, ``--dry-run``, a summary."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import ActionPlan, PlanImport, Project
from plans.workbook import services

from .conftest import FY, base_rows, build, plan_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_file(tmp_path, office_a, frame):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build(office_a))
    return path


def test_dry_run_prints_the_preview_and_saves_nothing(plan_file, capsys):
    call_command("import_plan", str(plan_file), "--office", "9901", "--fiscal-year", "2569", "--dry-run")
    out = capsys.readouterr().out
    assert "+ projects 69-01-001 โครงการสำนักงานปลอดภัย" in out
    assert "Dry run, nothing saved." in out and "projects +2 ~0 -0 =0" in out
    assert Project.objects.count() == 0 and PlanImport.objects.count() == 0


def test_import_creates_the_plan_with_by_and_prints_a_summary(plan_file, planner_a, capsys):
    call_command("import_plan", str(plan_file), "--office", "9901", "--fiscal-year", "2569", "--by", "planner_a")
    out = capsys.readouterr().out
    assert "Applied. 9901 สพป.ทดสอบ เขต 1, FY 2569: 2 projects read; projects +2" in out and "11 changes." in out
    assert Project.objects.count() == 2
    assert PlanImport.objects.get().uploaded_by == planner_a and ActionPlan.objects.get().version == 1


def test_an_operator_may_import_the_first_plan_of_a_year_without_by(plan_file):
    call_command("import_plan", str(plan_file), "--office", "9901", "--fiscal-year", "2569")
    plan = ActionPlan.objects.get()
    assert (plan.version, plan.status) == (1, "draft") and plan.transitions.get().by is None
    assert Project.objects.count() > 0 and PlanImport.objects.get().uploaded_by is None


def test_a_bad_file_exits_2_with_every_problem(tmp_path, office_a, planner_a, plan_file):
    call_command("import_plan", str(plan_file), "--office", "9901", "--fiscal-year", "2569", "--by", "planner_a")
    rows = base_rows()
    rows.projects[1].update(division="11", budget="-")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(build(office_a, rows))
    before = plan_state()
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), "--office", "9901", "--fiscal-year", "2569")
    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        'ชีต "โครงการ" แถว 3 คอลัมน์ "กลุ่มที่รับผิดชอบ *": ไม่พบกลุ่มรหัส "11" ในสำนักงานนี้ กรุณาใช้รหัส: 01, 02',
        'ชีต "โครงการ" แถว 3 คอลัมน์ "งบประมาณ (บาท)": ต้องกรอกช่องนี้เมื่อโครงการไม่มีรายการในชีต "งบประมาณ" (กรอก 0 หากโครงการไม่ใช้งบประมาณ)',
    ]
    assert plan_state() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--office", "1234", "--fiscal-year", "2569"], "ไม่พบสำนักงานเขตพื้นที่การศึกษารหัส 1234"),
    (["--office", "9901", "--fiscal-year", "2026"], "ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"),
])
def test_unknown_office_or_ce_year_exits_2(args, message, plan_file):
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(plan_file), *args)
    assert caught.value.returncode == 2 and message in str(caught.value)


def test_export_writes_the_workbook(tmp_path, office_a, planner_a, plan_file, capsys):
    call_command("import_plan", str(plan_file), "--office", "9901", "--fiscal-year", "2569", "--by", "planner_a")
    out = tmp_path / "export.xlsx"
    call_command("export_plan", "--office", "9901", "--fiscal-year", "2569", "--output", str(out))
    assert "Wrote" in capsys.readouterr().out
    assert not services.check_plan_workbook(out.read_bytes(), office_a, FY).has_changes
    with pytest.raises(CommandError) as caught:
        call_command("export_plan", "--office", "9901", "--fiscal-year", "2026", "--output", str(out))
    assert caught.value.returncode == 2
