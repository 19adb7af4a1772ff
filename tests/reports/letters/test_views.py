"""The register pages: who may see them, constant queries, the Excel kept formula-free, samples, the PDF."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from emes.models import Role
from reports.letters.models import OutgoingLetter
from tests.factories import DivisionFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_letters(office, n, *, year=2569, start=1, subject="ขอให้ส่งรายงาน", by=None):
    letters = OutgoingLetter.objects.bulk_create([
        OutgoingLetter(office=office, year=year, number=i, kind="external" if i % 2 else "memo",
                       date=dt.date(year - 543, 11, 20), subject=f"{subject} {i}", recipient=f"โรงเรียน {i}", created_by=by)
        for i in range(start, start + n)
    ])
    return letters


@pytest.fixture
def member(office_a):
    def _member(role, **kwargs):
        user = UserFactory()
        MembershipFactory(user=user, office=office_a, role=role, **kwargs)
        return user
    return _member


def register_url(office, **query):
    url = reverse("letters:register", args=[office.area_code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("name", ["register", "register-xlsx"])
def test_access(client, name, office_a, planner_a, director_a, viewer_a, outsider_b, member):
    url = reverse(f"letters:{name}", args=[office_a.area_code])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    school = member(Role.SCHOOL, school=SchoolFactory(office=office_a))
    for user, status in [
        (planner_a, 200), (director_a, 200), (viewer_a, 403), (member(Role.DIVISION_HEAD, division=DivisionFactory(office=office_a)), 403),
        (member(Role.PROJECT_OWNER), 403), (member(Role.SUPERVISOR), 403), (school, 404), (outsider_b, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_register_lists_newest_first_with_year_filter(client, office_a, office_b, planner_a):
    make_letters(office_a, 3, year=2569, by=planner_a)
    make_letters(office_a, 2, year=2570)
    make_letters(office_b, 1, year=2569, subject="ของเขตอื่น")
    client.force_login(planner_a)
    response = client.get(register_url(office_a))
    assert [(r.year, r.number) for r in response.context["page"]] == [(2570, 2), (2570, 1), (2569, 3), (2569, 2), (2569, 1)]
    assert response.context["years"] == [2570, 2569]
    assert "ของเขตอื่น" not in response.content.decode()
    filtered = client.get(register_url(office_a, year=2569))
    assert [r.number for r in filtered.context["page"]] == [3, 2, 1]
    assert "20 พฤศจิกายน 2569" in response.content.decode()


def test_register_queries_do_not_grow_with_rows(client, office_a, planner_a, django_assert_max_num_queries):
    client.force_login(planner_a)
    make_letters(office_a, 2, by=planner_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(register_url(office_a))
    make_letters(office_a, 60, start=3, by=UserFactory())
    with django_assert_max_num_queries(len(few)):
        response = client.get(register_url(office_a))
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.num_pages == 2


def test_xlsx_keeps_formulas_as_text(client, office_a, planner_a):
    make_letters(office_a, 1, subject="=HYPERLINK(\"http://evil\")")
    OutgoingLetter.objects.create(office=office_a, year=2569, number=2, kind="external", date=dt.date(2026, 11, 21), subject="+ส่งด่วน", recipient="@โรงเรียน")
    make_letters(office_a, 1, year=2570, subject="ปีหน้า")
    client.force_login(planner_a)
    response = client.get(reverse("letters:register-xlsx", args=[office_a.area_code]) + "?year=2569")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    values = [c.value for c in cells]
    assert "=HYPERLINK(\"http://evil\") 1" in values and "+ส่งด่วน" in values and "@โรงเรียน" in values
    assert not any("ปีหน้า" in str(v) for v in values)
    assert ws["B4"].value == "9901/2"  # newest first, prefix falls back to the area code


def test_download_pdf(client, office_a, planner_a, viewer_a, outsider_b):
    with_file, without_file = make_letters(office_a, 2)
    with_file.file.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = reverse("letters:download", args=[with_file.pk])
    assert client.get(url).status_code == 302
    client.force_login(planner_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert client.get(reverse("letters:download", args=[without_file.pk])).status_code == 404
    client.force_login(viewer_a)
    assert client.get(url).status_code == 403
    client.force_login(outsider_b)
    assert client.get(url).status_code == 404


def test_sample_letters(client, office_a, director_a, viewer_a, outsider_b):
    client.force_login(director_a)
    for kind in ("external", "memo"):
        response = client.get(reverse("letters:sample", args=[office_a.area_code, kind]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("letters:sample", args=[office_a.area_code, "fax"])).status_code == 404
    assert not OutgoingLetter.objects.exists()
    client.force_login(viewer_a)
    assert client.get(reverse("letters:sample", args=[office_a.area_code, "memo"])).status_code == 403
    client.force_login(outsider_b)
    assert client.get(reverse("letters:sample", args=[office_a.area_code, "memo"])).status_code == 404


def test_admin_is_read_only_and_scoped(client, office_a, office_b, planner_a):
    from django.contrib.auth.models import Permission

    planner_a.is_staff = True
    planner_a.save()
    planner_a.user_permissions.add(Permission.objects.get(codename="view_outgoingletter"))
    make_letters(office_a, 1, subject="ของเรา")
    make_letters(office_b, 1, subject="ของเขตอื่น")
    client.force_login(planner_a)
    response = client.get(reverse("admin:reports_outgoingletter_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ของเรา" in body and "ของเขตอื่น" not in body
    assert client.get(reverse("admin:reports_outgoingletter_add")).status_code == 403
