"""Registry pages: who gets what, the upload → preview → apply flow, and a query budget on the school list."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emes.models import School, SchoolImport
from emes.registry import services
from tests.factories import EnrolmentFactory, SchoolFactory, UserFactory

from .conftest import registry_state, write_csv

pytestmark = pytest.mark.django_db

CSV_ROWS = [["รหัสโรงเรียน", "ชื่อโรงเรียน", "กลุ่มโรงเรียน", "รวมป.1"], ["99010001", "บ้านหนึ่ง", "กลุ่มเหนือ", "12"], ["99010002", "บ้านสอง", "กลุ่มใต้", "8"]]


def _csv_upload(tmp_path, rows=CSV_ROWS, name="schools.csv") -> SimpleUploadedFile:
    path = write_csv(tmp_path / name, rows)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


@pytest.fixture
def school_import(office_a, planner_a, tmp_path) -> SchoolImport:
    return services.upload_school_file(office_a, _csv_upload(tmp_path), by=planner_a, academic_year=2568)


def _urls(office, school_import) -> dict[str, str]:
    return {
        "list": reverse("registry:school-list", args=[office.area_code]),
        "upload": reverse("registry:school-import-upload", args=[office.area_code]),
        "preview": reverse("registry:school-import-preview", args=[office.area_code, school_import.pk]),
    }


def test_a_user_without_a_membership_finds_none_of_the_registry_pages(client, office_a, school_import):
    """The other roles' answers on these three pages are in tests/test_permission_matrix.py (registry:school-list,
    registry:school-import-upload, registry:school-import-preview); a signed-in user of no office is not in its cast."""
    client.force_login(UserFactory(username="nobody"))
    for name, url in _urls(office_a, school_import).items():
        assert client.get(url).status_code == 404, name


def test_preview_of_another_offices_import_is_404(client, office_a, office_b, outsider_b, school_import):
    client.force_login(outsider_b)
    url = reverse("registry:school-import-preview", args=[office_b.area_code, school_import.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "apply"}).status_code == 404
    assert SchoolImport.objects.get().status == SchoolImport.Status.PREVIEWED


def test_viewer_cannot_apply(client, viewer_a, office_a, school_import):
    client.force_login(viewer_a)
    response = client.post(_urls(office_a, school_import)["preview"], {"action": "apply", "fingerprint": ""})
    assert response.status_code == 403
    assert School.objects.count() == 0


def test_upload_preview_apply(client, planner_a, office_a, tmp_path):
    client.force_login(planner_a)
    upload_url = reverse("registry:school-import-upload", args=[office_a.area_code])
    page = client.get(upload_url)
    assert "ขนาดไม่เกิน 5 MB" in page.content.decode()  # the limit is stated

    response = client.post(upload_url, {"file": _csv_upload(tmp_path), "academic_year": 2568})

    school_import = SchoolImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:school-import-preview", args=[office_a.area_code, school_import.pk])
    assert School.objects.count() == 0  # nothing saved before apply

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-count="added">2<' in html
    assert "บ้านหนึ่ง" in html and "นักเรียน ป.1 ปีการศึกษา 2568" in html
    fingerprint = preview.context["preview"].fingerprint

    applied = client.post(response["Location"], {"action": "apply", "fingerprint": fingerprint}, follow=True)

    assert applied.redirect_chain[-1][0] == reverse("registry:school-list", args=[office_a.area_code])
    assert "นำเข้ารายชื่อโรงเรียนแล้ว: เพิ่ม 2 โรงเรียน แก้ไข 0 โรงเรียน" in applied.content.decode()
    assert School.objects.count() == 2
    assert SchoolImport.objects.get().status == SchoolImport.Status.APPLIED

    # Applying the same upload again is refused and changes nothing.
    School.objects.filter(smis_code="99010001").update(name="แก้ภายหลัง")
    again = client.post(response["Location"], {"action": "apply", "fingerprint": fingerprint}, follow=True)
    assert "ไฟล์นี้นำเข้าไปแล้ว" in again.content.decode()
    assert School.objects.get(smis_code="99010001").name == "แก้ภายหลัง"


def test_bad_upload_shows_thai_problems_and_stores_nothing(client, planner_a, office_a, tmp_path):
    client.force_login(planner_a)
    before = registry_state()
    bad = _csv_upload(tmp_path, [["รหัสโรงเรียน", "ชื่อโรงเรียน"], ["5402001", "สั้น"]])

    response = client.post(reverse("registry:school-import-upload", args=[office_a.area_code]), {"file": bad, "academic_year": 2568})

    assert response.status_code == 200
    assert "แถวที่ 2 คอลัมน์ &quot;รหัสโรงเรียน&quot;: รหัส 5402001 ไม่ใช่ตัวเลข 8 หลักหรือ 10 หลัก" in response.content.decode()
    assert registry_state() == before


def test_stale_preview_is_refused_on_apply(client, planner_a, office_a, tmp_path):
    SchoolFactory(office=office_a, smis_code="99010001", name="เดิม")
    client.force_login(planner_a)
    school_import = services.upload_school_file(office_a, _csv_upload(tmp_path), by=planner_a, academic_year=2568)
    url = reverse("registry:school-import-preview", args=[office_a.area_code, school_import.pk])
    fingerprint = client.get(url).context["preview"].fingerprint
    School.objects.filter(smis_code="99010001").update(cluster="เปลี่ยนระหว่างรอ")

    response = client.post(url, {"action": "apply", "fingerprint": fingerprint}, follow=True)

    assert "ทะเบียนโรงเรียนเปลี่ยนไปหลังจากแสดงตัวอย่างนี้" in response.content.decode()
    assert School.objects.count() == 1
    assert School.objects.get().cluster == "เปลี่ยนระหว่างรอ"


def test_discard(client, planner_a, office_a, school_import):
    client.force_login(planner_a)
    url = _urls(office_a, school_import)["preview"]
    response = client.post(url, {"action": "discard"}, follow=True)
    assert "ยกเลิกไฟล์แล้ว" in response.content.decode()
    assert SchoolImport.objects.get().status == SchoolImport.Status.DISCARDED
    assert client.post(url, {"action": "apply", "fingerprint": ""}).status_code == 302
    assert School.objects.count() == 0
    detail = client.get(url)
    assert detail.status_code == 200 and detail.context["preview"] is None
    assert "ไฟล์นี้ถูกยกเลิกและไม่ได้เปลี่ยนแปลงข้อมูลใด" in detail.content.decode()


def _make_schools(office, n: int) -> None:
    for i in range(n):
        school = SchoolFactory(office=office, smis_code=f"9901{i + 1:04d}", cluster=f"กลุ่ม {i % 3}", students_total=100 + i)
        for grade in ("p1", "p2", "p6"):
            EnrolmentFactory(school=school, grade=grade, academic_year=2568, students=10 + i)


def test_school_list_query_count_does_not_grow(client, planner_a, office_a, school_import, django_assert_num_queries):
    client.force_login(planner_a)
    url = reverse("registry:school-list", args=[office_a.area_code])
    _make_schools(office_a, 3)
    client.get(url)  # warm the session and the translation machinery
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    School.objects.filter(office=office_a).delete()
    _make_schools(office_a, 40)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert len(response.context["schools"]) == 40


def test_school_list_shows_latest_enrolments_and_filters(client, viewer_a, office_a):
    north = SchoolFactory(office=office_a, smis_code="99010001", name="บ้านเหนือ", cluster="กลุ่มเหนือ")
    SchoolFactory(office=office_a, smis_code="99010002", name="บ้านใต้", cluster="กลุ่มใต้", is_open=False, merged_into="บ้านเหนือ")
    EnrolmentFactory(school=north, academic_year=2567, grade="p1", students=99)
    EnrolmentFactory(school=north, academic_year=2568, grade="p1", students=17)
    client.force_login(viewer_a)
    url = reverse("registry:school-list", args=[office_a.area_code])

    response = client.get(url)
    rows = {s.smis_code: s for s in response.context["schools"]}
    assert response.context["academic_year"] == 2568
    assert rows["99010001"].p1 == 17
    assert "นำเข้ารายชื่อโรงเรียน" not in response.content.decode()  # the viewer cannot import

    assert [s.smis_code for s in client.get(url, {"cluster": "กลุ่มใต้"}).context["schools"]] == ["99010002"]
    assert [s.smis_code for s in client.get(url, {"status": "merged"}).context["schools"]] == ["99010002"]
    assert [s.smis_code for s in client.get(url, {"status": "open"}).context["schools"]] == ["99010001"]


def test_imports_made_by_the_command_show_on_the_pages(client, planner_a, office_a, tmp_path):
    path = write_csv(tmp_path / "cmd.csv", CSV_ROWS)
    services.import_schools_from_file(path, office_a, academic_year=2568)  # no uploader
    school_import = SchoolImport.objects.get()
    client.force_login(planner_a)

    listing = client.get(reverse("registry:school-list", args=[office_a.area_code]))
    detail = client.get(reverse("registry:school-import-preview", args=[office_a.area_code, school_import.pk]))

    assert listing.status_code == 200 and "คำสั่งของผู้ดูแลระบบ" in listing.content.decode()
    assert detail.status_code == 200 and "นำเข้าด้วยคำสั่งของผู้ดูแลระบบ" in detail.content.decode()
