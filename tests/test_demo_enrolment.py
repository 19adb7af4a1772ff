"""The demo's enrolment: students per grade generated from a school's real total, through the registry's import."""
from __future__ import annotations

import csv
import io

import pytest

from demo.office import generated_enrolment_csv, load_enrolment
from emes.models import Enrolment, SchoolImport
from tests.factories import OfficeFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    office = OfficeFactory(area_code="9902")
    SchoolFactory(office=office, smis_code="99020001", students_total=177, lowest_grade="อนุบาล 2", highest_grade="มัธยมศึกษาปีที่ 3")
    SchoolFactory(office=office, smis_code="99020002", students_total=9, lowest_grade="ประถมศึกษาปีที่ 1", highest_grade="ประถมศึกษาปีที่ 6")
    SchoolFactory(office=office, smis_code="99020003", students_total=None, is_open=False, merged_into="99020001")
    return office


def test_the_generated_counts_add_up_to_the_real_total_over_the_taught_grades(office):
    rows = {r["school_code_8_smis"]: r for r in csv.DictReader(io.StringIO(generated_enrolment_csv(list(office.schools.order_by("smis_code"))).decode("utf-8-sig")))}
    big = {k: int(v) for k, v in rows["99020001"].items() if k.startswith(("อ.", "ป.", "ม.")) and v}
    assert list(big) == ["อ.2", "อ.3", "ป.1", "ป.2", "ป.3", "ป.4", "ป.5", "ป.6", "ม.1", "ม.2", "ม.3"] and sum(big.values()) == 177
    assert all(12 <= n <= 20 for n in big.values())  # 177 / 11 = 16.1, ±20 %
    assert sum(int(v) for k, v in rows["99020002"].items() if k.startswith("ป.") and v) == 9
    assert not any(v for k, v in rows["99020003"].items() if k != "school_code_8_smis")  # merged: nothing said
    assert generated_enrolment_csv(list(office.schools.order_by("smis_code"))) == generated_enrolment_csv(list(office.schools.order_by("smis_code")))


def test_load_enrolment_goes_through_the_registry_import(office):
    summary = load_enrolment(office)
    assert summary["academic_year"] == 2569 and summary["enrolments"] == 17
    assert SchoolImport.objects.get(office=office).status == "applied"
    assert sum(Enrolment.objects.filter(school__smis_code="99020001", academic_year=2569).values_list("students", flat=True)) == 177
    assert not office.schools.filter(missing_since__isnull=False).exists()
