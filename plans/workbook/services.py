"""The action plan as an Excel workbook: template, export, and the import in two steps.

1. :func:`upload_plan_workbook` reads and checks the file against the office's plan and stores it as a
   :class:`~plans.models.PlanImport` (status ``previewed``) only if nothing is wrong; a bad file raises
   :class:`~plans.workbook.reader.PlanWorkbookError` (every problem by sheet, row and column) and leaves
   the database as it was.
2. :func:`preview_plan_import` shows what the stored file would create, change (field: old → new) and
   remove now; :func:`apply_plan_import` re-reads it under locks, refuses a stale preview (fingerprint),
   a plan that is not editable, or a second apply, and writes everything in one transaction, or nothing.

The plan must be editable (``plans.services.require_editable``: no plan yet, or a draft version);
the first import of a year creates version 1 (``plans.services.ensure_plan``). Only the plan officer
(``plans.services.PREPARERS``) uploads and applies; ``by=None`` is a management command run by the
server's administrator. Rules of the file: :mod:`plans.workbook.reader`; of the matching:
:mod:`plans.workbook.changes`.
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.access import roles_in
from emes.db import analyze
from emes.fiscal import is_be_year, parse_fiscal_year
from emes.models import Office
# The upload limit is EMES_IMPORT_MAX_BYTES (a 150-project plan is about 60 KB).
from emes.uploads import display_name, max_upload_bytes, read_bytes, removing_files_on_rollback, save_file, stored_name
from plans.models import ActionPlan, Activity, BudgetLine, Indicator, PlanImport, Project
from plans.services import PREPARERS, ensure_plan, require_editable

from .changes import PlanChanges, plan_changes, write_changes
from .reader import PlanWorkbookError, read_plan_workbook
from .template import PlanRows, example_rows, plan_rows, workbook_lists, write_workbook

def is_fiscal_year(year: int) -> bool:
    """Whether ``year`` can be a BE fiscal year (2500-2700); 2026 is a CE year, not one."""
    return is_be_year(year)


def check_fiscal_year(year: int) -> None:
    """Raise ``ValidationError`` (Thai, keyed ``fiscal_year``) unless ``year`` is a BE fiscal year; names the BE
    year of a CE one (``emes.fiscal.parse_fiscal_year``)."""
    parse_fiscal_year(year)


def _check_preparer(by, office: Office) -> None:
    # ``by=None`` is a management command run by the server's administrator.
    if by is not None and not roles_in(by, office) & PREPARERS:
        raise PermissionDenied(_("Only the plan officer may import the plan."))


# --------------------------------------------------------------------------------------------
# Template and export
# --------------------------------------------------------------------------------------------
def build_plan_template(office: Office, fiscal_year: int) -> bytes:
    """The empty workbook of ``office``'s plan for ``fiscal_year`` (BE) as ``.xlsx`` bytes.

    Instructions, the four data sheets with one example row each (skipped by the import), and the
    hidden lists of this office's divisions, the year's strategies, budget sources, ≥ / ≤,
    frequencies, yes / no and staff usernames behind the drop-downs.
    """
    check_fiscal_year(fiscal_year)
    lists = workbook_lists(office, fiscal_year)
    return write_workbook(office, fiscal_year, lists, PlanRows(), examples=example_rows(lists, fiscal_year),
                          max_upload_mb=max_upload_bytes() / 1024 / 1024)


def export_plan_workbook(office: Office, fiscal_year: int) -> bytes:
    """The plan of ``office`` for ``fiscal_year`` (BE) as ``.xlsx`` bytes, in the template's shape.

    Re-importing the export changes nothing. Money in baht as numbers, dates as real dates, text
    starting with = + - @ as text. 9 queries whatever the number of projects.
    """
    check_fiscal_year(fiscal_year)
    return write_workbook(office, fiscal_year, workbook_lists(office, fiscal_year), plan_rows(office, fiscal_year),
                          max_upload_mb=max_upload_bytes() / 1024 / 1024, exported=True)


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------
def check_plan_workbook(data: bytes, office: Office, fiscal_year: int, *, lock: bool = False) -> PlanChanges:
    """Read ``data`` and compare it with the plan: the :class:`PlanChanges` (nothing written).

    Raises :class:`PlanWorkbookError` listing every problem of the file and its codes.
    """
    parsed = read_plan_workbook(data, area_code=office.area_code, fiscal_year=fiscal_year)
    return plan_changes(parsed, office, fiscal_year, lock=lock)


def upload_plan_workbook(office: Office, fiscal_year: int, file: IO[bytes], *, by, limit_size: bool = True) -> PlanImport:
    """Check a plan workbook for ``office`` and ``fiscal_year`` (BE) and store it as a ``previewed`` import.

    ``file`` is an uploaded file (or any binary file object with a ``name``); it may not exceed
    :func:`max_upload_bytes` unless ``limit_size`` is false (management commands). Returns the new
    :class:`PlanImport` whose ``summary`` holds the preview's counts.

    Raises :class:`PlanWorkbookError` for a bad file (too big, not ``.xlsx``, bad cells, unknown codes,
    refused removals), ``ValidationError`` when the plan is submitted or approved (open an amendment
    first) or the year is not BE, ``PermissionDenied`` unless ``by`` is the plan officer. Nothing is
    stored then.
    """
    _check_preparer(by, office)
    check_fiscal_year(fiscal_year)
    require_editable(office, fiscal_year)
    name = display_name(getattr(file, "name", "") or "plan.xlsx", PlanImport._meta.get_field("original_name").max_length)
    data = read_bytes(file, max_upload_bytes() if limit_size else None)
    changes = check_plan_workbook(data, office, fiscal_year)
    with removing_files_on_rollback():
        plan_import = PlanImport(
            office=office, fiscal_year=fiscal_year, original_name=name,
            summary=changes.summary(), uploaded_by=by if getattr(by, "pk", None) else None,
        )
        # A short random stored name: the user's name (kept for display) could overflow the file column.
        save_file(plan_import.file, stored_name("xlsx"), ContentFile(data))
        plan_import.save()
    return plan_import


def _stored_bytes(plan_import: PlanImport) -> bytes:
    try:
        with plan_import.file.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, ValueError) as exc:
        raise PlanWorkbookError([_("The uploaded file is no longer stored; upload it again.")]) from exc


def preview_plan_import(plan_import: PlanImport, *, lock: bool = False) -> PlanChanges:
    """What the stored file of ``plan_import`` would do to the plan *now* (nothing written).

    Raises :class:`PlanWorkbookError` when the file no longer fits (e.g. a project meanwhile got a
    quarterly report, a division was removed).
    """
    return check_plan_workbook(_stored_bytes(plan_import), plan_import.office, plan_import.fiscal_year, lock=lock)


def apply_plan_import(plan_import: PlanImport, *, by, fingerprint: str | None = None) -> dict[str, Any]:
    """Write the stored file of ``plan_import`` into the plan, all or nothing.

    In one transaction: create version 1 of the plan if there is none (``ensure_plan``), lock the
    import row and the plan's versions (two imports, or an import and a submission, go one after the
    other), refuse unless the import is still ``previewed`` and the plan editable
    (``require_editable``), re-read the file against the locked projects, refuse if ``fingerprint``
    (the preview the user saw; ``None`` = no check) differs from the change set now, write, and mark
    the import ``applied`` with a conditional UPDATE.

    Returns the applied summary (``PlanChanges.summary()`` plus ``applied_by``). Raises
    ``ValidationError`` (already applied or discarded, stale preview, plan not editable, no plan and
    no user to create it), :class:`PlanWorkbookError` (the file no longer fits), ``PermissionDenied``.
    """
    office = plan_import.office
    _check_preparer(by, office)
    try:
        with transaction.atomic():
            current = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
            if current.status != PlanImport.Status.PREVIEWED:
                if current.status == PlanImport.Status.APPLIED:
                    raise ValidationError(_("This file has already been applied."))
                raise ValidationError(_("This file was discarded; upload it again to import it."))
            ensure_plan(office, current.fiscal_year, by=by)  # by=None: an operator's command
            # Lock every version: a submission or an amendment waits until the import is written.
            list(ActionPlan.objects.select_for_update().filter(office=office, fiscal_year=current.fiscal_year).values_list("pk", flat=True))
            require_editable(office, current.fiscal_year)
            current.office = office
            changes = preview_plan_import(current, lock=True)
            if fingerprint is not None and fingerprint != changes.fingerprint:
                raise ValidationError(_("The plan has changed since this preview was shown; check the new preview and apply again."))
            write_changes(changes)
            now = timezone.now()
            summary = {**changes.summary(), "applied_by": getattr(by, "username", "") or ""}
            updated = PlanImport.objects.filter(pk=current.pk, status=PlanImport.Status.PREVIEWED).update(
                status=PlanImport.Status.APPLIED, applied_at=now, summary=summary
            )
            if updated != 1:  # cannot happen under the row lock; kept so a refactor cannot lose the guard
                raise ValidationError(_("This file has already been applied."))
    except IntegrityError as exc:
        raise ValidationError(_("The plan changed while the file was being applied; open the preview again.")) from exc
    plan_import.status, plan_import.applied_at, plan_import.summary = PlanImport.Status.APPLIED, now, summary
    analyze(Project, Indicator, Activity, BudgetLine)  # fresh planner statistics once committed (emes.db, issue 18)
    return summary


def discard_plan_import(plan_import: PlanImport, *, by) -> None:
    """Mark a ``previewed`` import ``discarded`` (the stored file is kept as a record).

    Raises ``ValidationError`` if it was already applied or discarded; ``PermissionDenied`` unless
    ``by`` is the plan officer.
    """
    _check_preparer(by, plan_import.office)
    updated = PlanImport.objects.filter(pk=plan_import.pk, status=PlanImport.Status.PREVIEWED).update(status=PlanImport.Status.DISCARDED)
    if updated != 1:
        raise ValidationError(_("This file has already been applied or discarded."))
    plan_import.status = PlanImport.Status.DISCARDED


def import_plan_from_file(path: str | Path, office: Office, fiscal_year: int, *, by=None, dry_run: bool = False) -> tuple[PlanChanges, dict[str, Any] | None]:
    """Preview and apply a plan workbook in one go (management command, benchmark).

    Stores the file as a :class:`PlanImport` like an upload (no size limit), then applies it with the
    preview's fingerprint. With ``dry_run`` nothing is stored or changed. Returns ``(changes, applied
    summary or None)``; raises like :func:`upload_plan_workbook` and :func:`apply_plan_import`.
    """
    check_fiscal_year(fiscal_year)
    path = Path(path)
    data = path.read_bytes()
    require_editable(office, fiscal_year)
    changes = check_plan_workbook(data, office, fiscal_year)
    if dry_run:
        return changes, None
    with removing_files_on_rollback():
        plan_import = PlanImport(
            office=office, fiscal_year=fiscal_year, original_name=display_name(path.name, PlanImport._meta.get_field("original_name").max_length),
            summary=changes.summary(), uploaded_by=by,
        )
        save_file(plan_import.file, stored_name("xlsx"), ContentFile(data))
        plan_import.save()
        summary = apply_plan_import(plan_import, by=by, fingerprint=changes.fingerprint)
    return changes, summary
