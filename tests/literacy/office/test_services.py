"""Office-side services: roles, states, the CE-year check, reopening for chosen schools only.

Every refused call leaves the database unchanged (``_snapshot`` before and after).
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from literacy import services
from literacy.models import (
    LiteracyRound,
    LiteracyRoundTransition,
    RoundReopening,
    Submission,
    SubmissionChange,
)
from literacy.window import window_open_for

from .conftest import make_round, submit

pytestmark = pytest.mark.django_db
Status = LiteracyRound.Status


def _snapshot():
    return (
        list(LiteracyRound.objects.order_by("pk").values()),
        list(RoundReopening.objects.order_by("pk").values()),
        list(Submission.objects.order_by("pk").values()),
        list(SubmissionChange.objects.order_by("pk").values()),
        list(LiteracyRoundTransition.objects.order_by("pk").values()),
    )


def _new(office, by, **kw):
    now = timezone.now()
    args = {"academic_year": 2569, "number": 1, "grades": ["p1", "p2", "p3"], "opens_at": now, "closes_at": now + dt.timedelta(days=14)}
    args.update(kw)
    return services.create_round(office, by=by, **args)


def test_plan_officer_creates_a_draft_round_recorded_in_the_history(office_a, planner_a):
    r = _new(office_a, planner_a, grades=["p3", "p1", "p1", "p2"])
    assert r.status == Status.DRAFT and r.created_by == planner_a
    assert r.grades == ["p1", "p2", "p3"]
    assert list(r.transitions.values_list("by", "from_status", "to_status")) == [(planner_a.pk, "", Status.DRAFT)]


@pytest.mark.parametrize("user", ["director_a", "viewer_a", "outsider_b"])
def test_only_the_plan_officer_creates_a_round(request, office_a, user):
    with pytest.raises(PermissionDenied):
        _new(office_a, request.getfixturevalue(user))
    assert not LiteracyRound.objects.exists()


@pytest.mark.parametrize(("kw", "field", "text"), [
    ({"academic_year": 2025}, "academic_year", "2568"),
    ({"academic_year": 12}, "academic_year", "2569"),
    ({"academic_year": "abc"}, "academic_year", "2569"),
    ({"grades": []}, "grades", ""),
    ({"grades": ["p1", "x9"]}, "grades", "x9"),
    ({"number": 5}, "number", ""),
    ({"closes_at": timezone.now() - dt.timedelta(days=1)}, "closes_at", ""),
])
def test_bad_input_is_refused_and_nothing_is_stored(office_a, planner_a, kw, field, text):
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        _new(office_a, planner_a, **kw)
    assert field in exc.value.error_dict
    assert text in " ".join(exc.value.messages)
    assert _snapshot() == before


def test_ce_year_message_names_the_be_year(office_a, planner_a):
    with pytest.raises(ValidationError) as exc:
        _new(office_a, planner_a, academic_year=2025)
    assert "2025" in exc.value.messages[0] and "2568" in exc.value.messages[0]


def test_round_number_is_unique_per_year(office_a, office_b, planner_a, outsider_b):
    _new(office_a, planner_a)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        _new(office_a, planner_a)
    assert "number" in exc.value.error_dict
    assert _snapshot() == before
    _new(office_a, planner_a, number=2)
    _new(office_a, planner_a, academic_year=2570)
    _new(office_b, outsider_b)  # another office may use the same number


def test_open_and_close(round_a, planner_a):
    services.open_round(round_a, by=planner_a)
    round_a.refresh_from_db()
    assert round_a.status == Status.OPEN
    with translation.override("en"), pytest.raises(ValidationError, match="already open"):
        services.open_round(round_a, by=planner_a)
    services.close_round(round_a, by=planner_a)
    round_a.refresh_from_db()
    assert round_a.status == Status.CLOSED
    with translation.override("en"), pytest.raises(ValidationError, match="Only an open round can be closed"):
        services.close_round(round_a, by=planner_a)
    services.open_round(round_a, by=planner_a)  # closed → open again, window not over yet
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.OPEN
    assert list(round_a.transitions.values_list("by", "from_status", "to_status")) == [
        (planner_a.pk, Status.DRAFT, Status.OPEN), (planner_a.pk, Status.OPEN, Status.CLOSED), (planner_a.pk, Status.CLOSED, Status.OPEN),
    ]


def test_a_draft_round_cannot_be_closed(round_a, planner_a):
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="Only an open round can be closed"):
        services.close_round(round_a, by=planner_a)
    assert _snapshot() == before


def test_opening_after_the_closing_time_needs_a_new_closing_time(office_a, schools_a, planner_a):
    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.open_round(r, by=planner_a)
    assert "closes_at" in exc.value.error_dict
    assert _snapshot() == before
    new_close = timezone.now() + dt.timedelta(days=3)
    services.open_round(r, by=planner_a, closes_at=new_close)
    r.refresh_from_db()
    assert (r.status, r.closes_at) == (Status.OPEN, new_close)
    assert window_open_for(r, schools_a[0])


@pytest.mark.parametrize("user", ["director_a", "viewer_a", "outsider_b"])
def test_only_the_plan_officer_opens_and_closes(request, open_round_a, round_a, user):
    actor = request.getfixturevalue(user)
    with pytest.raises(PermissionDenied):
        services.open_round(round_a, by=actor)
    with pytest.raises(PermissionDenied):
        services.close_round(open_round_a, by=actor)
    assert LiteracyRound.objects.get(pk=round_a.pk).status == Status.DRAFT
    assert LiteracyRound.objects.get(pk=open_round_a.pk).status == Status.OPEN


def test_reopen_for_chosen_schools_only(office_a, schools_a, planner_a):
    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    done = submit(r, schools_a[0])
    draft = submit(r, schools_a[1], status=Submission.Status.DRAFT)
    until = timezone.now() + dt.timedelta(days=2)
    reopenings = services.reopen_for_schools(r, [schools_a[0], schools_a[1]], by=planner_a, until=until, reason="ครูป่วย ส่งไม่ทัน")
    assert {x.school for x in reopenings} == {schools_a[0], schools_a[1]}
    assert window_open_for(r, schools_a[0]) and window_open_for(r, schools_a[1])
    for other in schools_a[2:]:
        assert not window_open_for(r, other)  # the window stays closed for every other school
    r.refresh_from_db()
    assert r.status == Status.CLOSED
    done.refresh_from_db()
    assert (done.status, done.version) == (Submission.Status.REOPENED, 2)
    change = SubmissionChange.objects.get(submission=done)
    assert (change.action, change.by, change.note, change.version) == ("reopened", planner_a, "ครูป่วย ส่งไม่ทัน", 2)
    assert change.data == {"grades": []}
    draft.refresh_from_db()
    assert draft.status == Submission.Status.DRAFT and not SubmissionChange.objects.filter(submission=draft).exists()


def test_reopen_records_the_data_as_it_was(office_a, schools_a, planner_a):
    from literacy.models import GradeResult, SkillResult

    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    s = submit(r, schools_a[0])
    g = GradeResult.objects.create(submission=s, grade="p1", enrolled=10, assessed=9, absent=1)
    SkillResult.objects.create(grade_result=g, skill="reading_aloud", very_good=3, good=3, fair=2, improve=1)
    services.reopen_for_schools(r, [schools_a[0]], by=planner_a, until=timezone.now() + dt.timedelta(days=1), reason="แก้ตัวเลข")
    data = SubmissionChange.objects.get(submission=s).data
    assert data["grades"][0]["grade"] == "p1" and data["grades"][0]["skills"] == {"reading_aloud": [3, 3, 2, 1]}


def test_reopen_records_the_grades_in_grade_order_as_a_save_does(office_a, schools_a, planner_a):
    """The reopened snapshot lists ป.1 before ม.1, as the school's own saves and the form read it (Grade's order),
    not in the alphabetical order of the codes (m1 < p1)."""
    from literacy.models import GradeResult
    from literacy.submissions import submission_data

    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    s = submit(r, schools_a[0])
    for grade in ("m1", "p1", "p3"):
        GradeResult.objects.create(submission=s, grade=grade, enrolled=10, assessed=10)
    services.reopen_for_schools(r, [schools_a[0]], by=planner_a, until=timezone.now() + dt.timedelta(days=1), reason="แก้ตัวเลข")
    data = SubmissionChange.objects.get(submission=s).data
    assert [g["grade"] for g in data["grades"]] == ["p1", "p3", "m1"]
    assert data["grades"] == submission_data(s) == services.submission_data(s)["grades"]


@pytest.mark.parametrize("case", ["no_reason", "blank_reason", "no_school", "past", "other_office", "merged", "draft_round"])
def test_bad_reopenings_are_refused_and_change_nothing(office_a, schools_a, school_b, planner_a, case):
    r = make_round(office_a, status=Status.DRAFT if case == "draft_round" else Status.CLOSED, opens=-20, closes=-1)
    submit(r, schools_a[0])
    merged = office_a.schools.get(is_open=False)
    kw = {"schools": [schools_a[0]], "until": timezone.now() + dt.timedelta(days=1), "reason": "เหตุผล"}
    kw.update({
        "no_reason": {"reason": ""}, "blank_reason": {"reason": "   "}, "no_school": {"schools": []},
        "past": {"until": timezone.now() - dt.timedelta(minutes=1)}, "other_office": {"schools": [schools_a[0], school_b]},
        "merged": {"schools": [merged]}, "draft_round": {},
    }[case])
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.reopen_for_schools(r, kw.pop("schools"), by=planner_a, **kw)
    refused = set(exc.value.error_dict) if hasattr(exc.value, "error_dict") else {None}  # None: the round as a whole
    assert refused == {{"no_reason": "reason", "blank_reason": "reason", "no_school": "schools", "past": "until",
                        "other_office": "schools", "merged": "schools", "draft_round": None}[case]}
    assert _snapshot() == before


@pytest.mark.parametrize("user", ["director_a", "viewer_a", "outsider_b", "school_account_a"])
def test_only_the_plan_officer_reopens(request, office_a, schools_a, user):
    r = make_round(office_a, status=Status.CLOSED, opens=-20, closes=-1)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.reopen_for_schools(r, [schools_a[0]], by=request.getfixturevalue(user), until=timezone.now() + dt.timedelta(days=1), reason="x")
    assert _snapshot() == before


def test_update_round_while_not_closed(round_a, schools_a, planner_a):
    new_close = round_a.closes_at + dt.timedelta(days=3)
    services.update_round(round_a, by=planner_a, closes_at=new_close, grades=["p1", "p2", "p3", "p4", "p5", "p6"], improvement_flag_pct=25)
    round_a.refresh_from_db()
    assert round_a.closes_at == new_close and round_a.grades[-1] == "p6" and round_a.improvement_flag_pct == 25
    submit(round_a, schools_a[0], status=Submission.Status.DRAFT)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:  # a school has started: grades are fixed
        services.update_round(round_a, by=planner_a, grades=["p1"])
    assert set(exc.value.error_dict) == {"grades"}
    with pytest.raises(ValidationError) as exc:
        services.update_round(round_a, by=planner_a, closes_at=round_a.opens_at - dt.timedelta(days=1))
    assert set(exc.value.error_dict) == {"closes_at"}
    with pytest.raises(ValidationError) as exc:
        services.update_round(round_a, by=planner_a, improvement_flag_pct=101)
    assert set(exc.value.error_dict) == {"improvement_flag_pct"}
    with pytest.raises(PermissionDenied):
        services.update_round(round_a, by=None, improvement_flag_pct=10)
    assert _snapshot() == before


def test_a_closed_round_cannot_be_updated(office_a, schools_a, planner_a):
    r = make_round(office_a, status=Status.CLOSED)
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="A closed round cannot be changed"):
        services.update_round(r, by=planner_a, improvement_flag_pct=10)
    assert _snapshot() == before
