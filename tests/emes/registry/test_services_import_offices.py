"""``import_offices``: the 245 real areas (and the special-education bureau) from the OBEC list."""
from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from emes.models import Office
from emes.registry.parsing import ImportFileError
from emes.registry.services import import_offices

from .conftest import registry_state, write_csv

pytestmark = pytest.mark.django_db


def test_imports_the_245_areas_and_the_special_bureau(school_data):
    summary = import_offices(school_data / "esa_list_obec_emis_2022.csv")

    assert summary["added"] == 246
    assert Office.objects.filter(type=Office.Type.PRIMARY).count() == 183
    assert Office.objects.filter(type=Office.Type.SECONDARY).count() == 62
    assert Office.objects.filter(type=Office.Type.SPECIAL).count() == 1
    offices = {o.area_code: o for o in Office.objects.all()}
    assert (offices["5402"].name, offices["5402"].province) == ("สพป.แพร่ เขต 2", "แพร่")
    assert (offices["100001"].name, offices["100001"].province) == ("สพม.กรุงเทพมหานคร เขต 1", "กรุงเทพมหานคร")
    assert offices["1001"].province == "กรุงเทพมหานคร"
    assert offices["100700"].province == ""  # the special-education bureau names no province
    # Every area names its province: the 245 all derive one.
    assert Office.objects.exclude(type=Office.Type.SPECIAL).filter(province="").count() == 0


def test_running_again_updates_by_area_code_and_never_duplicates(school_data, tmp_path):
    import_offices(school_data / "esa_list_obec_emis_2022.csv")
    special = Office.objects.get(area_code="100700")
    special.province = "กรุงเทพมหานคร"  # typed in the admin: not derivable from the name, so kept
    special.save()
    Office.objects.filter(area_code="5402").update(name="ชื่อผิด", province="")

    summary = import_offices(school_data / "esa_list_obec_emis_2022.csv")

    assert (summary["added"], summary["changed"], summary["unchanged"]) == (0, 1, 245)
    assert Office.objects.count() == 246
    assert Office.objects.get(area_code="5402").name == "สพป.แพร่ เขต 2"
    assert Office.objects.get(area_code="5402").province == "แพร่"
    assert Office.objects.get(area_code="100700").province == "กรุงเทพมหานคร"


def test_a_bad_office_file_changes_nothing(office_a, tmp_path):
    path = write_csv(tmp_path / "offices.csv", [
        ["esa_type", "seq", "area_code", "esa_name"],
        ["primary", "1", "9901", "สพป.เปลี่ยนชื่อ"],
        ["primary", "2", "99", "สพป.รหัสสั้น"],
        ["secondary", "3", "9901", "สพม.ซ้ำ"],
        ["tertiary", "4", "9903", "สพป.ประเภทผิด"],
    ])
    before = registry_state()

    with pytest.raises(ImportFileError) as caught:
        import_offices(path)

    assert caught.value.messages == [
        'แถวที่ 3 คอลัมน์ "area_code": รหัสเขตพื้นที่ 99 ไม่ใช่ตัวเลข 4 หลักหรือ 6 หลัก',
        'แถวที่ 4 คอลัมน์ "area_code": รหัสเขตพื้นที่ 9901 ซ้ำกับแถวที่ 2',
        'แถวที่ 5 คอลัมน์ "esa_type": ประเภท "tertiary" ไม่ใช่ primary, secondary หรือ special',
    ]
    assert registry_state() == before
    assert Office.objects.get(area_code="9901").name == "สพป.ทดสอบ เขต 1"


def test_command_prints_a_summary(school_data, capsys):
    call_command("import_offices", str(school_data / "esa_list_obec_emis_2022.csv"))
    out = capsys.readouterr().out
    assert "246 in the file (primary 183, secondary 62, special 1)" in out
    assert "added 246" in out


def test_command_exits_2_with_thai_problems_for_a_bad_file(db, tmp_path):
    path = tmp_path / "offices.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot a list")
    with pytest.raises(CommandError) as caught:
        call_command("import_offices", str(path))
    assert caught.value.returncode == 2
    assert "ไฟล์นี้เป็นไฟล์ PNG" in str(caught.value)
    assert Office.objects.count() == 0
