"""In headless Chromium: the plan officer follows the bell to a notification, opens the letter register and a letter."""
from __future__ import annotations

import datetime as dt

import pytest

from emes.notifications.services import notify
from reports.letters.content import LetterContent
from reports.letters.services import register_letter
from tests.factories import PASSWORD, dress_letterhead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_notification_register_and_letter(page, live_server, office_a, planner_a):
    office_a.letter_prefix = "ศธ 04999"
    office_a.save()
    dress_letterhead(office_a)  # an external letter needs the emblem, address and signer
    letter = register_letter(
        office=office_a, kind="external", subject="ขอให้ส่งรายงานไตรมาสที่ 1", recipient="โรงเรียนบ้านทดสอบ",
        content=LetterContent(salutation="ผู้อำนวยการโรงเรียนบ้านทดสอบ", paragraphs=("ทดสอบ", "จึงเรียนมาเพื่อโปรดดำเนินการ")),
        date=dt.date(2026, 11, 20), by=planner_a,
    )
    notify(planner_a, title="หนังสือติดตามลงทะเบียนแล้ว", url=f"/letters/o/{office_a.area_code}/", office=office_a)
    notify(planner_a, title="แจ้งเพื่อทราบ")

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(planner_a.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#notification-count").inner_text() == "2"

    page.locator("#notification-bell").click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    items = page.locator("#notifications [data-unread='1']")
    assert items.count() == 2
    page.screenshot(path="/tmp/letters_1_notifications.png", full_page=True)
    page.locator("#notifications .list-group-item", has_text="หนังสือติดตามลงทะเบียนแล้ว").locator("button").click()

    page.wait_for_url(f"{live_server.url}/letters/o/{office_a.area_code}/")
    assert page.locator("#notification-count").inner_text() == "1"
    row = page.locator("#letters tbody tr").first
    assert "ศธ 04999/1" in row.inner_text() and "ขอให้ส่งรายงานไตรมาสที่ 1" in row.inner_text()
    page.screenshot(path="/tmp/letters_2_register.png", full_page=True)
    response = page.request.get(f"{live_server.url}/letters/{letter.pk}/pdf/")
    assert response.status == 200 and response.body().startswith(b"%PDF")
