"""``import_schools``: exit status 2 with Thai messages for bad input, ``--dry-run``, a summary."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from emes.models import Enrolment, School, SchoolImport

from .conftest import registry_state, write_csv

pytestmark = pytest.mark.django_db


def test_dry_run_prints_the_preview_and_saves_nothing(office_5402, phrae_detail, capsys):
    call_command("import_schools", str(phrae_detail), "--office", "5402", "--academic-year", "2568", "--dry-run")
    out = capsys.readouterr().out
    assert "+ 54020001 บ้านน้ำริน (คุรุราษฎร์รังสรรค์)" in out
    assert "Dry run, nothing saved." in out and "added 103" in out
    assert School.objects.count() == 0 and SchoolImport.objects.count() == 0


def test_import_prints_a_summary(office_5703, school_data, capsys):
    path = school_data / "spp_chiangrai3" / "spp_chiangrai3_students_by_grade_2568.csv"
    call_command("import_schools", str(path), "--office", "5703", "--academic-year", "2568")
    out = capsys.readouterr().out
    assert "Applied. 5703 สพป.เชียงราย เขต 3, academic year 2568: 139 schools read; added 139" in out
    assert Enrolment.objects.filter(grade="p1").count() == 139


def test_unknown_office_exits_2(db, phrae_detail):
    with pytest.raises(CommandError) as caught:
        call_command("import_schools", str(phrae_detail), "--office", "1234")
    assert caught.value.returncode == 2
    assert "ไม่พบสำนักงานเขตพื้นที่การศึกษารหัส 1234" in str(caught.value)


def test_bad_file_exits_2_with_every_problem(office_a, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["รหัสโรงเรียน", "ชื่อโรงเรียน", "students_total"], ["9901001", "สั้น", "1"], ["99010002", "สอง", "-2"]])
    before = registry_state()
    with pytest.raises(CommandError) as caught:
        call_command("import_schools", str(path), "--office", "9901")
    assert caught.value.returncode == 2
    assert str(caught.value).splitlines() == [
        'แถวที่ 2 คอลัมน์ "รหัสโรงเรียน": รหัส 9901001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก',
        'แถวที่ 3 คอลัมน์ "students_total": -2 ติดลบ จำนวนนักเรียนต้องไม่น้อยกว่า 0',
    ]
    assert registry_state() == before
