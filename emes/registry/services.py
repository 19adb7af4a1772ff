"""Writes of the registry: the offices list, and school lists uploaded by an office's plan officer.

A school list goes through two steps (issue 3, "Registry"):

1. :func:`upload_school_file` reads and checks the file, compares it with the registry and stores
   it as a :class:`~emes.models.SchoolImport` row (status ``previewed``) only if nothing is wrong;
   a bad file raises :class:`~emes.registry.parsing.ImportFileError` and leaves the database as it was.
2. :func:`preview_school_import` shows what the stored file would add, change (field by field,
   old → new) and mark missing; :func:`apply_school_import` re-reads the stored file, re-checks it
   against the registry of that moment and writes everything in one transaction, or nothing.

Matching rules:

- A row is matched to a school by its 8-digit SMIS code; a row with only a 10-digit ministry code
  is matched by ``moe_code`` among the office's schools and can update, never add, a school (a
  school cannot be created without its SMIS code, the registry's key).
- A school registered under another office is an error, never a move; so is a new 8-digit code
  that starts with another office's 4-digit area code, unless the row's own area column names this
  office (17 primary offices of the 2022 national list hold schools with an older area's prefix,
  e.g. 3801 บึงกาฬ with 4302xxxx codes). 6-digit (secondary) offices have no prefix rule: their
  schools keep the province codes of the old structure.
- Only the columns a file has update a school; a cell left empty in a present column empties that
  field (the file says "unknown"), except codes and names, which are never emptied.
- Schools of the office absent from the file get ``missing_since`` (never deleted); a school that
  reappears has it cleared.
- Students per grade become :class:`~emes.models.Enrolment` rows of the import's academic year
  (BE, starts 16 May); grades without a column are left alone.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from emes.access import can_manage_registry
from emes.db import analyze
from emes.fiscal import academic_year_of, parse_academic_year
from emes.models import Enrolment, Grade, Office, School, SchoolImport
from emes.thai import be_datetime
from emes.tabular import FieldChange
# The upload limit (EMES_IMPORT_MAX_BYTES): an office's list is far below it (Phrae 2: 48 KB); the whole
# 2022 national list (6 MB) is meant for the management command, which has no limit.
from emes.uploads import display_name, max_upload_bytes, read_bytes, removing_files_on_rollback, save_file, stored_name

from .parsing import (
    ImportFileError, ParsedSchoolFile, Problem, is_office_header, is_school_header, parse_office_table, parse_school_table, read_table,
)



def current_academic_year() -> int:
    """The academic year (BE) of today in Bangkok; it starts 16 May (docs/fiscal-calendar.md)."""
    return academic_year_of(timezone.localdate())


def _read_source(source: str | Path | IO[bytes]) -> tuple[bytes, str]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.read_bytes(), path.name
    data = source.read()
    return data, os.path.basename(getattr(source, "name", "") or "upload.csv")


# --------------------------------------------------------------------------------------------
# Offices
# --------------------------------------------------------------------------------------------
@transaction.atomic
def import_offices(source: str | Path | IO[bytes]) -> dict[str, Any]:
    """Create or update offices from an OBEC office list (``data/01_schools/esa_list_obec_emis_2022.csv``).

    ``source`` is a path or a binary file object (CSV or XLSX). Offices are matched by
    ``area_code``; name and type are updated, ``province`` too when the file or the name gives one
    (a province typed in the admin is not emptied). The special-education bureau
    (สำนักบริหารงานการศึกษาพิเศษ, area 100700, type ``special``) is imported like the 245 areas, as
    type ``special`` with no province: it has schools of its own in the national list.

    Returns ``{"added": n, "changed": n, "unchanged": n, "total": n, "by_type": {type: n}}``.
    Raises :class:`ImportFileError` (nothing saved) for a bad file.
    """
    data, name = _read_source(source)
    records = parse_office_table(read_table(data, name, is_header=is_office_header, limit_size=False))
    existing = {o.area_code: o for o in Office.objects.select_for_update().filter(area_code__in=[r.area_code for r in records])}
    added = changed = unchanged = 0
    by_type: dict[str, int] = {}
    for record in records:
        by_type[record.type] = by_type.get(record.type, 0) + 1
        office = existing.get(record.area_code)
        if office is None:
            Office.objects.create(area_code=record.area_code, name=record.name, type=record.type, province=record.province)
            added += 1
            continue
        wanted = {"name": record.name, "type": record.type}
        if record.province:
            wanted["province"] = record.province
        dirty = [f for f, v in wanted.items() if getattr(office, f) != v]
        if dirty:
            for f in dirty:
                setattr(office, f, wanted[f])
            office.save(update_fields=dirty)
            changed += 1
        else:
            unchanged += 1
    if added:
        analyze(Office)
    return {"added": added, "changed": changed, "unchanged": unchanged, "total": len(records), "by_type": by_type}


# --------------------------------------------------------------------------------------------
# Schools: preview
# --------------------------------------------------------------------------------------------
@dataclass
class SchoolLine:
    """A school in the preview: ``row`` in the file (``None`` for a school missing from it)."""

    smis_code: str
    name: str
    row: int | None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class Preview:
    """What a school file would do to an office's registry, and the plan to do it.

    ``added`` lists new schools (their ``changes`` show the values set), ``changed`` the schools
    with at least one different field or enrolment, ``marked`` the schools of the office missing
    from the file (to be marked ``missing_since``). ``enrolments`` counts the ``Enrolment`` rows
    created or changed. ``fingerprint`` identifies the exact change set: apply refuses when the
    registry moved on since the preview someone looked at.
    """

    office: Office
    academic_year: int
    parsed: ParsedSchoolFile
    added: list[SchoolLine] = field(default_factory=list)
    changed: list[SchoolLine] = field(default_factory=list)
    marked: list[SchoolLine] = field(default_factory=list)
    unmarked: int = 0
    unchanged: int = 0
    enrolments: int = 0
    fingerprint: str = ""
    # The write plan (used by apply only).
    new_schools: list[dict[str, Any]] = field(default_factory=list, repr=False)
    updates: list[tuple[School, dict[str, Any]]] = field(default_factory=list, repr=False)
    marked_ids: list[int] = field(default_factory=list, repr=False)
    enrolment_rows: list[tuple[str, str, int]] = field(default_factory=list, repr=False)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.marked)

    @property
    def field_labels(self) -> list[str]:
        """Labels of what the file updates: its ``School`` fields and grades (for the page)."""
        labels = [_field_label(f) for f in self.parsed.fields]
        labels += [_grade_label(g, self.academic_year) for g in self.parsed.grades]
        return labels

    def summary(self) -> dict[str, Any]:
        """Counts for ``SchoolImport.summary``: added, changed, marked, unmarked, unchanged, enrolments,
        rows (schools read), skipped_other_office, plus shape, fingerprint and academic_year."""
        return {
            "added": len(self.added), "changed": len(self.changed), "marked": len(self.marked),
            "unmarked": self.unmarked, "unchanged": self.unchanged, "enrolments": self.enrolments,
            "rows": len(self.parsed.records), "skipped_other_office": self.parsed.other_office_rows,
            "shape": self.parsed.shape, "academic_year": self.academic_year, "fingerprint": self.fingerprint,
        }


def _field_label(name: str) -> str:
    return str(School._meta.get_field(name).verbose_name)


def _grade_label(grade: str, academic_year: int) -> str:
    return _("Students %(grade)s, academic year %(year)s") % {"grade": Grade(grade).label, "year": academic_year}


def _display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name == "is_open":
        return _("open") if value else _("not open (merged or closed)")
    if name == "missing_since":
        return be_datetime(value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def plan_school_changes(
    parsed: ParsedSchoolFile, office: Office, academic_year: int, *, lock: bool = False, problems: list[Problem] | None = None
) -> Preview:
    """Compare a parsed file with ``office``'s registry: a :class:`Preview` (nothing written).

    With ``lock`` the office's schools are read ``select_for_update`` (inside the apply transaction).
    Raises :class:`ImportFileError` for rows that conflict with the registry: a school of another
    office, a foreign area prefix, an unknown or ambiguous ministry code, two rows for one school,
    a new school without a name; ``problems`` already found in the file are listed with them.
    Reads: 3 queries (4 with grade columns, 5 with foreign code prefixes).
    """
    preview = Preview(office=office, academic_year=academic_year, parsed=parsed)
    records = parsed.records
    schools_qs = School.objects.filter(office=office).order_by("smis_code")
    if lock:
        schools_qs = schools_qs.select_for_update()
    schools = list(schools_qs)
    by_smis = {s.smis_code: s for s in schools}
    by_moe: dict[str, list[School]] = {}
    for s in schools:
        if s.moe_code:
            by_moe.setdefault(s.moe_code, []).append(s)
    smis_codes = {r.smis_code for r in records if r.smis_code}
    moe_codes = {r.moe_code for r in records if r.moe_code}
    elsewhere = list(School.objects.exclude(office=office).filter(Q(smis_code__in=smis_codes) | Q(moe_code__in=moe_codes)).select_related("office"))
    other_smis = {s.smis_code: s for s in elsewhere}
    other_moe = {s.moe_code: s for s in elsewhere if s.moe_code}
    strict_prefix = len(office.area_code) == 4
    foreign_prefixes = {r.smis_code[:4] for r in records if r.smis_code and strict_prefix and not r.smis_code.startswith(office.area_code)}
    prefix_offices = dict(Office.objects.filter(area_code__in=foreign_prefixes).values_list("area_code", "name")) if foreign_prefixes else {}
    enrolled: dict[tuple[int, str], int] = {}
    if parsed.grades:
        for school_id, grade, students in Enrolment.objects.filter(school__office=office, academic_year=academic_year).values_list("school_id", "grade", "students"):
            enrolled[(school_id, grade)] = students

    smis_column = parsed.code_columns.get("smis_code") or parsed.code_columns.get("code")
    moe_column = parsed.code_columns.get("moe_code") or parsed.code_columns.get("code")
    problems = list(problems or [])
    matched: dict[int, int] = {}  # school pk -> row

    def elsewhere_problem(school: School, code: str, column: str | None, row: int) -> Problem:
        return Problem(
            _("school %(code)s %(name)s is registered under another office, %(office)s (%(area)s); an import does not move schools between offices.")
            % {"code": code, "name": school.name, "office": school.office.name, "area": school.office.area_code},
            row=row, column=column,
        )

    for r in records:
        school: School | None
        if r.smis_code:
            if r.smis_code in other_smis:
                problems.append(elsewhere_problem(other_smis[r.smis_code], r.smis_code, smis_column, r.row))
                continue
            if r.moe_code and r.moe_code in other_moe:
                problems.append(elsewhere_problem(other_moe[r.moe_code], r.moe_code, moe_column, r.row))
                continue
            school = by_smis.get(r.smis_code)
            holders = [s for s in by_moe.get(r.moe_code, []) if s.smis_code != r.smis_code] if r.moe_code else []
            if holders:
                problems.append(Problem(
                    _("ministry code %(code)s already belongs to school %(other)s %(name)s.") % {"code": r.moe_code, "other": holders[0].smis_code, "name": holders[0].name},
                    row=r.row, column=moe_column,
                ))
                continue
            if school is None and strict_prefix and not r.smis_code.startswith(office.area_code) and not r.area_confirmed:
                prefix = r.smis_code[:4]
                if prefix in prefix_offices:
                    message = _("code %(code)s starts with %(prefix)s, the area code of %(other)s, not %(area)s; it is a school of another office.") % {
                        "code": r.smis_code, "prefix": prefix, "other": prefix_offices[prefix], "area": office.area_code}
                else:
                    message = _("code %(code)s does not start with this office's area code %(area)s.") % {"code": r.smis_code, "area": office.area_code}
                problems.append(Problem(message, row=r.row, column=smis_column))
                continue
        else:
            if r.moe_code in other_moe:
                problems.append(elsewhere_problem(other_moe[r.moe_code], r.moe_code, moe_column, r.row))
                continue
            candidates = by_moe.get(r.moe_code, [])
            if len(candidates) != 1:
                message = (
                    _("no school of this office has ministry code %(code)s; a new school needs its 8-digit SMIS code.")
                    if not candidates else
                    _("ministry code %(code)s belongs to several schools of this office; use the 8-digit SMIS code.")
                ) % {"code": r.moe_code}
                problems.append(Problem(message, row=r.row, column=moe_column))
                continue
            school = candidates[0]
        if school is not None:
            if school.pk in matched:
                problems.append(Problem(_("the same school as row %(first)s (%(code)s).") % {"first": matched[school.pk], "code": school.smis_code}, row=r.row))
                continue
            matched[school.pk] = r.row
            _plan_existing(preview, school, r, enrolled)
        else:
            if not r.values.get("name"):
                problems.append(Problem(_("school %(code)s is not in the registry yet, and a new school needs a name column.") % {"code": r.smis_code}, row=r.row, column=smis_column))
                continue
            _plan_new(preview, r)
    if problems:
        raise ImportFileError(problems)

    for s in schools:
        if s.pk not in matched and s.missing_since is None:
            preview.marked.append(SchoolLine(s.smis_code, s.name, None))
            preview.marked_ids.append(s.pk)
    preview.fingerprint = _fingerprint(preview)
    return preview


def _plan_new(preview: Preview, r) -> None:
    values = {"moe_code": r.moe_code, **r.values}
    line = SchoolLine(r.smis_code, values["name"], r.row)
    for name, value in values.items():
        if name != "name" and value not in ("", None):
            line.changes.append(FieldChange(name, _field_label(name), "—", _display(name, value)))
    for grade, students in r.enrolments.items():
        line.changes.append(FieldChange(f"grade:{grade}", _grade_label(grade, preview.academic_year), "—", _display("grade", students)))
        preview.enrolment_rows.append((r.smis_code, grade, students))
    preview.enrolments += len(r.enrolments)
    preview.added.append(line)
    preview.new_schools.append({"smis_code": r.smis_code, **values})


def _plan_existing(preview: Preview, school: School, r, enrolled: dict[tuple[int, str], int]) -> None:
    wanted = dict(r.values)
    if r.moe_code:
        wanted["moe_code"] = r.moe_code
    if school.missing_since is not None:
        wanted["missing_since"] = None
    diff = {name: value for name, value in wanted.items() if getattr(school, name) != value}
    line = SchoolLine(school.smis_code, school.name, r.row)
    for name, value in diff.items():
        line.changes.append(FieldChange(name, _field_label(name), _display(name, getattr(school, name)), _display(name, value)))
    for grade, students in r.enrolments.items():
        old = enrolled.get((school.pk, grade))
        if old != students:
            line.changes.append(FieldChange(f"grade:{grade}", _grade_label(grade, preview.academic_year), _display("grade", old), _display("grade", students)))
            preview.enrolment_rows.append((school.smis_code, grade, students))
            preview.enrolments += 1
    if "missing_since" in diff:
        preview.unmarked += 1
    if line.changes:
        preview.changed.append(line)
        if diff:
            preview.updates.append((school, diff))
    else:
        preview.unchanged += 1


def _fingerprint(preview: Preview) -> str:
    """SHA-256 of the change set (codes, fields, old and new values), not of the file: the same
    file gives another fingerprint once the registry changed under it."""
    payload = {
        "added": [[line.smis_code, [[c.field, c.new] for c in line.changes]] for line in preview.added],
        "changed": [[line.smis_code, [[c.field, c.old, c.new] for c in line.changes]] for line in preview.changed],
        "marked": [line.smis_code for line in preview.marked],
        "year": preview.academic_year,
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def check_school_file(data: bytes, filename: str, office: Office, academic_year: int, *, lock: bool = False) -> Preview:
    """Read a school file, check it on its own and against ``office``'s registry: its :class:`Preview`.

    Raises :class:`ImportFileError` listing the file's problems and the registry conflicts of its
    good rows together, by row.
    """
    try:
        parsed, problems = parse_school_table(read_table(data, filename, is_header=is_school_header, limit_size=False), office.area_code), []
    except ImportFileError as exc:
        if exc.partial is None:
            raise
        parsed, problems = exc.partial, exc.problems
    return plan_school_changes(parsed, office, academic_year, lock=lock, problems=problems)


def _check_academic_year(academic_year: int) -> None:
    parse_academic_year(academic_year)  # the core's one reader: the CE hint, or "type the academic year in BE"


def _check_registry_role(by, office: Office) -> None:
    # ``by=None`` is a management command run by the server's administrator.
    if by is not None and not can_manage_registry(by, office):
        raise PermissionDenied


# --------------------------------------------------------------------------------------------
# Schools: upload, preview, apply, discard
# --------------------------------------------------------------------------------------------
def upload_school_file(office: Office, file: File | IO[bytes], *, by, academic_year: int | None = None, limit_size: bool = True) -> SchoolImport:
    """Check a school file for ``office`` and store it as a ``previewed`` :class:`SchoolImport`.

    ``file`` is an uploaded file (or any binary file object with a ``name``); ``academic_year``
    (BE) defaults to the current one; the file may not exceed :func:`max_upload_bytes` unless
    ``limit_size`` is false (management commands reading the server's own files). Returns the new row with ``summary`` = the preview's counts.

    Raises :class:`ImportFileError` for a bad file (too big, wrong type, bad rows, conflicts with
    the registry): nothing is stored then. ``PermissionDenied`` if ``by`` is not the office's plan officer.
    """
    _check_registry_role(by, office)
    academic_year = academic_year or current_academic_year()
    _check_academic_year(academic_year)
    name = display_name(getattr(file, "name", "") or "upload", SchoolImport._meta.get_field("original_name").max_length)
    data = read_bytes(file, max_upload_bytes() if limit_size else None)
    preview = check_school_file(data, name, office, academic_year)
    with removing_files_on_rollback():
        school_import = SchoolImport(
            office=office, original_name=name, academic_year=academic_year,
            summary=preview.summary(), uploaded_by=by if getattr(by, "pk", None) else None,
        )
        # Stored under a short random name: the user's name (up to 255 characters kept for display)
        # would overflow the file column and the file system.
        save_file(school_import.file, stored_name(_extension(name)), ContentFile(data))
        school_import.save()
    return school_import


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _stored_bytes(school_import: SchoolImport) -> bytes:
    try:
        with school_import.file.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, ValueError) as exc:
        raise ImportFileError([_("The uploaded file is no longer stored; upload it again.")]) from exc


def preview_school_import(school_import: SchoolImport, *, lock: bool = False) -> Preview:
    """What the stored file of ``school_import`` would do to the registry *now* (nothing written).

    Raises :class:`ImportFileError` when the file no longer fits the registry (e.g. one of its
    schools was meanwhile registered under another office).
    """
    data = _stored_bytes(school_import)
    return check_school_file(data, school_import.original_name, school_import.office, school_import.academic_year or current_academic_year(), lock=lock)


def apply_school_import(school_import: SchoolImport, *, by, fingerprint: str | None = None) -> dict[str, Any]:
    """Write the stored file of ``school_import`` into the registry, all or nothing.

    In one transaction: lock the import row and the office (two imports of one office apply one
    after the other), refuse unless the import is still ``previewed`` (so it is never applied
    twice), re-read and re-check the file against the locked registry, refuse if ``fingerprint``
    (the preview the user saw; ``None`` = no check) differs from the change set now, then add, update, mark and upsert
    enrolments, and set the import ``applied`` with a conditional UPDATE.

    Returns the applied summary (``Preview.summary()`` plus ``applied_by``). Raises
    ``ValidationError`` (already applied / discarded, stale preview, concurrent change),
    :class:`ImportFileError` (the file no longer fits), ``PermissionDenied`` (not the plan officer).
    """
    _check_registry_role(by, school_import.office)
    try:
        with transaction.atomic():
            current = SchoolImport.objects.select_for_update().select_related("office").get(pk=school_import.pk)
            if current.status != SchoolImport.Status.PREVIEWED:
                if current.status == SchoolImport.Status.APPLIED:
                    raise ValidationError(_("This file has already been applied."))
                raise ValidationError(_("This file was discarded; upload it again to import it."))
            office = Office.objects.select_for_update().get(pk=current.office_id)
            current.office = office
            preview = preview_school_import(current, lock=True)
            if fingerprint is not None and fingerprint != preview.fingerprint:
                raise ValidationError(_("The registry has changed since this preview was shown; check the new preview and apply again."))
            _write(preview)
            summary = {**preview.summary(), "applied_by": getattr(by, "username", "") or ""}
            now = timezone.now()
            updated = SchoolImport.objects.filter(pk=current.pk, status=SchoolImport.Status.PREVIEWED).update(
                status=SchoolImport.Status.APPLIED, applied_at=now, summary=summary
            )
            if updated != 1:  # cannot happen under the row lock; kept so a refactor cannot lose the guard
                raise ValidationError(_("This file has already been applied."))
    except IntegrityError as exc:
        raise ValidationError(_("The registry changed while the file was being applied; open the preview again.")) from exc
    school_import.status, school_import.applied_at, school_import.summary = SchoolImport.Status.APPLIED, now, summary
    analyze(School, Enrolment)  # fresh planner statistics once committed (emes.db, issue 18)
    return summary


def _write(preview: Preview) -> None:
    office, now = preview.office, timezone.now()
    School.objects.bulk_create([School(office=office, **values) for values in preview.new_schools])
    changed_fields: set[str] = set()
    for school, diff in preview.updates:
        for name, value in diff.items():
            setattr(school, name, value)
        changed_fields |= set(diff)
    if preview.updates:
        School.objects.bulk_update([s for s, _d in preview.updates], fields=sorted(changed_fields), batch_size=500)
    if preview.marked_ids:
        School.objects.filter(pk__in=preview.marked_ids).update(missing_since=now)
    if preview.enrolment_rows:
        ids = dict(School.objects.filter(office=office, smis_code__in={code for code, _g, _n in preview.enrolment_rows}).values_list("smis_code", "pk"))
        Enrolment.objects.bulk_create(
            [Enrolment(school_id=ids[code], academic_year=preview.academic_year, grade=grade, students=n) for code, grade, n in preview.enrolment_rows],
            update_conflicts=True, unique_fields=["school", "academic_year", "grade"], update_fields=["students"], batch_size=1000,
        )


def discard_school_import(school_import: SchoolImport, *, by) -> None:
    """Mark a ``previewed`` import ``discarded`` (the stored file is kept as a record).

    Raises ``ValidationError`` if it was already applied or discarded; ``PermissionDenied`` if
    ``by`` is not the office's plan officer.
    """
    _check_registry_role(by, school_import.office)
    updated = SchoolImport.objects.filter(pk=school_import.pk, status=SchoolImport.Status.PREVIEWED).update(status=SchoolImport.Status.DISCARDED)
    if updated != 1:
        raise ValidationError(_("This file has already been applied or discarded."))
    school_import.status = SchoolImport.Status.DISCARDED


def import_schools_from_file(
    path: str | Path, office: Office, *, academic_year: int | None = None, by=None, dry_run: bool = False
) -> tuple[Preview, dict[str, Any] | None]:
    """Preview and apply a school file in one go (management command, demo loader).

    Stores the file as a :class:`SchoolImport` like an upload (no size limit), then applies it
    with the preview's fingerprint. With ``dry_run`` nothing is stored or changed. Returns
    ``(preview, applied summary or None)``; raises like :func:`upload_school_file` and
    :func:`apply_school_import`.
    """
    academic_year = academic_year or current_academic_year()
    _check_academic_year(academic_year)
    path = Path(path)
    data = path.read_bytes()
    preview = check_school_file(data, path.name, office, academic_year)
    if dry_run:
        return preview, None
    with removing_files_on_rollback():
        with path.open("rb") as fh:
            school_import = upload_school_file(office, File(fh, name=path.name), by=by, academic_year=academic_year, limit_size=False)
        summary = apply_school_import(school_import, by=by, fingerprint=preview.fingerprint)
    return preview, summary
