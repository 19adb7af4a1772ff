"""Report due dates: the office's rule for the fiscal year on the Thai working-day calendar."""
import datetime as dt

import pytest

from emes.fiscal import Quarter
from emes.models import OfficeHoliday
from plans.deadlines import due_working_days, report_due
from plans.models import DisbursementTarget, ReportingRule

pytestmark = pytest.mark.django_db


def test_default_is_five_working_days_fy2569_q1_due_9_january_2026(office_a):
    assert due_working_days(office_a, 2569) == 5
    # Q1 ends 31 Dec 2025; 1-2 Jan 2026 are public holidays, 3-4 Jan a weekend.
    assert report_due(office_a, Quarter(2569, 1)) == dt.date(2026, 1, 9)


def test_the_office_sets_the_number_of_days_per_fiscal_year(office_a, office_b):
    ReportingRule.objects.create(office=office_a, fiscal_year=2569, due_working_days=10)
    assert report_due(office_a, Quarter(2569, 1)) == dt.date(2026, 1, 16)
    assert report_due(office_a, Quarter(2570, 1)) == report_due(office_b, Quarter(2570, 1))  # other years keep 5
    assert report_due(office_b, Quarter(2569, 1)) == dt.date(2026, 1, 9)  # other offices keep 5


def test_a_declared_office_holiday_moves_the_due_date(office_a):
    OfficeHoliday.objects.create(office=office_a, date=dt.date(2026, 1, 7), name="วันหยุดพิเศษตามมติ ครม.")
    assert report_due(office_a, Quarter(2569, 1)) == dt.date(2026, 1, 12)


def test_fy2568_q2_window_with_the_chakri_substitution_day(office_a):
    # Q2 FY 2568 ends 31 Mar 2025; 6 Apr 2025 (Chakri Day) fell on a Sunday, substituted on Monday 7 Apr.
    assert report_due(office_a, Quarter(2568, 2)) == dt.date(2025, 4, 8)


def test_the_sourced_annual_disbursement_targets_are_seeded():
    # Run the data migration's function itself: transactional tests elsewhere flush migrated rows.
    from importlib import import_module

    from django.apps import apps

    import_module("plans.migrations.0006_sourced_disbursement_targets").add(apps, None)
    assert DisbursementTarget.objects.get(fiscal_year=2569, quarter=4).target_pct == 93
    assert DisbursementTarget.objects.get(fiscal_year=2568, quarter=4).target_pct == 94
