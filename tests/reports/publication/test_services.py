"""The life of an annual report through its services: memo, draft, submit, return, approve (frozen), publish, circulate.

Rules: docs/annual-report.md, "The life of a report" (M&E manual ข้อ ๑.๖, ข้อ ๑.๑(๘)). Every refusal leaves the data unchanged.
"""
from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from emes.notifications.models import Notification
from inspections.models import AnswerEvidence
from plans.models import QuarterlyReport
from reports import services as build_services
from reports.letters.models import OutgoingLetter
from reports.models import AnnualReport, ReportJob
from reports.publication import services
from tests.factories import OfficeFactory, ProjectFactory, QuarterlyReportFactory

from tests.reports.letters.test_services import pdf_text, squash

from .conftest import FAKE_PDF, evidence, png_bytes, state

pytestmark = pytest.mark.django_db
S = AnnualReport.Status


def write(report, by, **extra):
    fields = {"foreword": "คำนำของรายงาน", "executive_summary": "บทสรุปผู้บริหาร", "problems_synthesis": "", **extra}
    return services.update_narrative(report, by=by, **fields)


def approved(draft, planner, director):
    write(draft, planner)
    services.submit_report(draft, by=planner)
    report = services.approve_report(draft, by=director)
    job = report.builds.get()
    build_services.run_report_job(job.pk)
    report.refresh_from_db()
    return report


def test_the_memo_to_the_director_opens_version_1_as_a_draft(draft, planner_a):
    memo = draft.request_memo
    assert memo.kind == OutgoingLetter.Kind.MEMO and memo.number == 1 and memo.file
    assert "2569" in memo.subject
    assert (draft.version, draft.status, draft.created_by) == (1, S.DRAFT, planner_a)
    assert "โครงการ" in draft.executive_summary  # the draft summary written from the figures
    t = draft.transitions.get()
    assert (t.by, t.from_status, t.to_status) == (planner_a, "", S.DRAFT) and memo.letter_no in t.comment
    # The memo is addressed to the director and signed by the plan officer who asks, not by its addressee.
    with memo.file.open("rb") as fh:
        text = squash(pdf_text(fh.read()))
    assert squash(planner_a.get_full_name()) in text and squash("นักวิเคราะห์นโยบายและแผน") in text


def test_a_second_request_is_refused_and_changes_nothing(draft, planner_a):
    before = state(draft), OutgoingLetter.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.request_report(draft.office, 2569, by=planner_a)
    assert exc.value.code == "exists"
    assert (state(draft), OutgoingLetter.objects.count()) == before


@pytest.mark.parametrize("who", ["director_a", "viewer_a", "outsider_b"])
def test_only_the_plan_officer_requests_the_report(request, office_a, plan_a, who):
    with pytest.raises(PermissionDenied):
        services.request_report(office_a, 2569, by=request.getfixturevalue(who))
    assert not AnnualReport.objects.exists() and not OutgoingLetter.objects.exists()


def test_the_whole_life_records_who_and_when_of_every_move(draft, planner_a, director_a, head_a, viewer_a, fast_build):
    write(draft, planner_a)
    services.submit_report(draft, by=planner_a)
    services.return_report(draft, by=director_a, comment="เพิ่มภาพกิจกรรม")
    write(draft, planner_a, foreword="คำนำฉบับแก้ไข")
    services.submit_report(draft, by=planner_a)
    services.approve_report(draft, by=director_a)
    job = ReportJob.objects.get(annual_report=draft)
    build_services.run_report_job(job.pk)
    job.refresh_from_db()
    services.publish_report(draft, by=planner_a)
    services.circulate_report(draft, by=planner_a)
    draft.refresh_from_db()
    moves = [(t.by, t.from_status, t.to_status) for t in draft.transitions.all()]
    assert moves == [
        (planner_a, "", S.DRAFT), (planner_a, S.DRAFT, S.SUBMITTED), (director_a, S.SUBMITTED, S.RETURNED),
        (planner_a, S.RETURNED, S.SUBMITTED), (director_a, S.SUBMITTED, S.APPROVED), (None, S.APPROVED, S.APPROVED),
        (planner_a, S.APPROVED, S.PUBLISHED), (planner_a, S.PUBLISHED, S.PUBLISHED),
    ]
    assert draft.transitions.all()[2].comment == "เพิ่มภาพกิจกรรม"
    assert all(t.at is not None for t in draft.transitions.all())
    # The build that froze it printed the narrative with the approval date and the figures' time.
    narrative = fast_build[-1]
    assert narrative.foreword == "คำนำฉบับแก้ไข" and narrative.approved_on is not None and narrative.as_of == job.started_at
    assert narrative.digits == "thai"
    # Circulation: a memo to the division heads and a notification to the director, heads and viewers.
    memo = draft.circulation_memo
    assert memo.kind == OutgoingLetter.Kind.MEMO and memo.number == 2 and "แจ้งเวียน" in memo.subject
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"director_a", "head_a", "viewer_a"}


def test_approval_freezes_the_pdf_with_checksum_and_time(draft, planner_a, director_a):
    report = approved(draft, planner_a, director_a)
    assert report.status == S.APPROVED and report.approved_by == director_a
    with report.file.open("rb") as fh:
        data = fh.read()
    assert data == FAKE_PDF and report.checksum == hashlib.sha256(data).hexdigest()
    assert report.data_as_of == report.builds.get().started_at


def test_an_approved_version_cannot_be_edited_rebuilt_or_submitted(draft, planner_a, director_a):
    report = approved(draft, planner_a, director_a)
    before = state(report)
    with pytest.raises(ValidationError):
        write(report, planner_a, foreword="เปลี่ยน")
    with pytest.raises(ValidationError) as exc:
        build_services.request_annual_report(office=report.office, fiscal_year=2569, by=planner_a, report=report)
    assert exc.value.code == "frozen"
    with pytest.raises(ValidationError):
        services.submit_report(report, by=planner_a)
    with pytest.raises(ValidationError):
        services.freeze_again(report, by=planner_a)
    assert state(report) == before


def test_a_later_build_of_a_frozen_version_never_replaces_its_pdf(draft, planner_a, director_a, fast_build, monkeypatch):
    report = approved(draft, planner_a, director_a)
    checksum = report.checksum
    job = ReportJob.objects.create(office=report.office, fiscal_year=2569, annual_report=report)  # e.g. a stray job row
    monkeypatch.setattr(build_services, "build_annual_report_pdf", lambda *a, **k: b"%PDF other bytes")
    build_services.run_report_job(job.pk)
    report.refresh_from_db()
    assert report.checksum == checksum
    with report.file.open("rb") as fh:
        assert fh.read() == FAKE_PDF


def test_approving_with_unreviewed_quarterly_reports_warns_first_naming_how_many(draft, planner_a, director_a, plan_a):
    for quarter in (2, 3):
        QuarterlyReportFactory(project=plan_a, quarter=quarter, status=QuarterlyReport.Status.SUBMITTED)
    write(draft, planner_a)
    services.submit_report(draft, by=planner_a)
    before = state(draft)
    with pytest.raises(services.UnreviewedReports) as exc:
        services.approve_report(draft, by=director_a)
    assert exc.value.count == 2 and "2" in exc.value.messages[0]
    assert state(draft) == before
    report = services.approve_report(draft, by=director_a, confirm_unreviewed=True)
    assert report.status == S.APPROVED and "2" in report.transitions.last().comment


def test_a_second_build_while_one_runs_is_refused_with_a_message(draft, planner_a):
    first = build_services.request_annual_report(office=draft.office, fiscal_year=2569, by=planner_a, report=draft, enqueue=False)
    ReportJob.objects.filter(pk=first.pk).update(status=ReportJob.Status.RUNNING, progress=40)
    before = state(draft)
    with pytest.raises(ValidationError) as exc:
        build_services.request_annual_report(office=draft.office, fiscal_year=2569, by=planner_a, report=draft)
    assert exc.value.code == "busy" and "40" in exc.value.messages[0]
    assert state(draft) == before and ReportJob.objects.count() == 1


def test_approval_while_a_build_runs_is_refused(draft, planner_a, director_a):
    write(draft, planner_a)
    services.submit_report(draft, by=planner_a)
    build_services.request_annual_report(office=draft.office, fiscal_year=2569, by=planner_a, report=draft, enqueue=False)
    before = state(draft)
    with pytest.raises(ValidationError) as exc:
        services.approve_report(draft, by=director_a)
    assert exc.value.code == "busy" and state(draft) == before


def test_returning_needs_a_comment_and_only_the_director_decides(draft, planner_a, director_a):
    write(draft, planner_a)
    services.submit_report(draft, by=planner_a)
    before = state(draft)
    with pytest.raises(ValidationError):
        services.return_report(draft, by=director_a, comment="  ")
    with pytest.raises(PermissionDenied):
        services.return_report(draft, by=planner_a, comment="x")
    with pytest.raises(PermissionDenied):
        services.approve_report(draft, by=planner_a)
    assert state(draft) == before


def test_submitting_needs_the_foreword_and_summary(draft, planner_a):
    services.update_narrative(draft, by=planner_a, foreword="", executive_summary="", problems_synthesis="")
    before = state(draft)
    with pytest.raises(ValidationError) as exc:
        services.submit_report(draft, by=planner_a)
    assert exc.value.code == "incomplete" and state(draft) == before


def test_publishing_waits_for_the_frozen_pdf_and_circulating_happens_once(draft, planner_a, director_a):
    write(draft, planner_a)
    services.submit_report(draft, by=planner_a)
    services.approve_report(draft, by=director_a)
    before = state(draft)
    with pytest.raises(ValidationError) as exc:
        services.publish_report(draft, by=planner_a)
    assert exc.value.code == "not_frozen" and state(draft) == before
    build_services.run_report_job(draft.builds.get().pk)
    services.publish_report(draft, by=planner_a)
    services.circulate_report(draft, by=planner_a)
    before = state(draft), OutgoingLetter.objects.count(), Notification.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.circulate_report(draft, by=planner_a)
    assert exc.value.code == "circulated"
    assert (state(draft), OutgoingLetter.objects.count(), Notification.objects.count()) == before


def test_later_edits_make_version_2_and_version_1_stays_frozen(draft, planner_a, director_a):
    report = approved(draft, planner_a, director_a)
    services.publish_report(report, by=planner_a)
    frozen = state(report)
    with pytest.raises(ValidationError):
        services.open_new_version(report, by=planner_a, reason="")
    newer = services.open_new_version(report, by=planner_a, reason="แก้ตัวเลขงบประมาณ")
    assert (newer.version, newer.status, newer.foreword, newer.reason) == (2, S.DRAFT, report.foreword, "แก้ตัวเลขงบประมาณ")
    write(newer, planner_a, foreword="คำนำฉบับที่ 2")
    build_services.request_annual_report(office=newer.office, fiscal_year=2569, by=planner_a, report=newer, enqueue=False)
    assert state(report)[:-1] == frozen[:-1]  # only the count of versions grew
    with pytest.raises(ValidationError):
        services.open_new_version(report, by=planner_a, reason="อีกครั้ง")


def test_photos_are_images_of_the_office_evidence_only(draft, planner_a, plan_a):
    quarterly = plan_a.reports.get()
    photo = evidence(quarterly, "กิจกรรม.png", png_bytes(), "image/png")
    pdf = evidence(quarterly, "คำสั่ง.pdf", b"%PDF-1.7", "application/pdf")
    fake = evidence(quarterly, "ปลอม.png", b"not an image at all", "image/png")
    other = evidence(QuarterlyReportFactory(project=ProjectFactory(office=OfficeFactory(), fiscal_year=2569)), "x.png", png_bytes(), "image/png")
    before = state(draft)
    for key in (f"plan-{pdf.pk}", f"plan-{other.pk}", f"inspection-{other.pk}", "plan-x", "school-1"):
        with pytest.raises(ValidationError):
            write(draft, planner_a, photos=[(key, "ภาพ")])
        assert state(draft) == before
    write(draft, planner_a, photos=[(f"plan-{photo.pk}", "ภาพกิจกรรม"), (f"plan-{fake.pk}", "ไม่ใช่ภาพ")],
          committee=[("นายสมชาย ใจดี", "ผู้อำนวยการกลุ่มนโยบายและแผน"), ("", "ไม่มีชื่อ")])
    narrative = draft.narrative()
    assert [(p.caption, p.path) for p in narrative.photos] == [("ภาพกิจกรรม", photo.file.path)]  # the fake image is not embedded
    assert narrative.committee == [("นายสมชาย ใจดี", "ผู้อำนวยการกลุ่มนโยบายและแผน")]
    assert AnswerEvidence.objects.count() == 0


def test_the_office_digit_style_reaches_the_narrative(draft):
    draft.office.report_digits = "arabic"
    draft.office.save()
    draft.refresh_from_db()
    assert draft.narrative().digits == "arabic"


def test_a_fiscal_year_typed_in_ce_is_refused_with_the_be_hint(office_a, planner_a, plan_a):
    with pytest.raises(ValidationError) as exc:
        services.request_report(office_a, 2026, by=planner_a)
    assert "2569" in " ".join(exc.value.messages)
    assert not AnnualReport.objects.exists() and not OutgoingLetter.objects.exists()
