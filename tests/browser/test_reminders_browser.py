"""In headless Chromium: the plan officer opens the day's reminders the working day after the Q1/2569 due
date, previews a letter, holds one reminder, sends the rest and sees them sent (Celery eager in the live server)."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from reports.models import Reminder
from tests.factories import PASSWORD
from tests.reports.reminders.conftest import BKK, OPEN_Q1, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/reminders_{name}.png", full_page=True)


def test_plan_officer_holds_one_and_sends_the_rest(page, live_server, world, planner_a, eager_celery):  # noqa: F811
    day = world.wd(world.q1_due, 1)
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=BKK), tick=True):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/reminders/o/{world.office.area_code}/")

        rows = page.locator("table.due-table[data-stage=first] tbody tr")
        assert rows.count() == len(OPEN_Q1)
        assert page.locator("table.due-table").count() == 1, "only first letters are due today"
        shot(page, "1_due")

        # The draft letter of a candidate opens as a PDF, nothing registered.
        held_row = page.locator("tr[data-candidate]", has_text="69-003")
        href = held_row.get_by_role("link").get_attribute("href")
        response = page.request.get(live_server.url + href)
        assert response.status == 200 and response.body().startswith(b"%PDF-")

        held_row.get_by_role("checkbox").check()
        page.get_by_role("button", name="ส่งรายการที่เหลือทันที").click()
        # The confirming step names the letters and their numbers before anything goes (issue 17).
        page.wait_for_selector("#confirm-step")
        what = page.locator("#confirm-what").inner_text()
        assert "ศธ 04999/1" in what and "ศธ 04999/2" in what and "04999/3" not in what  # two letters: owner, head
        shot(page, "1b_confirm")
        page.locator("#confirm-button").click()
        # The sending is a job (issue 17): its page follows it and, once done, lists the letters with their numbers.
        page.wait_for_selector('#send-run[data-finished="1"]')
        page.wait_for_selector("#run-reminders")
        assert page.locator('#run-reminders tr[data-letter="ศธ 04999/1"]').count() >= 1
        shot(page, "2a_run")
        page.goto(f"{live_server.url}/reminders/o/{world.office.area_code}/")
        page.wait_for_selector("#nothing-due")
        shot(page, "2_sent")

        recorded = page.locator("#recorded tbody tr[data-reminder]")
        assert recorded.count() == len(OPEN_Q1)
        assert page.locator('#recorded tr[data-status="sent"]').count() == len(OPEN_Q1) - 1
        held = page.locator('#recorded tr[data-status="held"]')
        assert held.count() == 1 and "69-003" in held.inner_text()
        assert "ส่งแล้ว" in page.locator('#recorded tr[data-status="sent"]').first.inner_text()
        assert len(mail.outbox) == 2  # one per recipient (issue 17): the owner's two reports in one, the head's

        # Release the held one: it goes too.
        held.get_by_role("button", name="ปล่อยส่ง").click()
        page.wait_for_selector('#recorded tr[data-status="held"]', state="detached")
        shot(page, "3_released")
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(OPEN_Q1)
    assert len(mail.outbox) == 3  # and the released one in its own letter
