"""Issue 13, items 5 and 8, in the inspections: a NUL in an answer, a round's close/reopen comment, a
recommendation's follow-up and a return reason; a non-numeric question id on the form page; titles, codes and
texts of only invisible characters. Each is refused with a message (never a 500) and nothing changes."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inspections import services
from inspections.models import FormAnswer, InspectionIssue, InspectionRound, Question, Recommendation, RoundTransition

pytestmark = pytest.mark.django_db

NUL = "ok\x00bad"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
#: The refusals expected (emes.text): a NUL anywhere, and a reason of invisible characters only.
NUL_REFUSAL = "ข้อความมีอักขระ NUL"
NO_REASON = "'reason': \\['กรุณาระบุเหตุผล'\\]"


@pytest.fixture
def dispatched(cast, round_with_form):
    sent = services.dispatch_forms(round_with_form, by=cast.planner, divisions=[cast.academic], schools=cast.schools)
    return round_with_form, sent[0] if sent[0].school_id == cast.schools[0].pk else next(d for d in sent if d.school_id == cast.schools[0].pk)


def test_a_nul_in_a_text_answer_is_refused_not_a_database_error(cast, dispatched):
    r, d = dispatched
    text_q = r.questions.get(kind="text")
    with pytest.raises(ValidationError, match=NUL_REFUSAL):
        services.save_answers(d, {f"q{text_q.pk}": NUL}, by=cast.school_users[0])
    assert not FormAnswer.objects.exists()


def test_a_text_answer_loses_invisible_and_override_characters(cast, dispatched):
    r, d = dispatched
    text_q = r.questions.get(kind="text")
    services.save_answers(d, {f"q{text_q.pk}": "\u202eครูไม่พอ\u200b\u2066"}, by=cast.school_users[0])
    assert FormAnswer.objects.get(question=text_q).text_value == "ครูไม่พอ"


def test_the_answer_page_with_a_nul_answers_400_and_saves_nothing(client, cast, dispatched):
    r, d = dispatched
    client.force_login(cast.school_users[0])
    response = client.post(reverse("inspections:answer", args=[d.pk]), {f"q{r.questions.get(kind='text').pk}": NUL, "op": "save"})
    assert response.status_code == 400
    assert not FormAnswer.objects.exists()


def test_closing_and_reopening_a_round_with_a_nul_is_refused(cast, dispatched):
    r, _d = dispatched
    before = RoundTransition.objects.count()
    with pytest.raises(ValidationError, match=NUL_REFUSAL):
        services.close_round(r, by=cast.planner, comment=NUL)
    r.refresh_from_db()
    assert r.status == InspectionRound.Status.OPEN and RoundTransition.objects.count() == before
    services.close_round(r, by=cast.planner)
    for reason, refusal in ((NUL, NUL_REFUSAL), (ZERO_WIDTH, NO_REASON), ("\u202e", NO_REASON)):
        with pytest.raises(ValidationError, match=refusal):
            services.reopen_round(r, by=cast.planner, reason=reason)
    r.refresh_from_db()
    assert r.status == InspectionRound.Status.CLOSED


def test_recommendation_follow_up_and_return_reason_with_a_nul_are_refused(cast, dispatched):
    r, d = dispatched
    rec = services.add_recommendation(r, by=cast.planner, text="ข้อเสนอแนะ", divisions=[cast.academic])
    for call in (
        lambda: services.add_follow_up(rec, by=cast.planner, text=NUL),
        lambda: services.mark_done(rec, by=cast.planner, comment=NUL),
    ):
        with pytest.raises(ValidationError, match=NUL_REFUSAL):
            call()
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.OPEN and not rec.follow_ups.exists()
    services.submit_answers(d, {f"q{q.pk}": v for q, v in _answers(r)}, by=cast.school_users[0])
    for reason, refusal in ((NUL, NUL_REFUSAL), (ZERO_WIDTH, NO_REASON)):
        with pytest.raises(ValidationError, match=refusal):
            services.return_dispatch(d, by=cast.planner, reason=reason)
    d.refresh_from_db()
    assert d.status == d.Status.SUBMITTED


def _answers(r):
    values = {"number": "80", "yes_no": "yes", "text": "พอใช้"}
    return [(q, values[q.kind]) for q in r.questions.all() if q.kind in values]


def test_the_form_page_with_a_non_numeric_question_id_gives_a_message_not_a_500(client, cast, round_with_form):
    client.force_login(cast.planner)
    url = reverse("inspections:form", args=[cast.office.area_code, round_with_form.pk])
    before = list(Question.objects.values_list("pk", "text"))
    for op in ("edit", "delete"):
        for bad in ("abc", "1e3", "-1", "๑", "99999999999999999999999", ""):
            response = client.post(url, {"op": op, "question": bad, "text": "x", "kind": "text"})
            assert response.status_code in (400, 404), (op, bad)
    assert list(Question.objects.values_list("pk", "text")) == before


@pytest.mark.parametrize("title", [ZERO_WIDTH, "\u202e\u2066\u2069", " \u200b "])
def test_an_issue_title_of_invisible_characters_is_refused(cast, round_with_form, title):
    before = InspectionIssue.objects.count()
    with pytest.raises(ValidationError, match="'title': \\['กรุณาพิมพ์ประเด็นการตรวจราชการ'\\]"):
        services.add_issue(round_with_form, by=cast.planner, title=title)
    assert InspectionIssue.objects.count() == before


def test_the_issue_form_refuses_an_invisible_title_and_cleans_the_code(client, cast, round_with_form):
    r = InspectionRound.objects.create(office=cast.office, fiscal_year=2570, number=1, title="draft")
    client.force_login(cast.planner)
    url = reverse("inspections:issue-add", args=[cast.office.area_code, r.pk])
    assert client.post(url, {"code": "1", "title": ZERO_WIDTH}).status_code == 400
    assert not r.issues.exists()
    client.post(url, {"code": "\u200b１.２\u202e", "title": "ประเด็น\u200b ที่ ๑"})
    issue = r.issues.get()
    assert (issue.code, issue.title) == ("1.2", "ประเด็น ที่ ๑")
