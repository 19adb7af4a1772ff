"""School imports on the real files: Phrae 2 (detail, codes), Chiang Rai 3 (students per grade), the national
list; idempotence, missing schools, matching by ministry code, and the apply guards."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from emes.models import Enrolment, School, SchoolImport
from emes.registry import services
from emes.registry.parsing import ImportFileError
from tests.factories import OfficeFactory, SchoolFactory

from .conftest import registry_state, write_csv

pytestmark = pytest.mark.django_db


def upload(office, path, *, by=None, year=2568) -> SchoolImport:
    return services.upload_school_file(office, SimpleUploadedFile(path.name, path.read_bytes()), by=by, academic_year=year)


def test_phrae2_detail_file_adds_its_103_schools(office_5402, phrae_detail):
    preview, summary = services.import_schools_from_file(phrae_detail, office_5402, academic_year=2568)

    assert (summary["added"], summary["changed"], summary["marked"]) == (103, 0, 0)
    schools = School.objects.filter(office=office_5402)
    assert schools.count() == 103
    assert schools.values("cluster").distinct().count() == 9
    assert schools.filter(district="วังชิ้น").count() == 39
    assert schools.filter(is_open=False).count() == 16
    assert schools.filter(is_open=False, merged_into="").count() == 0  # every เรียนรวม school names its host
    assert schools.aggregate(n=Sum("students_total"))["n"] == 7177
    school = schools.get(smis_code="54020001")
    assert (school.moe_code, school.subdistrict, school.lowest_grade, school.highest_grade, school.postcode) == (
        "1054390223", "ต้าผามอก", "อนุบาล 2", "มัธยมศึกษาปีที่ 3", "54150")
    assert schools.get(smis_code="54020002").students_total is None  # "-" in the source: unknown
    # The import is recorded like an upload.
    record = SchoolImport.objects.get()
    assert (record.status, record.summary["added"], record.academic_year) == (SchoolImport.Status.APPLIED, 103, 2568)


def test_reimporting_the_same_file_changes_nothing(office_5402, phrae_detail):
    services.import_schools_from_file(phrae_detail, office_5402, academic_year=2568)
    before = registry_state()

    school_import = upload(office_5402, phrae_detail)
    preview = services.preview_school_import(school_import)

    assert (len(preview.added), len(preview.changed), len(preview.marked), preview.unchanged) == (0, 0, 0, 103)
    assert not preview.has_changes
    summary = services.apply_school_import(school_import, by=None)
    assert summary["changed"] == 0
    state = registry_state()
    assert state["schools"] == before["schools"] and state["enrolments"] == before["enrolments"]


def test_codes_only_file_does_not_blank_what_it_does_not_carry(office_5402, phrae_detail, phrae_codes):
    services.import_schools_from_file(phrae_detail, office_5402, academic_year=2568)
    detail = {s.smis_code: s for s in School.objects.all()}

    preview, summary = services.import_schools_from_file(phrae_codes, office_5402, academic_year=2568)

    assert (summary["added"], summary["marked"]) == (0, 0)
    # The codes file carries names and clusters only; names differ in spacing for some schools.
    assert {c.field for line in preview.changed for c in line.changes} <= {"name"}
    for school in School.objects.all():
        before = detail[school.smis_code]
        assert (school.district, school.subdistrict, school.students_total, school.is_open, school.merged_into, school.moe_code) == (
            before.district, before.subdistrict, before.students_total, before.is_open, before.merged_into, before.moe_code)


def test_chiang_rai3_student_counts_become_enrolments(school_data, office_5703):
    path = school_data / "spp_chiangrai3" / "spp_chiangrai3_students_by_grade_2568.csv"

    preview, summary = services.import_schools_from_file(path, office_5703, academic_year=2568)

    assert summary["added"] == 139
    assert School.objects.filter(office=office_5703).count() == 139
    totals = dict(Enrolment.objects.filter(school__office=office_5703, academic_year=2568).values("grade").annotate(n=Sum("students")).values_list("grade", "n"))
    assert totals["p1"] == 4744
    assert totals["p6"] == 3483
    assert School.objects.filter(office=office_5703).aggregate(n=Sum("students_total"))["n"] == 37029
    # The closing column-total row (empty ids) is skipped on purpose and said so; its sums agree.
    assert "แถวที่ 141 เป็นแถวสุดท้ายและไม่มีรหัสโรงเรียน ถือเป็นแถวผลรวมของคอลัมน์ จึงข้ามไป" in preview.parsed.notes
    assert preview.parsed.warnings == []
    # A student-count file has no cluster or district column: a second import of it changes nothing.
    again, summary = services.import_schools_from_file(path, office_5703, academic_year=2568)
    assert (summary["changed"], summary["enrolments"]) == (0, 0)


def test_national_list_is_filtered_to_the_office(school_data, office_5402):
    preview, _summary = services.import_schools_from_file(school_data / "obec_schools_all_2022-09.csv", office_5402, academic_year=2568, dry_run=True)

    assert len(preview.parsed.records) == 126  # the 2022 list has 126 schools of 5402 (103 in the newer detail file)
    assert preview.parsed.other_office_rows == 29579 - 126
    assert School.objects.count() == 0  # dry run


def test_a_school_missing_from_a_new_file_is_marked_and_unmarked_when_back(office_a, tmp_path):
    header = ["รหัสโรงเรียน", "ชื่อโรงเรียน"]
    full = write_csv(tmp_path / "full.csv", [header, ["99010001", "หนึ่ง"], ["99010002", "สอง"], ["99010003", "สาม"]])
    short = write_csv(tmp_path / "short.csv", [header, ["99010001", "หนึ่ง"], ["99010003", "สาม"]])
    services.import_schools_from_file(full, office_a)

    preview, summary = services.import_schools_from_file(short, office_a)

    assert [line.smis_code for line in preview.marked] == ["99010002"]
    assert School.objects.count() == 3  # never deleted
    assert School.objects.get(smis_code="99010002").missing_since is not None
    assert School.objects.open().count() == 2

    preview, summary = services.import_schools_from_file(full, office_a)

    assert (summary["unmarked"], summary["changed"], summary["marked"]) == (1, 1, 0)
    assert School.objects.get(smis_code="99010002").missing_since is None


def test_ministry_code_only_file_updates_known_schools(office_a, tmp_path):
    SchoolFactory(office=office_a, smis_code="99010001", moe_code="1099010001", name="หนึ่ง")
    path = write_csv(tmp_path / "moe.csv", [["school_id_10", "students_total"], ["1099010001", "120"]])

    services.import_schools_from_file(path, office_a)

    assert School.objects.get(smis_code="99010001").students_total == 120

    unknown = write_csv(tmp_path / "moe2.csv", [["school_id_10", "students_total"], ["1099019999", "5"]])
    with pytest.raises(ImportFileError) as caught:
        services.import_schools_from_file(unknown, office_a)
    assert caught.value.messages == [
        'แถวที่ 2 คอลัมน์ "school_id_10": ไม่มีโรงเรียนในเขตพื้นที่นี้ที่มีรหัสกระทรวง 1099019999 การเพิ่มโรงเรียนใหม่ต้องมีรหัส SMIS 8 หลัก'
    ]


def test_foreign_prefix_is_allowed_when_the_row_names_the_office(office_a, tmp_path):
    """The 2022 list files older areas' codes under their new office (e.g. 4302xxxx under 3801 บึงกาฬ)."""
    OfficeFactory(area_code="9902", name="สพป.ทดสอบ เขต 2")
    with_area = write_csv(tmp_path / "a.csv", [["area_code", "school_code_8_smis", "school_name"], ["9901", "99020050", "ย้ายมาจากเขตเดิม"]])
    services.import_schools_from_file(with_area, office_a)
    assert School.objects.get(smis_code="99020050").office == office_a

    without_area = write_csv(tmp_path / "b.csv", [["school_code_8_smis", "school_name"], ["99020050", "ย้ายมาจากเขตเดิม"], ["99020051", "อีกโรง"]])
    with pytest.raises(ImportFileError) as caught:
        services.import_schools_from_file(without_area, office_a)
    # The school already registered here passes; the new one with a foreign prefix does not.
    assert caught.value.messages == [
        'แถวที่ 3 คอลัมน์ "school_code_8_smis": รหัส 99020051 ขึ้นต้นด้วย 9902 ซึ่งเป็นรหัสของ สพป.ทดสอบ เขต 2 ไม่ใช่ 9901 จึงเป็นโรงเรียนของเขตพื้นที่อื่น'
    ]


def test_apply_twice_is_refused(office_a, planner_a, tmp_path):
    path = write_csv(tmp_path / "s.csv", [["รหัสโรงเรียน", "ชื่อโรงเรียน"], ["99010001", "หนึ่ง"]])
    school_import = upload(office_a, path, by=planner_a)
    services.apply_school_import(school_import, by=planner_a)
    School.objects.filter(smis_code="99010001").update(name="แก้ในระบบ")

    with pytest.raises(ValidationError, match="ไฟล์นี้นำเข้าไปแล้ว"):
        services.apply_school_import(SchoolImport.objects.get(pk=school_import.pk), by=planner_a)

    assert School.objects.get().name == "แก้ในระบบ"


def test_discarded_import_cannot_be_applied(office_a, planner_a, tmp_path):
    path = write_csv(tmp_path / "s.csv", [["รหัสโรงเรียน", "ชื่อโรงเรียน"], ["99010001", "หนึ่ง"]])
    school_import = upload(office_a, path, by=planner_a)
    services.discard_school_import(school_import, by=planner_a)

    with pytest.raises(ValidationError, match="ถูกยกเลิกไปแล้ว"):
        services.apply_school_import(school_import, by=planner_a)
    assert School.objects.count() == 0


def test_stale_preview_is_refused(office_a, planner_a, tmp_path):
    SchoolFactory(office=office_a, smis_code="99010001", name="เดิม")
    path = write_csv(tmp_path / "s.csv", [["รหัสโรงเรียน", "ชื่อโรงเรียน"], ["99010001", "ใหม่"]])
    school_import = upload(office_a, path, by=planner_a)
    seen = services.preview_school_import(school_import).fingerprint
    School.objects.filter(smis_code="99010001").update(name="แก้ระหว่างรอ")  # someone edits in the admin meanwhile

    with pytest.raises(ValidationError, match="ทะเบียนโรงเรียนเปลี่ยนไปหลังจากแสดงตัวอย่างนี้"):
        services.apply_school_import(school_import, by=planner_a, fingerprint=seen)

    assert School.objects.get().name == "แก้ระหว่างรอ"
    assert SchoolImport.objects.get().status == SchoolImport.Status.PREVIEWED


def test_only_the_plan_officer_may_upload_or_apply(office_a, viewer_a, director_a, tmp_path):
    from django.core.exceptions import PermissionDenied

    path = write_csv(tmp_path / "s.csv", [["รหัสโรงเรียน", "ชื่อโรงเรียน"], ["99010001", "หนึ่ง"]])
    for user in (viewer_a, director_a):
        with pytest.raises(PermissionDenied):
            upload(office_a, path, by=user)
    school_import = upload(office_a, path, by=None)
    with pytest.raises(PermissionDenied):
        services.apply_school_import(school_import, by=viewer_a)


@pytest.mark.parametrize(("today", "year"), [(dt.date(2026, 5, 15), 2568), (dt.date(2026, 5, 16), 2569), (dt.date(2027, 3, 31), 2569)])
def test_default_academic_year_starts_16_may(today, year):
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 12, tzinfo=dt.timezone.utc), tick=False):
        assert services.current_academic_year() == year
