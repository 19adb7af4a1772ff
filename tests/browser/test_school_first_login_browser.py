"""In headless Chromium: a school's first login with its printed one-time password forces a change."""
from __future__ import annotations

import re

import pytest

from emes.people import services
from tests.emes.people.helpers import one_time_passwords
from tests.factories import SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Don-Kaew-School-2569"


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/people_{name}.png", full_page=True)


def test_school_first_login_changes_the_one_time_password(page, live_server, office_a, planner_a):
    SchoolFactory(office=office_a, smis_code="99010001", name="บ้านดอนแก้ว", cluster="กลุ่มโรงเรียนเมือง")
    SchoolFactory(office=office_a, smis_code="99010002", name="บ้านห้วยทราย", cluster="กลุ่มโรงเรียนเมือง")
    batch = services.create_school_accounts(office_a, by=planner_a, login_url=f"{live_server.url}/accounts/login/")
    one_time = one_time_passwords(batch)["99010001"]  # as printed on the school's slip

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("99010001")
    page.get_by_label("รหัสผ่าน").fill(one_time)
    shot(page, "1_login")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    page.wait_for_url(re.compile(r"/accounts/password_change/"))
    assert page.locator("#forced-change").inner_text().startswith("กรุณาเปลี่ยนรหัสผ่านก่อนเริ่มใช้งาน")
    shot(page, "2_forced_change")

    page.goto(f"{live_server.url}/")  # any page sends the school back until it has changed
    page.wait_for_url(re.compile(r"/accounts/password_change/"))

    page.get_by_label(re.compile(r"^\s*รหัสผ่านปัจจุบัน")).fill(one_time)
    page.get_by_label(re.compile(r"^\s*รหัสผ่านใหม่")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^\s*ยืนยันการตั้งรหัสผ่านใหม่")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="เปลี่ยนรหัสผ่าน").click()

    page.wait_for_url(f"{live_server.url}/")
    assert "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว" in page.locator(".alert").first.inner_text()
    shot(page, "3_home_after_change")

    page.context.clear_cookies()  # a new visit: the old password no longer works
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill("99010001")
    page.get_by_label("รหัสผ่าน").fill(one_time)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger, .invalid-feedback, .errorlist").count() > 0
    shot(page, "4_old_password_refused")

    page.get_by_label("ชื่อผู้ใช้").fill("99010001")
    page.get_by_label("รหัสผ่าน").fill(NEW_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
