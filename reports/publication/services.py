"""State changes of the annual report's life: the memo, the narrative, submit, return, approve, publish, circulate.

Every transition is one function: it checks the actor's role (``reports.access``), runs in
``transaction.atomic``, re-reads the version with ``select_for_update``, refuses an illegal move with a
``ValidationError`` (Thai through gettext), saves with ``update_fields`` and writes an
:class:`AnnualReportTransition` through ``emes.audit.services.record_transition`` (who, when, from, to,
comment). Views, the admin actions and commands call these; nothing else assigns ``AnnualReport.status``.
Rules and their source: docs/annual-report.md, "The life of a report" (M&E manual ข้อ ๑.๖, ข้อ ๑.๑(๘)).
"""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from emes.audit.services import record_transition
from emes.fiscal import parse_fiscal_year
from emes.models import Office, Role
from emes.notifications.services import notify_many
from emes.text import clean_text
from emes.thai import be_date

from .. import services as build_services
from ..annual import draft_executive_summary
from ..access import can_approve, can_write, require
from ..letters.content import LetterContent
from ..letters.models import OutgoingLetter
from ..letters.services import register_letter
from .models import AnnualReport, CommitteeMember, ReportPhoto
from .selectors import resolve_photo, running_build, unreviewed_reports

Status = AnnualReport.Status

#: Longest narrative text kept (characters): a few pages each.
TEXT_LIMIT = 20_000
#: Most committee rows and photographs per version.
ROWS_LIMIT = 60


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("office").get(pk=report.pk)


def _refuse_status(report: AnnualReport, allowed: Iterable[str], message: str) -> None:
    if report.status not in allowed:
        raise ValidationError(message % {"status": report.get_status_display()}, code="status")


def _record(report: AnnualReport, old: str, new: str, *, by, comment: str = "") -> None:
    record_transition(report, by=by, from_status=old, to_status=new, comment=comment)


def _director_title(office: Office) -> str:
    return office.director_position or f"ผู้อำนวยการ{office.full_name}"


def request_report(office: Office, fiscal_year: int, *, by) -> AnnualReport:
    """Step 1: the memo to the director asking to prepare the report, and version 1 as a draft; returns it.

    The memo (บันทึกข้อความ) is numbered in the office's outgoing register (``reports.letters``). The draft's
    executive summary starts from the figures (``reports.annual.draft_executive_summary``). Raises ``PermissionDenied``
    unless ``by`` is the plan officer, ``ValidationError`` (code ``exists``) when the year already has a report,
    (``ce_year``) for a year typed in the Common Era.
    """
    require(can_write, by, office)
    fiscal_year = parse_fiscal_year(fiscal_year)  # a CE year (2026) is refused with the BE hint (2569)
    if AnnualReport.objects.filter(office=office, fiscal_year=fiscal_year).exists():
        raise ValidationError(_("The annual report of fiscal year %(year)s has already been requested.") % {"year": fiscal_year}, code="exists")
    unit = office.letters_unit or "กลุ่มนโยบายและแผน"
    content = LetterContent(
        salutation=_director_title(office),
        paragraphs=(
            f"ตามที่{unit} กลุ่มงานติดตาม ประเมินผล และรายงานผล มีหน้าที่จัดทำรายงานผลการดำเนินงานประจำปีงบประมาณ "
            f"เพื่อรายงานต่อสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานและเผยแพร่ต่อสาธารณะ นั้น",
            f"ในการนี้ {unit} จึงขออนุญาตจัดทำรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {fiscal_year} "
            f"ของ{office.full_name} โดยรวบรวมและวิเคราะห์ผลการดำเนินงานของปีจากระบบ EMES "
            f"นำเสนอผู้บริหารพิจารณา จัดพิมพ์ เผยแพร่ และแจ้งเวียนกลุ่มต่าง ๆ ต่อไป",
            "จึงเรียนมาเพื่อโปรดพิจารณาอนุญาต",
        ),
        # The plan officer writes to the director: the memo is signed by the requester, not by its addressee.
        signer_name=(by.get_full_name() or by.username) if by is not None else "",
        signer_position="นักวิเคราะห์นโยบายและแผน",
    )
    summary = draft_executive_summary(office, fiscal_year)
    try:
        with transaction.atomic():
            memo = register_letter(
                office=office, kind=OutgoingLetter.Kind.MEMO, by=by, content=content, recipient=_director_title(office),
                subject=f"ขออนุญาตจัดทำรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {fiscal_year}",
            )
            report = AnnualReport.objects.create(
                office=office, fiscal_year=fiscal_year, version=1, executive_summary=summary, request_memo=memo, created_by=by
            )
            _record(report, "", Status.DRAFT, by=by, comment=_("Memo %(no)s to the director asking to prepare the report.") % {"no": memo.letter_no})
    except IntegrityError:  # requested meanwhile by another request
        raise ValidationError(_("The annual report of fiscal year %(year)s has already been requested.") % {"year": fiscal_year}, code="exists") from None
    return report


def _clean_rows(rows: Iterable, field: str) -> list:
    cleaned = list(rows)
    if len(cleaned) > ROWS_LIMIT:
        raise ValidationError({field: _("At most %(n)s rows.") % {"n": ROWS_LIMIT}})
    return cleaned


def update_narrative(
    report: AnnualReport,
    *,
    by,
    foreword: str,
    executive_summary: str,
    problems_synthesis: str,
    committee: Iterable[tuple[str, str]] = (),
    photos: Iterable[tuple[str, str]] = (),
) -> AnnualReport:
    """Step 4 (write it): replace the narrative of a draft or returned version, all or nothing.

    ``committee`` is ``[(name, position), ...]`` in order (blank names skipped); ``photos`` ``[(choice key,
    caption), ...]`` of ``selectors.photo_choices`` (image evidence of the office's year only). Raises
    ``PermissionDenied`` unless ``by`` is the plan officer; ``ValidationError`` (by field) when the version is
    submitted or approved (an approved version never changes: open a new version), a text is too long, or a
    photograph is not one of the office's images of the year. Nothing is saved when anything is wrong.
    """
    require(can_write, by, report.office)
    texts = {
        "foreword": clean_text(foreword, multiline=True),
        "executive_summary": clean_text(executive_summary, multiline=True),
        "problems_synthesis": clean_text(problems_synthesis, multiline=True),
    }
    errors = {}
    for name, text in texts.items():
        if len(text) > TEXT_LIMIT:
            errors[name] = _("At most %(n)s characters.") % {"n": f"{TEXT_LIMIT:,}"}
    members = [(clean_text(n)[:200], clean_text(p)[:200]) for n, p in _clean_rows(committee, "committee")]
    members = [(n, p) for n, p in members if n]
    chosen = []
    for i, (key, caption) in enumerate(_clean_rows(photos, "photos"), 1):
        source = resolve_photo(report.office, report.fiscal_year, key)
        if source is None or not next(iter(source.values())).content_type.startswith("image/"):
            errors.setdefault("photos", _("Photograph %(n)s is not an image among this office's evidence files of the year.") % {"n": i})
            continue
        chosen.append((source, clean_text(caption)[:300]))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = _locked(report)
        if not report.is_editable:
            raise ValidationError(
                _("Version %(version)s is %(status)s and cannot be edited.") % {"version": report.version, "status": report.get_status_display()},
                code="status",
            )
        for name, text in texts.items():
            setattr(report, name, text)
        report.save(update_fields=[*texts, "updated_at"])
        report.committee.all().delete()
        CommitteeMember.objects.bulk_create(CommitteeMember(report=report, name=n, position=p, order=i) for i, (n, p) in enumerate(members, 1))
        report.photos.all().delete()
        ReportPhoto.objects.bulk_create(ReportPhoto(report=report, caption=c, order=i, **src) for i, (src, c) in enumerate(chosen, 1))
    return report


def submit_report(report: AnnualReport, *, by, comment: str = "") -> AnnualReport:
    """Step 5: draft or returned → submitted to the director, by the plan officer."""
    require(can_write, by, report.office)
    with transaction.atomic():
        report = _locked(report)
        _refuse_status(report, AnnualReport.EDITABLE, _("Only a draft or returned report can be submitted (this one is: %(status)s)."))
        if not report.foreword.strip() or not report.executive_summary.strip():
            raise ValidationError(_("Write the foreword and the executive summary before submitting."), code="incomplete")
        old = report.status
        report.status = Status.SUBMITTED
        report.save(update_fields=["status", "updated_at"])
        _record(report, old, Status.SUBMITTED, by=by, comment=clean_text(comment, multiline=True))
    return report


def return_report(report: AnnualReport, *, by, comment: str) -> AnnualReport:
    """Submitted → returned, by the director, with a required comment saying what to revise."""
    require(can_approve, by, report.office)
    comment = clean_text(comment, multiline=True)
    if not comment:
        raise ValidationError({"comment": _("Say what must be revised: a comment is required to return the report.")})
    with transaction.atomic():
        report = _locked(report)
        _refuse_status(report, [Status.SUBMITTED], _("Only a submitted report can be returned (this one is: %(status)s)."))
        report.status = Status.RETURNED
        report.save(update_fields=["status", "updated_at"])
        _record(report, Status.SUBMITTED, Status.RETURNED, by=by, comment=comment)
    return report


class UnreviewedReports(ValidationError):
    """Approval asked while quarterly reports of the year wait for review: confirm to approve anyway."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(
            ngettext(
                "%(n)s quarterly report of this fiscal year has not been reviewed yet: its figures are not checked.",
                "%(n)s quarterly reports of this fiscal year have not been reviewed yet: their figures are not checked.",
                count,
            ) % {"n": count},
            code="unreviewed",
        )


def approve_report(report: AnnualReport, *, by, comment: str = "", confirm_unreviewed: bool = False) -> AnnualReport:
    """Submitted → approved, by the director; freezes the version and queues the build of its frozen PDF.

    Raises :class:`UnreviewedReports` (a ``ValidationError``, code ``unreviewed``, naming how many) when
    quarterly reports of the year still wait for review, unless ``confirm_unreviewed`` (the confirm step);
    ``ValidationError`` (``busy``) while a build of the year runs. The build that follows approval prints the
    approval date and is stored as the frozen PDF with its checksum and data-as-of time
    (``freezing.store_frozen_pdf``); the narrative is frozen at once.
    """
    require(can_approve, by, report.office)
    with transaction.atomic():
        report = _locked(report)
        _refuse_status(report, [Status.SUBMITTED], _("Only a submitted report can be approved (this one is: %(status)s)."))
        waiting = unreviewed_reports(report.office, report.fiscal_year).count()
        if waiting and not confirm_unreviewed:
            raise UnreviewedReports(waiting)
        report.status = Status.APPROVED
        report.approved_by = by
        report.approved_at = timezone.now()
        report.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        note = clean_text(comment, multiline=True)
        if waiting:
            note = (note + "\n" if note else "") + _("Approved with %(n)s quarterly reports not yet reviewed.") % {"n": waiting}
        _record(report, Status.SUBMITTED, Status.APPROVED, by=by, comment=note)
        build_services.queue_build(report.office, report.fiscal_year, by=by, report=report)
    return report


def freeze_again(report: AnnualReport, *, by) -> AnnualReport:
    """Queue the freezing build again for an approved version whose first one failed (it has no PDF yet)."""
    require(build_services.can_build, by, report.office)
    with transaction.atomic():
        report = _locked(report)
        if report.status != Status.APPROVED or report.file:
            raise ValidationError(_("Only an approved version without its frozen PDF is built again."), code="frozen")
        build_services.queue_build(report.office, report.fiscal_year, by=by, report=report)
    return report


def publish_report(report: AnnualReport, *, by) -> AnnualReport:
    """Step 9: approved (with its frozen PDF) → published on the office's public page, by the plan officer."""
    require(can_write, by, report.office)
    with transaction.atomic():
        report = _locked(report)
        _refuse_status(report, [Status.APPROVED], _("Only an approved report can be published (this one is: %(status)s)."))
        if not report.file:
            raise ValidationError(_("The approved PDF is still being built; publish it once it is ready."), code="not_frozen")
        report.status = Status.PUBLISHED
        report.published_at = timezone.now()
        report.save(update_fields=["status", "published_at", "updated_at"])
        _record(report, Status.APPROVED, Status.PUBLISHED, by=by)
    return report


def circulation_recipients(office: Office):
    """Who is told of a published report (step 8): the director, the division heads and the viewers (committees)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        memberships__office=office, memberships__role__in=[Role.DIRECTOR, Role.DIVISION_HEAD, Role.VIEWER], is_active=True
    ).distinct()


def circulate_report(report: AnnualReport, *, by) -> AnnualReport:
    """Step 8: register the memo that circulates a published version to the divisions and notify the recipients.

    Once per version (``ValidationError`` code ``circulated`` the second time). The memo's number and the
    number of people notified are recorded in the version's history.
    """
    require(can_write, by, report.office)
    with transaction.atomic():
        report = _locked(report)
        _refuse_status(report, [Status.PUBLISHED], _("Only a published report is circulated (this one is: %(status)s)."))
        if report.circulated_at:
            raise ValidationError(_("This version was already circulated on %(date)s.") % {"date": be_date(report.circulated_at)}, code="circulated")
        office = report.office
        public_url = reverse("public:office", args=[office.area_code])
        memo = register_letter(
            office=office, kind=OutgoingLetter.Kind.MEMO, by=by, recipient="ผู้อำนวยการกลุ่มทุกกลุ่ม",
            subject=f"แจ้งเวียนรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {report.fiscal_year}",
            content=LetterContent(
                salutation="ผู้อำนวยการกลุ่มทุกกลุ่ม",
                paragraphs=(
                    f"ด้วย{office.full_name} ได้จัดทำรายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {report.fiscal_year} "
                    f"ซึ่งผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาให้ความเห็นชอบแล้ว เมื่อวันที่ {be_date(report.approved_at)} "
                    f"และเผยแพร่บนหน้าเว็บไซต์ของสำนักงาน ({public_url}) แล้ว",
                    "จึงขอแจ้งเวียนเพื่อทราบ และใช้เป็นข้อมูลในการวางแผนและพัฒนางานของกลุ่มต่อไป",
                ),
                enclosures=(f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {report.fiscal_year} (ฉบับที่ {report.version})",),
            ),
        )
        recipients = list(circulation_recipients(office))
        sent = notify_many(
            recipients, office=office, url=public_url,
            title=f"รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. {report.fiscal_year} เผยแพร่แล้ว",
            body=f"บันทึกข้อความที่ {memo.letter_no}",
        )
        report.circulation_memo = memo
        report.circulated_at = timezone.now()
        report.save(update_fields=["circulation_memo", "circulated_at", "updated_at"])
        _record(report, Status.PUBLISHED, Status.PUBLISHED, by=by, comment=_("Circulated: memo %(no)s; %(n)s people notified.") % {"no": memo.letter_no, "n": sent})
    return report


def open_new_version(report: AnnualReport, *, by, reason: str) -> AnnualReport:
    """An approved (or published) version n → version n+1 as a draft with the same narrative, by the plan officer.

    Version n stays as approved, its frozen PDF unchanged (and published, if it was). Raises
    ``ValidationError`` without a reason, for a version not approved, or when the year already has an open version.
    """
    require(can_write, by, report.office)
    reason = clean_text(reason, multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the new version.")})
    try:
        with transaction.atomic():
            report = _locked(report)
            _refuse_status(report, AnnualReport.FROZEN, _("Only an approved report gets a new version (this one is: %(status)s)."))
            if AnnualReport.objects.filter(office=report.office, fiscal_year=report.fiscal_year, version__gt=report.version).exists():
                raise ValidationError(_("A newer version of this report already exists."), code="exists")
            newer = AnnualReport.objects.create(
                office=report.office, fiscal_year=report.fiscal_year, version=report.version + 1, reason=reason, created_by=by,
                foreword=report.foreword, executive_summary=report.executive_summary, problems_synthesis=report.problems_synthesis,
                request_memo=report.request_memo,
            )
            CommitteeMember.objects.bulk_create(CommitteeMember(report=newer, name=m.name, position=m.position, order=m.order) for m in report.committee.all())
            ReportPhoto.objects.bulk_create(
                ReportPhoto(report=newer, plan_evidence_id=p.plan_evidence_id, inspection_evidence_id=p.inspection_evidence_id, caption=p.caption, order=p.order)
                for p in report.photos.all()
            )
            _record(newer, "", Status.DRAFT, by=by, comment=reason)
    except IntegrityError:
        raise ValidationError(_("A newer version of this report is already open."), code="exists") from None
    return newer


__all__ = [
    "request_report", "update_narrative", "submit_report", "return_report", "approve_report", "UnreviewedReports",
    "freeze_again", "publish_report", "circulate_report", "open_new_version", "running_build",
]
