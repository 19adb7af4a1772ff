"""Hostile school files are refused by the core intake (emes.uploads) and change nothing (issue 13, item 3)."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from emes.models import SchoolImport
from emes.registry import services
from emes.registry.parsing import ImportFileError
from tests.hostile_files import bomb_row, million_rows

from .conftest import registry_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data", [
    pytest.param(lambda: bomb_row(), id="row of millions of cells"),
    pytest.param(lambda: million_rows(), id="a million rows"),
    pytest.param(lambda: b"code,name\n1," + b"x" * 200_000 + b"\n", id="a huge CSV field"),
    pytest.param(lambda: b"a" + b",a" * 5000 + b"\n", id="thousands of columns"),
])
def test_a_hostile_file_is_refused_and_nothing_is_saved(school_a, planner_a, settings, data):
    settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9  # the streaming count must stop the workbooks on its own
    content = data()
    name = "schools.xlsx" if content.startswith(b"PK") else "schools.csv"
    before = registry_state()
    with pytest.raises(ImportFileError) as caught:
        services.upload_school_file(school_a.office, SimpleUploadedFile(name, content), by=planner_a, academic_year=2568)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in caught.value.messages[0])
    assert registry_state() == before and not SchoolImport.objects.exists()


def test_a_400_character_thai_file_name_is_accepted(school_a, planner_a):
    name = "รายชื่อโรงเรียนในสังกัดสำนักงานเขตพื้นที่การศึกษาประถมศึกษา" * 8 + ".csv"
    data = "รหัสโรงเรียน,ชื่อโรงเรียน\n99010001,บ้านเดิม\n".encode()
    school_import = services.upload_school_file(school_a.office, SimpleUploadedFile(name, data), by=planner_a, academic_year=2568)
    assert school_import.original_name.endswith(".csv") and len(school_import.original_name) == 255
    assert len(school_import.file.name) <= SchoolImport._meta.get_field("file").max_length
