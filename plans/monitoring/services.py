"""State changes of quarterly reports: starting, saving, the review workflow and evidence files.

Workflow (issue 5, docs/workflows.md):

    (none) → draft            start_report      project owner or plan officer, from the quarter's first day
    draft | returned → itself save_report       project owner or plan officer; optimistic concurrency on ``version``
    draft | returned → submitted   submit_report     project owner (until approved; late is allowed, and shown)
    submitted | accepted → returned return_report   plan officer, or the head of the project's division; comment required
    submitted → accepted      accept_report     plan officer
    accepted → approved       approve_report    director (page, inbox and admin alike); approved is locked
    approved → returned       reopen_report     plan officer or director, with the reason

Every transition runs in ``transaction.atomic``, re-reads the report with ``select_for_update``,
checks the actor's role (``PermissionDenied``), refuses an illegal move with ``ValidationError``
(Thai through gettext), saves with ``update_fields``, raises ``version`` and writes a
:class:`ReportTransition`. Nothing else assigns ``QuarterlyReport.status``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from emes import thai
from emes.access import roles_in
from emes.fields import NUMBER_RULES, NumberKind, NumberRule, number_problem, parse_number
from emes.fiscal import Quarter
from emes.audit.services import record_transition
from emes.models import Role
from emes.uploads import evidence_extensions, read_evidence, removing_files_on_rollback, save_file

from ..access import can_approve, can_file, can_reopen, can_return, can_review, can_submit
from . import notices
from ..models import (
    BudgetSource,
    Evidence,
    Indicator,
    IndicatorResult,
    Project,
    QuarterlyReport,
    ReportDisbursement,
)

Status = QuarterlyReport.Status
#: Statuses in which the owner (or the plan officer) may change the report and its evidence.
EDITABLE = (Status.DRAFT, Status.RETURNED)
#: The fields of the report a filer types (``save_report(data=...)``).
REPORT_FIELDS = ("implementation", "progress", "activities_done", "outcomes", "problems", "suggestions")
ZERO = Decimal("0")
CENT = Decimal("0.01")
#: ``QuarterlyReport.progress``: a whole percentage 0-100.
PROGRESS_RULE = NumberRule(NUMBER_RULES[NumberKind.PERCENT].min_value, NUMBER_RULES[NumberKind.PERCENT].max_value, 0)
#: Largest evidence file accepted (bytes) unless the setting ``EMES_EVIDENCE_MAX_BYTES`` says otherwise.


def allowed_actions(user, report: QuarterlyReport) -> set[str]:
    """The transitions ``user`` may ask of ``report`` now: a subset of submit, return, accept, approve, reopen."""
    project, status, out = report.project, report.status, set()
    if status in EDITABLE and can_submit(user, project):
        out.add("submit")
    if can_return(user, project, status):
        out.add("return")
    if status == Status.SUBMITTED and Role.PLAN_OFFICER in roles_in(user, project.office):
        out.add("accept")
    if status == Status.ACCEPTED and can_approve(user, project):
        out.add("approve")
    if status == Status.APPROVED and can_reopen(user, project):
        out.add("reopen")
    return out


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return QuarterlyReport.objects.select_for_update().select_related("project__office").get(pk=report.pk)


def _move(report: QuarterlyReport, new: str, *, by, comment: str = "", extra: Iterable[str] = ()) -> QuarterlyReport:
    old = report.status
    report.status = new
    report.version += 1
    report.updated_by = by
    report.save(update_fields=["status", "version", "updated_by", "updated_at", *extra])
    record_transition(report, by=by, from_status=old, to_status=new, comment=comment)
    notices.report_moved(report, old, new, by=by, comment=comment)
    return report


def _wrong_state(message: str, report: QuarterlyReport) -> ValidationError:
    """``message`` has a ``%(status)s`` slot for the report's current status."""
    return ValidationError(message % {"status": report.get_status_display()}, code="state")


def locked_message(report: QuarterlyReport) -> str:
    """Why ``report`` cannot be edited now (Thai through gettext)."""
    if report.status == Status.APPROVED:
        return _("This report is approved and locked; the plan officer or the director can reopen it, giving the reason.")
    return _("This report is %(status)s: it can be changed again only if the reviewer returns it.") % {"status": report.get_status_display()}


# --- Starting and saving ---------------------------------------------------------------------------


def start_report(project: Project, quarter: int, *, by) -> QuarterlyReport:
    """The project's report of ``quarter`` (1-4), created as a draft if it does not exist yet.

    A report can be started from the quarter's first day (issue 5, "Reporting periods"); a future
    quarter is refused with ``ValidationError``. Only the project owner or the plan officer may
    start one (``PermissionDenied``). An existing report is returned as it is.
    """
    existing = QuarterlyReport.objects.filter(project=project, quarter=quarter).first()
    if existing is not None:
        return existing
    if not can_file(by, project):
        raise PermissionDenied(_("Only the project owner or the plan officer may file this project's reports."))
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("A quarter is 1, 2, 3 or 4."), code="quarter")
    period = Quarter(project.fiscal_year, quarter)
    if timezone.localdate() < period.start:
        raise ValidationError(
            _("Q%(q)s/%(fy)s has not started yet: its report can be started from %(start)s.")
            % {"q": quarter, "fy": project.fiscal_year, "start": thai.be_date(period.start)},
            code="future",
        )
    try:
        with transaction.atomic():
            report = QuarterlyReport.objects.create(project=project, quarter=quarter, updated_by=by)
            record_transition(report, by=by, from_status="", to_status=Status.DRAFT)
    except IntegrityError:  # started meanwhile by another request
        report = QuarterlyReport.objects.get(project=project, quarter=quarter)
    return report


def _decimal(value: Any) -> Decimal | None:
    """A number given as Decimal, int or typed text (Thai digits, thousands separators: ``emes.fields``); None if not one."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    try:
        number = parse_number(str(value))
    except (ValidationError, InvalidOperation):
        return None
    return number if number is None or number.is_finite() else None


def _clean_results(project: Project, results: Iterable[dict[str, Any]], problems: list[str]) -> list[IndicatorResult]:
    rows = list(results)
    ids = {r["indicator"].pk if isinstance(r["indicator"], Indicator) else int(r["indicator"]) for r in rows}
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=ids)}
    out: list[IndicatorResult] = []
    seen: set[int] = set()
    for row in rows:
        pk = row["indicator"].pk if isinstance(row["indicator"], Indicator) else int(row["indicator"])
        indicator = indicators.get(pk)
        if indicator is None or indicator.project_id != project.pk:
            problems.append(_("Indicator no. %(pk)s is not an indicator of this project; its result was refused.") % {"pk": pk})
            continue
        if pk in seen:
            problems.append(_("%(name)s: one result per indicator.") % {"name": indicator.name})
            continue
        seen.add(pk)
        if indicator.is_percentage:
            numerator, denominator = _decimal(row.get("numerator")), _decimal(row.get("denominator"))
            if numerator is None or denominator is None:
                problems.append(_("%(name)s: give both the numerator and the denominator.") % {"name": indicator.name})
                continue
            if denominator <= 0:
                problems.append(_("%(name)s: the denominator must be more than 0.") % {"name": indicator.name})
                continue
            if numerator < 0 or numerator > denominator:
                problems.append(
                    _("%(name)s: the numerator (%(n)s) must be between 0 and the denominator (%(d)s).")
                    % {"name": indicator.name, "n": numerator, "d": denominator}
                )
                continue
            actual = (numerator / denominator * 100).quantize(CENT, rounding=ROUND_HALF_UP)
            out.append(IndicatorResult(indicator=indicator, actual=actual, numerator=numerator, denominator=denominator))
        else:
            actual = _decimal(row.get("actual"))
            if actual is None:
                problems.append(_("%(name)s: give the actual value.") % {"name": indicator.name})
                continue
            # The indicator's range (a count ≥ 0 and whole, a percentage 0-100): every writer passes here.
            problem = number_problem(actual, indicator.result_rule())
            if problem:
                problems.append(_("%(name)s: %(problem)s") % {"name": indicator.name, "problem": problem})
                continue
            out.append(IndicatorResult(indicator=indicator, actual=actual))
    return out


def _clean_disbursements(
    project: Project, report: QuarterlyReport, disbursements: Iterable[dict[str, Any]], problems: list[str]
) -> list[ReportDisbursement]:
    out: list[ReportDisbursement] = []
    seen: set[str] = set()
    for row in disbursements:
        source, amount = row["source"], _decimal(row.get("amount"))
        if source not in BudgetSource.values:
            problems.append(_("Unknown budget source: %(source)s.") % {"source": source})
            continue
        label = str(BudgetSource(source).label)
        if source in seen:
            problems.append(_("%(source)s appears twice: one amount per source.") % {"source": label})
            continue
        seen.add(source)
        if amount is None:
            continue
        if amount < 0:
            problems.append(_("%(source)s: the amount disbursed cannot be negative.") % {"source": label})
            continue
        problem = number_problem(amount, NumberKind.MONEY)
        if problem:
            problems.append(_("%(name)s: %(problem)s") % {"name": label, "problem": problem})
            continue
        if amount:
            out.append(ReportDisbursement(source=source, amount=amount))
    if problems:
        return out

    # Cumulative rule: what the project's reports disbursed, all quarters together, never exceeds the
    # allocation — per source when the project has budget lines (their amounts), else the budget.
    before = dict(
        ReportDisbursement.objects.filter(report__project=project).exclude(report=report)
        .values_list("source").annotate(total=Sum("amount")).values_list("source", "total")
    )
    lines = {line.source: line.amount for line in project.budget_lines.all()}
    if lines:
        for d in out:
            allocated = lines.get(d.source, ZERO)
            earlier = before.get(d.source) or ZERO
            if earlier + d.amount > allocated:
                problems.append(
                    _("%(source)s: %(earlier)s baht disbursed in the other quarters + %(amount)s baht now = %(total)s baht, "
                      "more than the allocation of %(allocated)s baht (at most %(left)s baht can still be disbursed).")
                    % {"source": str(BudgetSource(d.source).label), "earlier": thai.baht(earlier), "amount": thai.baht(d.amount),
                       "total": thai.baht(earlier + d.amount), "allocated": thai.baht(allocated), "left": thai.baht(max(allocated - earlier, ZERO))}
                )
    if not problems:
        # The total against the budget, from the reports' totals (kept equal to their rows by this module).
        earlier = QuarterlyReport.objects.filter(project=project).exclude(pk=report.pk).aggregate(t=Sum("budget_disbursed"))["t"] or ZERO
        now = sum((d.amount for d in out), ZERO)
        if earlier + now > project.budget:
            problems.append(
                _("%(earlier)s baht disbursed in the other quarters + %(amount)s baht now = %(total)s baht, "
                  "more than the project's allocation of %(allocated)s baht (at most %(left)s baht can still be disbursed).")
                % {"earlier": thai.baht(earlier), "amount": thai.baht(now), "total": thai.baht(earlier + now),
                   "allocated": thai.baht(project.budget), "left": thai.baht(max(project.budget - earlier, ZERO))}
            )
    return out


def stale_message(report: QuarterlyReport) -> str:
    """The refusal of a save based on an older version: who saved the newer one, and when."""
    by = report.updated_by
    return _(
        "Someone else saved this report in the meantime (version %(version)s, by %(by)s, %(at)s); nothing of yours was saved. "
        "Open the report again to see their changes, then make yours."
    ) % {"version": report.version, "by": (by.get_full_name() or by.username) if by else "-", "at": thai.be_datetime(report.updated_at)}


def save_report(
    report: QuarterlyReport,
    *,
    by,
    data: dict[str, Any],
    expected_version: int,
    results: Iterable[dict[str, Any]] | None = None,
    disbursements: Iterable[dict[str, Any]] | None = None,
) -> QuarterlyReport:
    """Save what the filer typed into ``report``; all or nothing.

    - ``data``: any of ``REPORT_FIELDS`` (``progress`` an int 0-100 %, ``implementation`` an
      ``Implementation`` value, texts); keys not given stay.
    - ``expected_version``: the ``version`` the filer's form was built from. If the report has
      moved on since (someone else saved it, or it changed status), the save is refused with
      ``ValidationError`` (code ``stale``) and nothing is written: optimistic concurrency (issue 5).
    - ``results``: the full new list ``[{"indicator": Indicator or pk, "actual", "numerator",
      "denominator"}]``; indicators left out get no result. A percentage indicator needs numerator
      and denominator (0 ≤ numerator ≤ denominator, denominator > 0); its actual is
      numerator / denominator × 100 rounded to 2 decimals. ``None`` keeps the current results.
    - ``disbursements``: the full new list ``[{"source": BudgetSource, "amount": baht}]`` of this
      quarter; ``budget_disbursed`` becomes their sum. Amounts ≥ 0; the project's cumulative
      disbursement over all its reports may not exceed the allocation (per source when it has
      budget lines), refused with the numbers. ``None`` keeps the current rows.

    Raises ``PermissionDenied`` unless ``by`` is the project owner or the plan officer, and
    ``ValidationError`` (every problem, Thai) when the report is not a draft or returned, or a value
    breaks a rule. Returns the saved report with its new ``version``.
    """
    if not can_file(by, report.project):
        raise PermissionDenied(_("Only the project owner or the plan officer may file this project's reports."))
    with transaction.atomic():
        # The project first: two quarters saved at once must not both pass the cumulative check.
        project = Project.objects.select_for_update().select_related("office").get(pk=report.project_id)
        current = _locked(report)
        if current.status not in EDITABLE:
            raise ValidationError(locked_message(current), code="locked")
        if current.version != expected_version:
            raise ValidationError(stale_message(current), code="stale")
        problems: list[str] = []
        fields = {k: v for k, v in data.items() if k in REPORT_FIELDS}
        if "progress" in fields:
            # A whole percentage (the column is an integer): 45.5 is refused, not cut to 45.
            progress = _decimal(fields["progress"])
            problem = number_problem(progress, PROGRESS_RULE) if progress is not None else None
            if progress is None:
                problems.append(_("Progress is a percentage from 0 to 100."))
            elif problem:
                problems.append(_("%(name)s: %(problem)s") % {"name": _("Progress"), "problem": problem})
            else:
                fields["progress"] = int(progress)
        if "implementation" in fields and fields["implementation"] not in QuarterlyReport.Implementation.values:
            problems.append(_("Unknown implementation status."))
        new_results = _clean_results(project, results, problems) if results is not None else None
        new_disbursements = _clean_disbursements(project, current, disbursements, problems) if disbursements is not None else None
        if problems:
            raise ValidationError(problems)

        changed = [k for k, v in fields.items() if getattr(current, k) != v]
        for k in changed:
            setattr(current, k, fields[k])
        if new_disbursements is not None:
            current.budget_disbursed = sum((d.amount for d in new_disbursements), ZERO)
            changed.append("budget_disbursed")
            current.disbursements.all().delete()
            for d in new_disbursements:
                d.report = current
            ReportDisbursement.objects.bulk_create(new_disbursements)
        if new_results is not None:
            current.results.all().delete()
            for r in new_results:
                r.report = current
            IndicatorResult.objects.bulk_create(new_results)
        current.version += 1
        current.updated_by = by
        current.save(update_fields=[*dict.fromkeys(changed), "version", "updated_by", "updated_at"])
    return current


# --- The review workflow ---------------------------------------------------------------------------


def submit_report(report: QuarterlyReport, *, by, comment: str = "") -> QuarterlyReport:
    """Draft | returned → submitted, by the project owner; sets ``submitted_at`` (lateness is measured from it)."""
    if not can_submit(by, report.project):
        raise PermissionDenied(_("Only the project owner submits the project's reports."))
    with transaction.atomic():
        report = _locked(report)
        if report.status not in EDITABLE:
            raise _wrong_state(_("This report cannot be submitted now (it is: %(status)s)."), report)
        report.submitted_at = timezone.now()
        return _move(report, Status.SUBMITTED, by=by, comment=(comment or "").strip(), extra=["submitted_at"])


def return_report(report: QuarterlyReport, *, by, comment: str) -> QuarterlyReport:
    """Submitted | accepted → returned with a required comment: by the plan officer or the head of the project's
    division, or, once accepted, by the director instead of approving it (``plans.access.can_return``; docs/workflows.md)."""
    if not (can_review(by, report.project) or can_approve(by, report.project)):
        raise PermissionDenied(_("Only the plan officer or the head of the project's division may return this report."))
    if not (comment or "").strip():
        raise ValidationError(_("Say what must be revised: a comment is required to return the report."), code="comment")
    with transaction.atomic():
        report = _locked(report)
        if report.status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise _wrong_state(_("This report cannot be returned now (it is: %(status)s)."), report)
        if not can_return(by, report.project, report.status):  # the director: accepted reports only
            raise _wrong_state(_("The director returns a report only once the plan officer has accepted it (it is: %(status)s)."), report)
        return _move(report, Status.RETURNED, by=by, comment=comment.strip())


def accept_report(report: QuarterlyReport, *, by, comment: str = "") -> QuarterlyReport:
    """Submitted → accepted, by the plan officer; the report then waits for the director's approval."""
    if Role.PLAN_OFFICER not in roles_in(by, report.project.office):
        raise PermissionDenied(_("Only the plan officer accepts reports."))
    with transaction.atomic():
        report = _locked(report)
        if report.status != Status.SUBMITTED:
            raise _wrong_state(_("This report cannot be accepted now (it is: %(status)s)."), report)
        return _move(report, Status.ACCEPTED, by=by, comment=(comment or "").strip())


def approve_report(report: QuarterlyReport, *, by, comment: str = "") -> QuarterlyReport:
    """Accepted → approved, by the director. An approved report is locked (``reopen_report`` undoes it)."""
    if not can_approve(by, report.project):
        raise PermissionDenied(_("Only the director approves reports."))
    with transaction.atomic():
        report = _locked(report)
        if report.status != Status.ACCEPTED:
            raise _wrong_state(_("This report cannot be approved now (it is: %(status)s)."), report)
        return _move(report, Status.APPROVED, by=by, comment=(comment or "").strip())


@dataclass
class Outcome:
    """What happened to one report of a bulk approval: ``ok``, or the ``message`` saying why not."""

    report: QuarterlyReport
    ok: bool
    message: str = ""


def approve_reports(reports: Iterable[QuarterlyReport], *, by) -> list[Outcome]:
    """Approve each of ``reports`` on its own (one refusal does not stop the others); one ``Outcome`` per report.

    One outer transaction (each approval a savepoint): the owners' e-mails are asked for once it commits, so an
    owner of ten approved reports gets one mail listing the ten (issue 17).
    """
    out = []
    with transaction.atomic():
        out = _approve_each(reports, by=by)
    return out


def _approve_each(reports: Iterable[QuarterlyReport], *, by) -> list[Outcome]:
    out = []
    for report in reports:
        try:
            approve_report(report, by=by)
        except PermissionDenied as exc:
            out.append(Outcome(report, False, str(exc) or _("Only the director approves reports.")))
        except ValidationError as exc:
            out.append(Outcome(report, False, " ".join(exc.messages)))
        else:
            out.append(Outcome(report, True))
    return out


def reopen_report(report: QuarterlyReport, *, by, reason: str) -> QuarterlyReport:
    """Approved → returned, by the plan officer or the director, with the reason recorded (docs/workflows.md)."""
    if not can_reopen(by, report.project):
        raise PermissionDenied(_("Only the plan officer or the director may reopen an approved report."))
    if not (reason or "").strip():
        raise ValidationError(_("Give the reason for reopening the approved report."), code="reason")
    with transaction.atomic():
        report = _locked(report)
        if report.status != Status.APPROVED:
            raise _wrong_state(_("This report cannot be reopened now (it is: %(status)s)."), report)
        return _move(report, Status.RETURNED, by=by, comment=reason.strip())


# --- Evidence files --------------------------------------------------------------------------------

#: The extensions accepted, as said on the page (the kinds and their check live in ``emes.uploads``).
EVIDENCE_EXTENSIONS = evidence_extensions()


def add_evidence(report: QuarterlyReport, file, *, by) -> Evidence:
    """Attach the uploaded ``file`` (a Django ``UploadedFile``) to ``report`` as evidence.

    Accepted: PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint (.docx/.xlsx/.pptx and the legacy
    .doc/.xls/.ppt), told by the content; the name's extension must agree with the content (a
    renamed file is refused); at most ``evidence_max_bytes()``. The shown name is sanitised
    (``sanitise_filename``); the file is stored in the default (private) storage under a random
    name. Only the owner or the plan officer, while the report is a draft or returned.
    Raises ``PermissionDenied`` / ``ValidationError`` (Thai); nothing is stored then.
    """
    if not can_file(by, report.project):
        raise PermissionDenied(_("Only the project owner or the plan officer may add evidence to this report."))
    upload = read_evidence(file)
    with removing_files_on_rollback():
        current = _locked(report)
        if current.status not in EDITABLE:
            raise ValidationError(locked_message(current), code="locked")
        evidence = Evidence(report=current, original_name=upload.name, content_type=upload.content_type, size=len(upload.data), uploaded_by=by)
        save_file(evidence.file, upload.stored_name, ContentFile(upload.data))
        evidence.save()
    return evidence


def remove_evidence(evidence: Evidence, *, by) -> None:
    """Delete an evidence file, by its uploader or the plan officer, while the report is a draft or returned.

    The stored file is deleted once the row's deletion is committed.
    """
    report = evidence.report
    roles = roles_in(by, report.project.office)
    if not (Role.PLAN_OFFICER in roles or (evidence.uploaded_by_id == by.pk and can_file(by, report.project))):
        raise PermissionDenied(_("Only the one who uploaded the file or the plan officer may remove it."))
    with transaction.atomic():
        current = _locked(report)
        if current.status not in EDITABLE:
            raise ValidationError(locked_message(current), code="locked")
        storage, path = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(path))
