"""In headless Chromium, under the Content-Security-Policy the server sends: the key pages (login, home
as plan officer, plan overview, calendar, calendar feed, a school's literacy form) load without one
CSP violation, and the behaviour moved out of inline handlers (static/emes/emes.js) still works."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from django.urls import reverse
from django.utils import timezone

from emes.models import Enrolment
from literacy.models import LiteracyRound
from tests.factories import PASSWORD, ActionPlanFactory, IndicatorFactory, ProjectFactory, SchoolFactory
from tests.literacy.school.conftest import school_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page reports, as the browser sees it (an init script is not bound by the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.__cspViolations.push(
  e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber));
"""


def test_key_pages_raise_no_csp_violation(page, live_server, office_a, planner_a):
    console = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(RECORD_VIOLATIONS)
    seen = []

    def visit(url: str | None = None) -> None:
        if url:
            response = page.goto(live_server.url + url)
            assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        seen.append(page.url)
        violations = page.evaluate("window.__cspViolations")
        assert violations == [] and console == [], f"{page.url}: {violations} {console}"

    plan = ActionPlanFactory(office=office_a)
    IndicatorFactory(project=ProjectFactory(office=office_a))
    now = timezone.now()
    literacy_round = LiteracyRound.objects.create(
        office=office_a, academic_year=2569, number=1, grades=["p1"], opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10), status=LiteracyRound.Status.OPEN)
    school = SchoolFactory(office=office_a, smis_code="99010001", lowest_grade="อนุบาล 2", highest_grade="ประถมศึกษาปีที่ 6")
    Enrolment.objects.create(school=school, academic_year=2569, grade="p1", students=25)
    school_account(school, "99010001")

    visit(reverse("login"))
    page.get_by_label("ชื่อผู้ใช้").fill(planner_a.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    visit()  # home
    visit(reverse("plans:plan", args=[office_a.area_code, plan.fiscal_year]))
    visit(reverse("calendar:month", args=[office_a.area_code]))
    visit(reverse("calendar:list", args=[office_a.area_code]))
    # The fiscal-year picker submits itself (data-autosubmit, no onchange= any more).
    picker = page.locator("#fy-select")
    other = picker.locator("option").nth(0).get_attribute("value")
    picker.select_option(other)
    page.wait_for_url(re.compile(rf"fy={other}"))
    visit()
    visit(reverse("calendar:feed-info"))

    page.context.clear_cookies()
    visit(reverse("login"))
    page.get_by_label("ชื่อผู้ใช้").fill("99010001")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    visit(reverse("literacy:school-form", args=["99010001", literacy_round.pk]))
    assert page.locator('input[name="p1-enrolled"]').input_value() == "25"
    # The language menu submits itself too.
    page.locator('select[name="language"]').select_option("en")
    # Wait for the new page itself: "load" may already hold for the page that is being left.
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visit()
    assert len(seen) == 10, seen
