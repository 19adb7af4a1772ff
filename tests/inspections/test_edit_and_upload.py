"""Two gaps of the inspection pages (issue 8): an issue or an indicator is corrected in place (and the question
built from it follows), and a unit's typed answers are saved with the evidence file it attaches, all or nothing."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from inspections.models import AnswerEvidence, FormAnswer, FormDispatch, InspectionIssue, IssueIndicator, Question

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


def _issue(r) -> InspectionIssue:
    return r.issues.get()


def _indicator(r, kind: str) -> IssueIndicator:
    return IssueIndicator.objects.get(issue__round=r, answer_kind=kind)


def issue_url(r, issue) -> str:
    return reverse("inspections:issue-edit", args=[r.office.area_code, r.pk, issue.pk])


def indicator_url(r, indicator) -> str:
    return reverse("inspections:indicator-edit", args=[r.office.area_code, r.pk, indicator.pk])


def stored_files(tmp_path) -> list:
    root = tmp_path / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- editing issues and indicators --------------------------------------------------------------------


def test_issue_edited_in_place_and_its_questions_follow_the_new_code(client, cast, round_with_form):
    r = round_with_form
    issue = _issue(r)
    reworded = Question.objects.get(indicator=_indicator(r, "text"))
    services.update_question(reworded, by=cast.planner, text="ปัญหาอุปสรรคที่พบ (พิมพ์เอง)", kind="text")
    client.force_login(cast.planner)
    page = client.get(reverse("inspections:issues", args=[r.office.area_code, r.pk]))
    assert issue_url(r, issue).encode() in page.content and b'id="form-built-note"' in page.content
    page = client.get(issue_url(r, issue))
    assert page.status_code == 200 and "การอ่านออกเขียนได้ของนักเรียนชั้น ป.1" in page.content.decode()
    assert b'id="follows-note"' in page.content
    response = client.post(issue_url(r, issue), {
        "code": "2", "title": "  การอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1 ", "description": "ข้อมูลสมมุติ",
        "divisions": [cast.policy.pk, cast.academic.pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"/issues/#issue-{issue.pk}")
    issue.refresh_from_db()
    assert (issue.code, issue.title, issue.description) == ("2", "การอ่านออกเขียนได้ของนักเรียนชั้นประถมศึกษาปีที่ 1", "ข้อมูลสมมุติ")
    assert set(issue.divisions.all()) == {cast.policy, cast.academic}
    texts = list(r.questions.order_by("order").values_list("text", flat=True))
    assert texts[:2] == ["2.1 ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้", "2.2 มีแผนพัฒนาการอ่านของสถานศึกษา"]
    assert texts[2] == "ปัญหาอุปสรรคที่พบ (พิมพ์เอง)"  # reworded by hand on the form page: kept
    assert texts[3] == "ร่องรอยหลักฐาน"  # typed by hand, no indicator


def test_issue_edit_bad_input_changes_nothing(client, cast, round_with_form):
    r = round_with_form
    issue = _issue(r)
    client.force_login(cast.supervisor)
    response = client.post(issue_url(r, issue), {"code": "9", "title": "  ", "divisions": [cast.policy.pk]})
    assert response.status_code == 400
    assert 'name="code"' in response.content.decode() and "invalid-feedback" in response.content.decode()
    response = client.post(issue_url(r, issue), {"code": "9", "title": "ประเด็นใหม่", "divisions": [cast.other_division.pk]})
    assert response.status_code == 400  # a division of another office is no choice here
    issue.refresh_from_db()
    assert (issue.code, issue.title) == ("1", "การอ่านออกเขียนได้ของนักเรียนชั้น ป.1")
    assert list(issue.divisions.all()) == [cast.academic]
    assert r.questions.filter(text__startswith="9.").count() == 0


def test_indicator_edited_in_place_and_its_question_follows(client, cast, round_with_form):
    r = round_with_form
    indicator = _indicator(r, "number")
    question = Question.objects.get(indicator=indicator)
    client.force_login(cast.planner)
    page = client.get(indicator_url(r, indicator))
    html = page.content.decode()
    assert page.status_code == 200 and 'value="100"' in html and "ร้อยละของนักเรียนชั้น ป.1" in html
    response = client.post(indicator_url(r, indicator), {
        "text": "ร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้", "unit": "ร้อยละ", "target": "95.5", "target_text": "", "answer_kind": "number"})
    assert response.status_code == 302 and response["Location"].endswith(f"#issue-{indicator.issue_id}")
    indicator.refresh_from_db()
    assert indicator.text == "ร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้" and indicator.target == Decimal("95.5")
    question.refresh_from_db()
    assert question.text == "1.1 ร้อยละของนักเรียนชั้น ป.1 ที่อ่านออกเขียนได้"
    assert question.unit == "ร้อยละ" and "95.5" in question.help_text
    # A question reworded by hand keeps its words, yet follows a new kind of answer and unit.
    yes_no = _indicator(r, "yes_no")
    q2 = Question.objects.get(indicator=yes_no)
    services.update_question(q2, by=cast.planner, text="สถานศึกษามีแผนพัฒนาการอ่านหรือไม่", kind="yes_no")
    response = client.post(indicator_url(r, yes_no), {"text": "จำนวนแผนพัฒนาการอ่าน", "unit": "แผน", "target": "1", "answer_kind": "number"})
    assert response.status_code == 302
    q2.refresh_from_db()
    assert (q2.text, q2.kind, q2.unit) == ("สถานศึกษามีแผนพัฒนาการอ่านหรือไม่", "number", "แผน")


def test_indicator_edit_bad_input_changes_nothing(client, cast, round_with_form):
    r = round_with_form
    indicator = _indicator(r, "number")
    client.force_login(cast.planner)
    response = client.post(indicator_url(r, indicator), {"text": "ตัวชี้วัดใหม่", "unit": "ร้อยละ", "target": "ร้อยละแปดสิบ", "answer_kind": "number"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html and "ร้อยละแปดสิบ" in html  # what was typed is shown back, the error beside it
    response = client.post(indicator_url(r, indicator), {"text": "", "target": "80", "answer_kind": "number"})
    assert response.status_code == 400
    response = client.post(indicator_url(r, indicator), {"text": "ตัวชี้วัดใหม่", "answer_kind": "colour"})
    assert response.status_code == 400
    indicator.refresh_from_db()
    assert indicator.text == "ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้" and indicator.target == Decimal("100")
    assert Question.objects.get(indicator=indicator).text == "1.1 ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้"


def test_no_edit_after_dispatch_the_services_message_is_shown(client, cast, round_with_form):
    r = round_with_form
    services.dispatch_forms(r, by=cast.planner, schools=cast.schools[:1])
    issue, indicator = _issue(r), _indicator(r, "number")
    client.force_login(cast.planner)
    page = client.get(reverse("inspections:issues", args=[r.office.area_code, r.pk]))
    assert issue_url(r, issue).encode() not in page.content and indicator_url(r, indicator).encode() not in page.content
    page = client.get(issue_url(r, issue))
    assert page.status_code == 200 and b'id="not-editable"' in page.content and b"<fieldset disabled>" in page.content
    response = client.post(issue_url(r, issue), {"code": "1", "title": "แก้หลังส่งแบบ"})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    response = client.post(indicator_url(r, indicator), {"text": "แก้หลังส่งแบบ", "answer_kind": "number"})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    issue.refresh_from_db()
    indicator.refresh_from_db()
    assert issue.title != "แก้หลังส่งแบบ" and indicator.text != "แก้หลังส่งแบบ"


@pytest.mark.parametrize("name", ["issue-edit", "indicator-edit"])
def test_edit_pages_by_role(client, cast, round_with_form, name):
    r = round_with_form
    obj = _issue(r) if name == "issue-edit" else _indicator(r, "number")
    url = reverse(f"inspections:{name}", args=[r.office.area_code, r.pk, obj.pk])
    assert client.get(url).status_code == 302 and client.post(url, {}).status_code == 302  # anonymous: to the login page
    for user in (cast.planner, cast.supervisor):
        client.force_login(user)
        assert client.get(url).status_code == 200, user
        assert client.post(url, {}).status_code == 400, user  # empty form: errors beside the fields
    for user in (cast.director, cast.viewer, cast.head, cast.owner):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"title": "x", "text": "x", "answer_kind": "text"}).status_code == 403, user
    for user in (cast.school_users[0], cast.outsider, cast.school_b_user):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(url, {"title": "x", "text": "x", "answer_kind": "text"}).status_code == 404, user
    # An issue or indicator of another round is not found under this round.
    other = services.create_round(cast.office, by=cast.planner, fiscal_year=2569, number=3, confirm=True)
    client.force_login(cast.planner)
    assert client.get(reverse(f"inspections:{name}", args=[r.office.area_code, other.pk, obj.pk])).status_code == 404
    assert _issue(r).title == "การอ่านออกเขียนได้ของนักเรียนชั้น ป.1"
    assert _indicator(r, "number").text == "ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้"


def test_deleting_an_indicator_removes_its_question_and_renumbers_the_form(cast, round_with_form):
    r = round_with_form
    services.delete_indicator(_indicator(r, "yes_no"), by=cast.planner)
    rows = list(r.questions.order_by("order").values_list("order", "text"))
    assert rows == [(1, "1.1 ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้"), (2, "1.3 ปัญหาและอุปสรรค"), (3, "ร่องรอยหลักฐาน")]
    services.delete_issue(_issue(r), by=cast.planner)
    assert list(r.questions.values_list("order", "text")) == [(1, "ร่องรอยหลักฐาน")]


# --- uploading evidence keeps the typed answers ---------------------------------------------------------


@pytest.fixture
def mine(cast, round_with_form):
    sent = services.dispatch_forms(round_with_form, by=cast.planner, schools=cast.schools[:2])
    return round_with_form, next(d for d in sent if d.school_id == cast.schools[0].pk)


def _keys(r) -> dict[str, str]:
    return {kind: f"q{r.questions.get(kind=kind).pk}" for kind in ("number", "yes_no", "text", "file")}


def test_upload_saves_the_typed_answers_as_a_draft_and_stores_the_file(client, cast, mine, tmp_path):
    r, d = mine
    k = _keys(r)
    client.force_login(cast.school_users[0])
    page = client.get(reverse("inspections:answer", args=[d.pk])).content.decode()
    assert 'enctype="multipart/form-data" id="answer-form"' in page and 'value="upload"' in page
    assert "บันทึกคำตอบก่อนแนบไฟล์" not in page  # the old warning is gone: nothing typed is lost any more
    response = client.post(reverse("inspections:answer", args=[d.pk]), {
        k["number"]: "๘๕.๕", k["yes_no"]: "yes", k["text"]: "ครูไม่พอ", "question": r.questions.get(kind="file").pk,
        "file": SimpleUploadedFile("หลักฐาน.pdf", PDF), "op": "upload"})
    assert response.status_code == 302 and response["Location"] == reverse("inspections:answer", args=[d.pk])
    d.refresh_from_db()
    assert d.status == FormDispatch.Status.DRAFT
    answers = {a.question.kind: a.value for a in FormAnswer.objects.filter(dispatch=d).select_related("question")}
    assert answers == {"number": Decimal("85.50"), "yes_no": True, "text": "ครูไม่พอ"}
    ev = AnswerEvidence.objects.get()
    assert ev.dispatch == d and ev.question.kind == "file" and ev.original_name == "หลักฐาน.pdf" and len(stored_files(tmp_path)) == 1
    page = client.get(reverse("inspections:answer", args=[d.pk])).content.decode()
    assert 'value="85.50"' in page or 'value="85.5"' in page
    assert "ครูไม่พอ" in page and "หลักฐาน.pdf" in page
    # Saving the draft with a file chosen attaches it too (no file is silently dropped).
    response = client.post(reverse("inspections:answer", args=[d.pk]), {
        k["number"]: "90", "file": SimpleUploadedFile("ภาพกิจกรรม.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), "op": "save"})
    assert response.status_code == 302
    assert AnswerEvidence.objects.filter(dispatch=d).count() == 2 and FormAnswer.objects.get(question__kind="number").value == Decimal("90")


def test_upload_with_a_wrong_number_stores_nothing_and_shows_the_error(client, cast, mine, tmp_path):
    r, d = mine
    k = _keys(r)
    client.force_login(cast.school_users[0])
    response = client.post(reverse("inspections:answer", args=[d.pk]), {
        k["number"]: "ประมาณแปดสิบ", k["text"]: "ครูไม่พอ", "file": SimpleUploadedFile("หลักฐาน.pdf", PDF), "op": "upload"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is-invalid" in html and "invalid-feedback" in html
    assert "ประมาณแปดสิบ" in html and "ครูไม่พอ" in html  # everything typed is shown back to be fixed
    assert 'id="file-not-kept"' in html  # the browser empties the file input: the unit is told to choose it again
    assert not FormAnswer.objects.exists() and not AnswerEvidence.objects.exists() and stored_files(tmp_path) == []
    d.refresh_from_db()
    assert d.status == FormDispatch.Status.NOT_STARTED


def test_upload_of_a_refused_file_or_no_file_stores_nothing(client, cast, mine, tmp_path):
    r, d = mine
    k = _keys(r)
    client.force_login(cast.school_users[0])
    url = reverse("inspections:answer", args=[d.pk])
    response = client.post(url, {k["number"]: "85", k["text"]: "ครูไม่พอ", "file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary"), "op": "upload"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "pdf, jpg, jpeg, png, docx, xlsx" in html and "ครูไม่พอ" in html and 'value="85"' in html
    response = client.post(url, {k["number"]: "85", "op": "upload"})
    assert response.status_code == 400 and 'value="85"' in response.content.decode()
    assert not FormAnswer.objects.exists() and not AnswerEvidence.objects.exists() and stored_files(tmp_path) == []


def test_submit_with_a_file_chosen_attaches_it_or_leaves_nothing_behind(client, cast, mine, tmp_path):
    r, d = mine
    k = _keys(r)
    q_file = r.questions.get(kind="file")
    q_file.required = True
    q_file.save(update_fields=["required"])
    client.force_login(cast.school_users[0])
    url = reverse("inspections:answer", args=[d.pk])
    # A required answer is missing: the submission is refused and the file, stored meanwhile, removed again.
    response = client.post(url, {k["number"]: "85", "file": SimpleUploadedFile("หลักฐาน.pdf", PDF), "question": q_file.pk, "op": "submit"})
    assert response.status_code == 400
    assert not AnswerEvidence.objects.exists() and not FormAnswer.objects.exists() and stored_files(tmp_path) == []
    response = client.post(url, {k["number"]: "85", k["yes_no"]: "no", k["text"]: "ครูไม่พอ", "file": SimpleUploadedFile("หลักฐาน.pdf", PDF),
                                 "question": q_file.pk, "op": "submit"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == FormDispatch.Status.SUBMITTED and AnswerEvidence.objects.get().question == q_file


def test_the_answer_evidence_url_still_attaches_a_file_alone(client, cast, mine):
    r, d = mine
    client.force_login(cast.school_users[0])
    response = client.post(reverse("inspections:answer-evidence", args=[d.pk]), {"file": SimpleUploadedFile("หลักฐาน.pdf", PDF)})
    assert response.status_code == 302 and AnswerEvidence.objects.filter(dispatch=d).count() == 1
    client.force_login(cast.school_users[1])  # another school: not found, nothing stored
    assert client.post(reverse("inspections:answer", args=[d.pk]), {"file": SimpleUploadedFile("x.pdf", PDF), "op": "upload"}).status_code == 404
    assert AnswerEvidence.objects.count() == 1
