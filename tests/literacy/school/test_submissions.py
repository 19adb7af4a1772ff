"""Services of the school side: taught grades, the checks, saving, submitting, correcting, the window, versions."""
from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from literacy.models import RoundReopening, Submission, SubmissionChange
from literacy.submissions import SubmissionInvalid, check_grades, parse_grade, save_submission, start_submission, taught_grades
from tests.factories import SchoolFactory

from .conftest import AFTER, full_data, grade_row, stored_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text, code", [
    ("อนุบาล 2", "k2"), ("ประถมศึกษาปีที่ 6", "p6"), ("มัธยมศึกษาปีที่ 3", "m3"), ("ป.๖", "p6"), ("ม.6", "m6"),
    ("", None), ("เด็กเล็ก", None), ("ประถมศึกษาปีที่ 9", None),
])
def test_parse_grade(text, code):
    assert parse_grade(text) == code


def test_taught_grades_from_registry_text_then_enrolment(office_a):
    assert taught_grades(SchoolFactory(office=office_a, lowest_grade="อนุบาล 2", highest_grade="ประถมศึกษาปีที่ 6"), 2569) == ["k2", "k3", "p1", "p2", "p3", "p4", "p5", "p6"]
    assert taught_grades(SchoolFactory(office=office_a, lowest_grade="มัธยมศึกษาปีที่ 1", highest_grade="มัธยมศึกษาปีที่ 3"), 2569) == ["m1", "m2", "m3"]
    from emes.models import Enrolment

    unknown = SchoolFactory(office=office_a, lowest_grade="?")
    assert taught_grades(unknown, 2569) is None
    Enrolment.objects.create(school=unknown, academic_year=2569, grade="p1", students=3)
    assert taught_grades(unknown, 2569) == ["p1"]


def test_sum_error_message_in_thai(lit_round, school_a):
    from django.utils import translation

    row = grade_row(levels=(10, 8, 3, 0))  # 21, not 23
    with translation.override("th"):
        checked = check_grades(lit_round, school_a, [row], complete=False)
    assert checked.errors["p1-reading_aloud"] == ["การอ่านออกเสียง ป.1: ดีมาก+ดี+พอใช้+ปรับปรุง = 21 ไม่เท่ากับจำนวนผู้เข้ารับการประเมิน 23"]


def test_draft_submit_correct_keep_every_change(during, lit_round, school_a, account_a):
    submission = start_submission(lit_round, school_a, by=account_a)
    assert (submission.status, submission.version) == ("draft", 1)
    save_submission(submission, by=account_a, grades_data=[grade_row()], expected_version=1)
    submission.refresh_from_db()
    assert (submission.status, submission.version, submission.grades.count()) == ("draft", 2, 1)

    save_submission(submission, by=account_a, grades_data=full_data(), expected_version=2, submit=True)
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.submitted_at is not None

    corrected = full_data()
    corrected[0] = grade_row(levels=(11, 7, 3, 2))
    save_submission(submission, by=account_a, grades_data=corrected, expected_version=3)
    submission.refresh_from_db()
    assert (submission.status, submission.version) == ("submitted", 4)
    assert submission.grades.get(grade="p1").skills.get(skill="reading_aloud").very_good == 11
    changes = list(SubmissionChange.objects.filter(submission=submission).order_by("version").values_list("version", "action"))
    assert changes == [(2, "saved"), (3, "submitted"), (4, "corrected")]
    assert SubmissionChange.objects.get(version=2).data["grades"][0]["skills"]["reading_aloud"] == [10, 8, 3, 2]


def test_submit_needs_every_grade(during, lit_round, school_a, account_a):
    submission = start_submission(lit_round, school_a, by=account_a)
    before = stored_state()
    with pytest.raises(SubmissionInvalid) as error:
        save_submission(submission, by=account_a, grades_data=[grade_row()], expected_version=1, submit=True)
    assert set(error.value.errors) == {"p2-assessed", "p3-assessed"}
    assert stored_state() == before


@pytest.mark.parametrize("change, key", [
    ({"assessed": 22}, "p1-enrolled"),  # 22 + 1 + 1 != 25 (and skills != 22)
    ({"absent": -1, "enrolled": 23}, "p1-absent"),
    ({"special_needs": "หนึ่ง"}, "p1-special_needs"),
    ({"assessed": "2.5"}, "p1-assessed"),
    ({"enrolled": 26, "absent": 2}, "p1-enrolled_reason"),  # registry says 25
    ({"grade": "m1"}, "m1-grade"),  # not a grade of the round
])
def test_bad_figures_are_refused_and_nothing_changes(during, lit_round, school_a, account_a, change, key):
    submission = start_submission(lit_round, school_a, by=account_a)
    save_submission(submission, by=account_a, grades_data=[grade_row()], expected_version=1)
    before = stored_state()
    with pytest.raises(SubmissionInvalid) as error:
        save_submission(submission, by=account_a, grades_data=[{**grade_row(), **change}], expected_version=2)
    assert key in error.value.errors
    assert stored_state() == before


def test_reason_makes_a_different_enrolment_acceptable(during, lit_round, school_a, account_a):
    submission = start_submission(lit_round, school_a, by=account_a)
    save_submission(submission, by=account_a, grades_data=[grade_row(enrolled=26, absent=2, reason="ย้ายเข้า 1 คน")], expected_version=1)
    assert submission.grades.get().enrolled_reason == "ย้ายเข้า 1 คน"


def test_grade_the_school_does_not_teach(during, office_a, planner_a):
    from .conftest import make_round

    secondary = SchoolFactory(office=office_a, lowest_grade="มัธยมศึกษาปีที่ 1", highest_grade="มัธยมศึกษาปีที่ 3")
    both = make_round(office_a, number=2, grades=["p1", "m1"])
    submission = start_submission(both, secondary, by=planner_a)
    with pytest.raises(SubmissionInvalid) as error:
        save_submission(submission, by=planner_a, grades_data=[grade_row("p1", reason="x")], expected_version=1)
    assert "p1-grade" in error.value.errors
    save_submission(submission, by=planner_a, grades_data=[grade_row("m1")], expected_version=1, submit=True)
    assert submission.grades.get().grade == "m1"


def test_stale_version_is_refused(during, lit_round, school_a, account_a, planner_a):
    submission = start_submission(lit_round, school_a, by=account_a)
    save_submission(submission, by=planner_a, grades_data=[grade_row()], expected_version=1)  # the plan officer, on paper
    before = stored_state()
    with pytest.raises(ValidationError) as error:
        save_submission(submission, by=account_a, grades_data=[grade_row(levels=(9, 9, 3, 2))], expected_version=1)
    assert error.value.code == "stale"
    assert stored_state() == before


def test_window_closed_is_refused_with_a_clear_message(lit_round, school_a, account_a):
    from django.utils import translation

    with time_machine.travel(AFTER.replace(day=1, month=11, hour=9), tick=False):
        submission = start_submission(lit_round, school_a, by=account_a)
        save_submission(submission, by=account_a, grades_data=[grade_row()], expected_version=1)
    before = stored_state()
    with time_machine.travel(AFTER, tick=False), translation.override("th"):
        with pytest.raises(ValidationError) as error:
            save_submission(submission, by=account_a, grades_data=full_data(), expected_version=2, submit=True)
    assert error.value.code == "window_closed"
    assert "ปิดรับ" in error.value.messages[0] or "ปิด" in error.value.messages[0]
    assert stored_state() == before


def test_reopened_for_the_school_it_may_submit_after_close(lit_round, school_a, account_a, planner_a):
    import datetime as dt

    RoundReopening.objects.create(round=lit_round, school=school_a, until=AFTER + dt.timedelta(days=2), reason="น้ำท่วม", by=planner_a)
    with time_machine.travel(AFTER, tick=False):
        submission = start_submission(lit_round, school_a, by=account_a)
        save_submission(submission, by=account_a, grades_data=full_data(), expected_version=1, submit=True)
    assert Submission.objects.get().status == "submitted"


def test_only_the_school_or_the_plan_officer_enter(during, lit_round, school_a, account_a, account_a2, viewer_a, director_a, outsider_b):
    for user in (account_a2, viewer_a, director_a, outsider_b):
        with pytest.raises(PermissionDenied):
            start_submission(lit_round, school_a, by=user)
    submission = start_submission(lit_round, school_a, by=account_a)
    with pytest.raises(PermissionDenied):
        save_submission(submission, by=account_a2, grades_data=[grade_row()], expected_version=1)
    assert stored_state()[3] == 0
