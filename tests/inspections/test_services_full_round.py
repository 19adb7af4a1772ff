"""DONE-WHEN of issue 8 as a test: a full round run through the services.

Issues entered, forms dispatched to four units, three answer (one after the due date), the 80 %
standard computed right, recommendations assigned to divisions, one closed with evidence by the
plan officer, the rest carried into round 2.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections import selectors, services, standards
from inspections.models import FormDispatch, InspectionRound, Recommendation, RecommendationTransition, RoundTransition

from .conftest import SCHEDULE

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BKK = dt.timezone(dt.timedelta(hours=7))


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=BKK)


def answers(r, number="85.5", yes="yes", text="ครูขาดแคลนสื่อการสอน"):
    qs = list(r.questions.order_by("order"))
    return {f"q{qs[0].pk}": number, f"q{qs[1].pk}": yes, f"q{qs[2].pk}": text}


@pytest.mark.django_db
def test_full_round(cast, round_with_form):
    r = round_with_form
    assert [q.kind for q in r.questions.order_by("order")] == ["number", "yes_no", "text", "file"]
    # Dispatched on Monday 5 January 2569 to two schools, the academic division and a third school; due +30 working days.
    with time_machine.travel(at(2026, 1, 5), tick=False):
        sent = services.dispatch_forms(r, by=cast.planner, divisions=[cast.academic], schools=cast.schools)
    assert len(sent) == 4 and {d.due_on for d in sent} == {dt.date(2026, 2, 16)}
    r.refresh_from_db()
    assert r.status == InspectionRound.Status.OPEN
    dispatch = {d.unit_name: d for d in r.dispatches.select_related("division", "school", "round__office")}
    s1, s2, s3 = (dispatch[s.name] for s in cast.schools)
    div = dispatch[cast.academic.name]

    # Once dispatched the form is frozen.
    with pytest.raises(ValidationError) as exc:
        services.add_question(r, by=cast.planner, text="เพิ่ม", kind="text")
    assert exc.value.code == "dispatched"

    # School 1 saves a draft, attaches evidence and submits on time; the division head submits on time.
    with time_machine.travel(at(2026, 1, 20), tick=False):
        services.save_answers(s1, answers(r), by=cast.school_users[0])
        services.add_answer_evidence(s1, SimpleUploadedFile("หลักฐาน.pdf", PDF), by=cast.school_users[0], question=r.questions.get(kind="file"))
        services.submit_answers(s1, by=cast.school_users[0])
        services.submit_answers(div, answers(r, "90", "no", "ดำเนินการตามแผน"), by=cast.head)
    # School 2 submits on 18 Feb 2569: after its due date (16 Feb) and after the 30 working days.
    with time_machine.travel(at(2026, 2, 18), tick=False):
        services.submit_answers(s2, answers(r, "70"), by=cast.school_users[1])
    # School 3 never answers.
    board = selectors.round_board(r, today=dt.date(2026, 2, 20))
    rows = {row.unit_name: row for row in board.rows}
    assert rows[s2.unit_name].is_late and rows[s2.unit_name].working_days_late == 2
    assert rows[s3.unit_name].is_late and rows[s3.unit_name].status == FormDispatch.Status.NOT_STARTED
    assert not rows[s1.unit_name].is_late and rows[s1.unit_name].on_time_for_standard is True
    assert board.rate.dispatched == 4 and board.rate.on_time == 2 and board.rate.late == 1 and board.rate.pending == 1
    assert board.rate.rate_pct == Decimal("50.00") and not board.rate.met
    check = next(c for c in standards.evaluate_standards(r, today=dt.date(2026, 2, 20)) if c.code == "answers_returned")
    assert check.verdict == standards.Verdict.MISSED
    # The forms reached every unit by 9 Feb (10 working days before the visit on 23 Feb).
    assert next(c for c in standards.evaluate_standards(r, today=dt.date(2026, 2, 20)) if c.code == "forms_delivered").verdict == standards.Verdict.MET

    summary = {s.question.kind: s for s in selectors.indicator_results(r)}
    assert summary["number"].answered == 3 and summary["number"].total == Decimal("245.50") and summary["number"].mean == Decimal("81.83")
    assert (summary["yes_no"].yes, summary["yes_no"].no) == (2, 1)
    assert summary["file"].files == 1

    # The round closes; answering afterwards is refused and changes nothing.
    services.close_round(r, by=cast.planner)
    with pytest.raises(ValidationError) as exc:
        services.save_answers(s3, answers(r), by=cast.school_users[2])
    assert "closed" in str(exc.value) or "ปิด" in str(exc.value)
    assert s3.answers.count() == 0

    # Recommendations: one to the academic division, one to policy; the division acts, the plan officer verifies.
    issue = r.issues.get()
    rec1 = services.add_recommendation(r, by=cast.planner, text="เร่งพัฒนาการอ่านของนักเรียน ป.1 ที่ยังอ่านไม่ออก", issue=issue,
                                       divisions=[cast.academic], due_on=dt.date(2026, 6, 30))
    rec2 = services.add_recommendation(r, by=cast.supervisor, text="จัดทำฐานข้อมูลนักเรียนออกกลางคัน", divisions=[cast.policy])
    with pytest.raises(PermissionDenied):
        services.add_follow_up(rec1, by=cast.owner, text="ไม่ใช่กลุ่มที่รับผิดชอบ")  # owner of the policy division
    action = services.add_follow_up(rec1, by=cast.head, text="จัดค่ายอ่านเขียนให้โรงเรียน 12 แห่ง",
                                    file=SimpleUploadedFile("ค่ายอ่าน.pdf", PDF))
    rec1.refresh_from_db()
    assert rec1.status == Recommendation.Status.IN_PROGRESS and action.original_name == "ค่ายอ่าน.pdf" and action.size == len(PDF)
    services.mark_done(rec1, by=cast.head)
    with pytest.raises(PermissionDenied):
        services.verify_closed(rec1, by=cast.supervisor)  # closed only by the plan officer
    services.verify_closed(rec1, by=cast.planner, comment="ตรวจสอบหลักฐานแล้ว")
    rec1.refresh_from_db()
    assert rec1.status == Recommendation.Status.CLOSED and rec1.closed_by == cast.planner
    assert list(RecommendationTransition.objects.filter(recommendation=rec1).values_list("to_status", flat=True)) == ["open", "in_progress", "done", "closed"]

    # Round 2 copies the issues; the open recommendation is carried into it.
    r2 = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=2, confirm=True, data={
        "visit_starts_on": dt.date(2026, 8, 17), "visit_ends_on": dt.date(2026, 8, 19)}, today=dt.date(2026, 3, 1))
    assert services.copy_issues(r, r2, by=cast.planner) == 1
    carried = services.carry_recommendations(r, r2, by=cast.planner)
    assert [c.carried_from_id for c in carried] == [rec2.pk]
    rec2.refresh_from_db()
    assert rec2.status == Recommendation.Status.CARRIED
    assert list(carried[0].divisions.all()) == [cast.policy]
    counts = {(row["number"], row["division_code"]): row for row in selectors.recommendation_counts(cast.office, 2569)}
    assert counts[(1, "05")]["closed"] == 1 and counts[(1, "02")]["carried"] == 1 and counts[(2, "02")]["open"] == 1
    assert RoundTransition.objects.filter(round=r).count() == 3  # created, dispatched, closed


@pytest.mark.django_db
def test_schedule_breaking_a_standard_warns_then_saves_with_confirm(cast):
    data = {**SCHEDULE, "plan_sent_on": dt.date(2025, 12, 10)}  # 5 days before the meeting on 15 Dec
    with pytest.raises(services.StandardsWarning) as exc:
        services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=1, data=data, today=dt.date(2025, 11, 1))
    assert [c.code for c in exc.value.checks] == ["plan_before_meeting"]
    assert not InspectionRound.objects.exists()
    r = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=1, data=data, confirm=True, today=dt.date(2025, 11, 1))
    assert r.accepted_warnings[0]["code"] == "plan_before_meeting" and r.warnings_accepted_by == cast.planner
    # Saving the same schedule again does not warn again; a new break does.
    services.update_round(r, by=cast.planner, data={"title": "รอบที่ 1"}, today=dt.date(2025, 11, 1))
    with pytest.raises(services.StandardsWarning):
        services.update_round(r, by=cast.planner, data={"summary_meeting_on": dt.date(2026, 10, 5)}, today=dt.date(2025, 11, 1))


@pytest.mark.django_db
def test_roles(cast, round_with_form):
    for user in (cast.director, cast.viewer, cast.head, cast.owner, cast.school_users[0], cast.outsider):
        with pytest.raises(PermissionDenied):
            services.create_round(cast.office, by=user, fiscal_year=2569, number=5)
    assert services.create_round(cast.office, by=cast.supervisor, fiscal_year=2569, number=5).number == 5
    sent = services.dispatch_forms(round_with_form, by=cast.planner, schools=[cast.schools[0]])
    with pytest.raises(PermissionDenied):
        services.save_answers(sent[0], {}, by=cast.school_users[1])  # another school of the same office
    with pytest.raises(ValidationError) as exc:
        services.dispatch_forms(round_with_form, by=cast.planner, schools=[cast.school_b])  # a school of office B
    assert set(exc.value.error_dict) == {"units"}
