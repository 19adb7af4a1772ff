"""Fixtures of the registry tests: the real data files, offices 5402 / 5703, small files built in tmp_path,
and a snapshot of the registry to prove that a refused file changed nothing."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings

from emes.models import Enrolment, Office, School, SchoolImport
from tests.factories import OfficeFactory, SchoolFactory

#: Copies of the Phrae 2 files shipped with the demo (identical to data/01_schools/spp_phrae2).
DEMO_DATA = Path(settings.BASE_DIR) / "data" / "demo"


@pytest.fixture
def school_data() -> Path:
    """``data/01_schools`` of the repository: the office list, Chiang Rai 3 and the national list (see its SOURCES.md)."""
    return Path(settings.BASE_DIR) / "data" / "01_schools"


@pytest.fixture
def phrae_detail() -> Path:
    return DEMO_DATA / "spp_phrae2_schools_detail.csv"


@pytest.fixture
def phrae_codes() -> Path:
    return DEMO_DATA / "school_codes_phrae2.csv"


@pytest.fixture
def office_5402(db) -> Office:
    return OfficeFactory(area_code="5402", name="สพป.แพร่ เขต 2", province="แพร่")


@pytest.fixture
def office_5703(db) -> Office:
    return OfficeFactory(area_code="5703", name="สพป.เชียงราย เขต 3", province="เชียงราย")


@pytest.fixture
def school_a(office_a) -> School:
    """A school of office A with a cluster, students and a ป.1 enrolment, to prove bad files change nothing."""
    school = SchoolFactory(office=office_a, smis_code="99010001", name="บ้านเดิม", cluster="กลุ่มเดิม", students_total=50)
    Enrolment.objects.create(school=school, academic_year=2568, grade="p1", students=9)
    return school


def write_csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]], *, merge: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    return path


def registry_state() -> dict:
    """Counts of every registry table and each school's fields: equal before and after a refused file."""
    return {
        "offices": Office.objects.count(),
        "imports": SchoolImport.objects.count(),
        "enrolments": sorted(Enrolment.objects.values_list("school__smis_code", "academic_year", "grade", "students")),
        "schools": sorted(School.objects.values_list("smis_code", "office__area_code", "moe_code", "name", "cluster", "district", "students_total", "is_open", "merged_into", "missing_since")),
    }
