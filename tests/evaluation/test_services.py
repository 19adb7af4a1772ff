"""Evaluation services: forms from the library and copies, the frozen form, answers checked item by item, the window."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from emes.models import Role
from evaluation import services
from evaluation.models import Answer, Evaluation, EvaluationForm, EvaluationTransition, FormItem, Response
from evaluation.obligations import unanswered_evaluations

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def test_a_form_from_the_standard_satisfaction_form_has_its_sections_and_items(satisfaction_form):
    sections = list(satisfaction_form.sections.all())
    assert len(sections) == 6
    kinds = set(FormItem.objects.filter(section__form=satisfaction_form).values_list("kind", flat=True))
    assert kinds == {"rating", "choice", "text"}
    assert satisfaction_form.standard == "satisfaction"


def test_copy_keeps_items_and_bands_and_points_back(satisfaction_form, planner_a):
    copy = services.copy_form(satisfaction_form, by=planner_a)
    assert copy.copied_from == satisfaction_form
    assert copy.bands == satisfaction_form.bands
    assert FormItem.objects.filter(section__form=copy).count() == FormItem.objects.filter(section__form=satisfaction_form).count()


def test_a_form_with_answers_cannot_be_edited(open_evaluation, planner_a):
    services.submit_answers(open_evaluation, full_answers(open_evaluation))
    form = open_evaluation.form
    section = form.sections.first()
    before = FormItem.objects.filter(section__form=form).count()
    for change in (lambda: services.add_item(section, by=planner_a, kind="rating", text="ใหม่"),
                   lambda: services.add_section(form, by=planner_a, title="ใหม่"),
                   lambda: services.delete_item(section.items.first(), by=planner_a),
                   lambda: services.set_bands(form, by=planner_a, bands=[[3, "ดี"], [1, "ไม่ดี"]])):
        with pytest.raises(ValidationError, match="มีผู้ตอบแล้ว แก้ไขไม่ได้"):
            change()
    assert FormItem.objects.filter(section__form=form).count() == before
    assert form.sections.count() == 6


def test_a_choice_item_needs_two_choices(satisfaction_form, planner_a):
    with pytest.raises(ValidationError):
        services.add_item(satisfaction_form.sections.first(), by=planner_a, kind="choice", text="เพศ", choices="ชาย")
    item = services.add_item(satisfaction_form.sections.first(), by=planner_a, kind="choice", text="เพศ", choices="ชาย\nหญิง\nชาย")
    assert item.choices == ["ชาย", "หญิง"]


def test_transitions_are_recorded(open_evaluation, planner_a):
    services.close_evaluation(open_evaluation, by=planner_a)
    moves = list(EvaluationTransition.objects.filter(evaluation=open_evaluation).values_list("from_status", "to_status"))
    assert moves == [("", "draft"), ("draft", "open"), ("open", "closed")]
    with pytest.raises(ValidationError):
        services.close_evaluation(open_evaluation, by=planner_a)
    with pytest.raises(ValidationError):
        services.reopen_evaluation(open_evaluation, by=planner_a, reason="")
    services.reopen_evaluation(open_evaluation, by=planner_a, reason="ขยายเวลา")
    assert Evaluation.objects.get(pk=open_evaluation.pk).status == "open"


@pytest.mark.parametrize("bad", ["0", "6", "4.5", "abc", "-1", "๕๕"])
def test_a_rating_outside_1_to_5_is_refused_and_nothing_stored(open_evaluation, bad):
    rating = FormItem.objects.filter(section__form=open_evaluation.form, kind="rating").first()
    with pytest.raises(ValidationError) as exc:
        services.submit_answers(open_evaluation, full_answers(open_evaluation, **{f"item-{rating.pk}": bad}))
    assert "ระดับคะแนนต้องเป็นจำนวนเต็ม 1 ถึง 5" in str(exc.value.message_dict[f"item-{rating.pk}"])
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_an_empty_required_item_is_refused(open_evaluation):
    rating = FormItem.objects.filter(section__form=open_evaluation.form, kind="rating").first()
    with pytest.raises(ValidationError) as exc:
        services.submit_answers(open_evaluation, full_answers(open_evaluation, **{f"item-{rating.pk}": ""}))
    assert exc.value.message_dict[f"item-{rating.pk}"] == ["กรุณาตอบข้อนี้ (จำเป็นต้องตอบ)"]
    assert Response.objects.count() == 0


def test_optional_items_may_stay_empty(open_evaluation):
    optional = FormItem.objects.filter(section__form=open_evaluation.form, required=False)
    data = full_answers(open_evaluation, **{f"item-{i.pk}": "" for i in optional})
    response = services.submit_answers(open_evaluation, data)
    assert response.answers.count() == FormItem.objects.filter(section__form=open_evaluation.form, required=True).count()


def test_no_answer_after_the_window_or_before_opening(open_evaluation):
    with pytest.raises(ValidationError, match="พ้นกำหนดเวลาตอบ"):
        services.submit_answers(open_evaluation, full_answers(open_evaluation), on=open_evaluation.closes_on + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="เปิดให้ตอบวันที่"):
        services.submit_answers(open_evaluation, full_answers(open_evaluation), on=open_evaluation.opens_on - dt.timedelta(days=1))
    assert Response.objects.count() == 0


def test_no_answer_to_a_draft_or_closed_evaluation(office_a, planner_a, satisfaction_form):
    today = timezone.localdate()
    ev = services.create_evaluation(office_a, by=planner_a, form=satisfaction_form, title="x", opens_on=today, closes_on=today)
    with pytest.raises(ValidationError, match="ยังไม่เปิดให้ตอบ"):
        services.submit_answers(ev, full_answers(ev))
    services.open_evaluation(ev, by=planner_a)
    services.close_evaluation(ev, by=planner_a)
    ev.refresh_from_db()
    with pytest.raises(ValidationError, match="ปิดรับคำตอบแล้ว"):
        services.submit_answers(ev, full_answers(ev))
    assert Response.objects.count() == 0


def test_a_respondent_answers_once_and_may_change_it(open_evaluation, school_user_a):
    assert open_evaluation.respondents.filter(user=school_user_a).exists()
    services.submit_answers(open_evaluation, full_answers(open_evaluation, rating=2), user=school_user_a)
    services.submit_answers(open_evaluation, full_answers(open_evaluation, rating=4), user=school_user_a)
    assert Response.objects.filter(evaluation=open_evaluation).count() == 1
    ratings = set(Answer.objects.filter(item__kind="rating").values_list("number", flat=True))
    assert ratings == {4}


def test_a_user_not_asked_cannot_answer(open_evaluation, viewer_a):
    with pytest.raises(ValidationError, match="ไม่ได้อยู่ในรายชื่อผู้ตอบ"):
        services.submit_answers(open_evaluation, full_answers(open_evaluation), user=viewer_a)


def test_a_public_answer_keeps_no_person(open_evaluation):
    response = services.submit_answers(open_evaluation, full_answers(open_evaluation))
    assert response.user_id is None
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"ip", "session_key", "submitted_at", "user_agent"}


def test_respondents_who_have_not_answered_are_owed_a_notice_only(open_evaluation, school_user_a, planner_a):
    owed = unanswered_evaluations(office=open_evaluation.office, user=None, on=timezone.localdate())
    assert [o.users for o in owed] == [frozenset({school_user_a.pk})]
    assert set(owed[0].recipients) == {"notice"}
    assert owed[0].due_on == open_evaluation.closes_on
    services.submit_answers(open_evaluation, full_answers(open_evaluation), user=school_user_a)
    assert unanswered_evaluations(office=open_evaluation.office, user=None, on=timezone.localdate()) == []


def test_a_form_of_another_office_cannot_be_used(office_a, office_b, planner_a):
    other = EvaluationForm.objects.create(office=office_b, title="B")
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.create_evaluation(office_a, by=planner_a, form=other, title="x", opens_on=today, closes_on=today)
    assert Evaluation.objects.count() == 0


def test_respondents_chosen_by_role(office_a, planner_a, satisfaction_form, school_user_a, viewer_a):
    today = timezone.localdate()
    ev = services.create_evaluation(office_a, by=planner_a, form=satisfaction_form, title="x", opens_on=today, closes_on=today,
                                    roles=[Role.SCHOOL, Role.VIEWER])
    assert set(ev.respondents.values_list("user__username", flat=True)) == {"99010001", "viewer_a"}


def test_a_project_owner_may_only_create_evaluations_of_their_own_projects(office_a, owner_a, project_a, satisfaction_form):
    """The rule lives in the service (every caller passes), not only in the page's choice list (docs/evaluation.md)."""
    from tests.factories import ProjectFactory

    other = ProjectFactory(office=office_a, fiscal_year=2569)
    today = timezone.localdate()
    for target in (None, other):  # no target is the plan officer's; another owner's project is theirs
        with pytest.raises(ValidationError) as exc:
            services.create_evaluation(office_a, by=owner_a, form=satisfaction_form, title="x", target=target,
                                       opens_on=today, closes_on=today)
        assert "target" in exc.value.message_dict
    assert Evaluation.objects.count() == 0
    services.create_evaluation(office_a, by=owner_a, form=satisfaction_form, title="x", target=project_a, opens_on=today, closes_on=today)
    assert Evaluation.objects.count() == 1
