"""The pages of inspection rounds, and the bad input of issue 8 through them, each a test:
a unit answering a form not sent to it (404), answering after the round is closed (refused), numbers
where text is expected and the reverse, evidence of a wrong type or size, CE dates typed where BE is expected."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from inspections.models import AnswerEvidence, FormAnswer, FormDispatch, InspectionRound


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(cast, round_with_form):
    sent = services.dispatch_forms(round_with_form, by=cast.planner, divisions=[cast.academic], schools=cast.schools)
    return round_with_form, {d.unit_name: d for d in sent}


def _q(r, kind):
    return r.questions.get(kind=kind)


def test_unit_answering_a_form_not_sent_to_it_gets_404(client, cast, dispatched):
    r, sent = dispatched
    other = sent[cast.schools[1].name]
    client.force_login(cast.school_users[0])
    assert client.get(reverse("inspections:answer", args=[other.pk])).status_code == 404
    assert client.post(reverse("inspections:answer", args=[other.pk]), {f"q{_q(r, 'number').pk}": "5"}).status_code == 404
    assert client.post(reverse("inspections:answer-evidence", args=[other.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    assert not FormAnswer.objects.exists() and not AnswerEvidence.objects.exists()
    # A school of another office, and a division head for another division's form, likewise.
    client.force_login(cast.school_b_user)
    assert client.get(reverse("inspections:answer", args=[other.pk])).status_code == 404
    client.force_login(cast.owner)  # project owner of the policy division; the form went to the academic division
    assert client.get(reverse("inspections:answer", args=[sent[cast.academic.name].pk])).status_code == 404
    client.force_login(cast.head)
    assert client.get(reverse("inspections:answer", args=[sent[cast.academic.name].pk])).status_code == 200
    # School accounts see nothing of the office side.
    client.force_login(cast.school_users[0])
    assert client.get(reverse("inspections:round", args=[cast.office.area_code, r.pk])).status_code == 404


def test_answering_after_the_round_is_closed_is_refused(client, cast, dispatched):
    r, sent = dispatched
    mine = sent[cast.schools[0].name]
    services.close_round(r, by=cast.planner)
    client.force_login(cast.school_users[0])
    page = client.get(reverse("inspections:answer", args=[mine.pk]))
    assert page.status_code == 200 and b'id="round-closed"' in page.content and b'id="submit-form"' not in page.content
    response = client.post(reverse("inspections:answer", args=[mine.pk]), {f"q{_q(r, 'number').pk}": "90", "op": "submit"})
    assert response.status_code == 400
    assert "1/2569" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == FormDispatch.Status.NOT_STARTED and not mine.answers.exists()
    response = client.post(reverse("inspections:answer-evidence", args=[mine.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}, follow=True)
    assert not AnswerEvidence.objects.exists()


def test_text_typed_where_a_number_is_expected_and_the_reverse(client, cast, dispatched):
    r, sent = dispatched
    mine = sent[cast.schools[0].name]
    client.force_login(cast.school_users[0])
    number_q, text_q = _q(r, "number"), _q(r, "text")
    response = client.post(reverse("inspections:answer", args=[mine.pk]), {
        f"q{number_q.pk}": "ประมาณแปดสิบ", f"q{text_q.pk}": "25", "op": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("invalid-feedback") >= 2
    assert "ประมาณแปดสิบ" in html  # what was typed is shown back to be fixed
    assert not FormAnswer.objects.exists()
    # Right kinds save; Thai digits and thousands commas are numbers.
    response = client.post(reverse("inspections:answer", args=[mine.pk]), {
        f"q{number_q.pk}": "๘๕.๕", f"q{text_q.pk}": "ครูไม่พอ", f"q{_q(r, 'yes_no').pk}": "yes", "op": "save"})
    assert response.status_code == 302
    assert str(FormAnswer.objects.get(question=number_q).number_value) == "85.50"


def test_evidence_of_wrong_type_or_size_is_refused(client, cast, dispatched, settings):
    r, sent = dispatched
    mine = sent[cast.schools[0].name]
    client.force_login(cast.school_users[0])
    url = reverse("inspections:answer-evidence", args=[mine.pk])
    page = client.post(url, {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary")}, follow=True)
    assert "pdf, jpg, jpeg, png, docx, xlsx" in page.content.decode()
    page = client.post(url, {"file": SimpleUploadedFile("รายงาน.docx", PDF)}, follow=True)  # a PDF renamed .docx
    assert ".docx" in page.content.decode()
    gif = b"GIF89a" + b"\x00" * 20  # accepted for quarterly reports, not in the inspection whitelist
    client.post(url, {"file": SimpleUploadedFile("a.gif", gif)})
    settings.EMES_EVIDENCE_MAX_BYTES = 100
    page = client.post(url, {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * 200)}, follow=True)
    assert "MB" in page.content.decode()
    assert not AnswerEvidence.objects.exists()
    settings.EMES_EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    client.post(url, {"file": SimpleUploadedFile("หลักฐาน.pdf", PDF), "question": str(_q(r, "file").pk)})
    ev = AnswerEvidence.objects.get()
    assert ev.original_name == "หลักฐาน.pdf" and ev.question == _q(r, "file")
    download = client.get(reverse("inspections:evidence", args=[ev.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(cast.school_users[1])
    assert client.get(reverse("inspections:evidence", args=[ev.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("inspections:evidence", args=[ev.pk])).status_code == 404


def test_ce_dates_typed_where_be_is_expected(client, cast, dispatched):
    r, sent = dispatched
    client.force_login(cast.planner)
    response = client.post(reverse("inspections:round-create", args=[cast.office.area_code]), {
        "fiscal_year": "2569", "number": "3", "kind": "regular", "visit_starts_on": "16/2/2026"})
    assert response.status_code == 400 and "2569" in response.content.decode()  # the hint gives the BE year
    response = client.post(reverse("inspections:round-create", args=[cast.office.area_code]), {"fiscal_year": "2026", "number": "3", "kind": "regular"})
    assert response.status_code == 400 and "2569" in response.content.decode()
    assert InspectionRound.objects.count() == 1
    response = client.post(reverse("inspections:dispatch", args=[cast.office.area_code, r.pk]), {
        "schools": [cast.schools[0].pk], "due_on": "28/2/2026"})
    assert response.status_code == 400
    rec = client.post(reverse("inspections:recommendations", args=[cast.office.area_code, r.pk]), {"text": "ข้อเสนอแนะ", "due_on": "30/6/2026"})
    assert rec.status_code == 400 and not r.recommendations.exists()


def test_schedule_warning_then_confirm_through_the_page(client, cast):
    client.force_login(cast.planner)
    data = {"fiscal_year": "2570", "number": "1", "kind": "regular", "plan_sent_on": "10/11/2569", "coordination_meeting_on": "12/11/2569"}
    response = client.post(reverse("inspections:round-create", args=[cast.office.area_code]), data)
    assert response.status_code == 400 and b'id="standards-warnings"' in response.content
    assert not InspectionRound.objects.exists()
    response = client.post(reverse("inspections:round-create", args=[cast.office.area_code]), {**data, "confirm": "on"})
    assert response.status_code == 302
    r = InspectionRound.objects.get()
    assert r.plan_sent_on == dt.date(2026, 11, 10) and r.accepted_warnings


def test_pages_by_role_and_constant_queries(client, cast, dispatched, django_assert_max_num_queries):
    r, sent = dispatched
    area = cast.office.area_code
    urls = [reverse("inspections:rounds", args=[area]), reverse("inspections:round", args=[area, r.pk]),
            reverse("inspections:issues", args=[area, r.pk]), reverse("inspections:form", args=[area, r.pk]),
            reverse("inspections:recommendations", args=[area, r.pk]), reverse("inspections:office-recommendations", args=[area])]
    for user in (cast.director, cast.viewer, cast.head, cast.supervisor, cast.planner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    for user in (cast.outsider, cast.school_users[0]):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(cast.viewer)
    assert client.get(reverse("inspections:dispatch", args=[area, r.pk])).status_code == 403
    assert client.post(reverse("inspections:round-action", args=[area, r.pk]), {"action": "close"}).status_code == 403
    client.logout()
    assert client.get(urls[0]).status_code == 302
    # Query counts do not grow with units and recommendations.
    client.force_login(cast.planner)
    services.add_recommendation(r, by=cast.planner, text="ข้อเสนอแนะแรก", divisions=[cast.policy])
    with django_assert_max_num_queries(40) as ctx:
        client.get(urls[1])
    base = len(ctx.captured_queries)
    from tests.factories import SchoolFactory
    more = [SchoolFactory(office=cast.office) for _ in range(6)]
    services.dispatch_forms(r, by=cast.planner, schools=more)
    for i in range(5):
        services.add_recommendation(r, by=cast.planner, text=f"ข้อเสนอแนะ {i}", divisions=[cast.policy, cast.academic])
    with django_assert_max_num_queries(base) as ctx:
        client.get(urls[1])
    with django_assert_max_num_queries(20):
        client.get(urls[4])
    client.force_login(cast.school_users[0])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("inspections:my-forms")).status_code == 200
