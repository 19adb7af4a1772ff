"""Freezing an approved version: its PDF, checksum and "data as of" time are written once and never again."""
from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from emes.audit.services import record_transition
from emes.uploads import save_file

from .models import AnnualReport


def store_frozen_pdf(report_id: int, pdf: bytes, *, as_of: dt.datetime | None) -> bool:
    """Store ``pdf`` as the frozen PDF of version ``report_id`` if it is approved and has none yet; ``True`` if stored.

    Called by the build job inside its ``emes.uploads.removing_files_on_rollback()`` block (``RuntimeError``
    outside one), right after the build that follows approval
    (docs/annual-report.md: approval freezes that version). A draft's builds, or a later build of a version
    already frozen, store nothing here: the frozen file, its SHA-256 (``checksum``) and ``data_as_of`` are
    written once. The event is recorded in the version's history (approved → approved, "frozen").
    """
    report = AnnualReport.objects.select_for_update().select_related("office").filter(pk=report_id).first()
    if report is None or report.status != AnnualReport.Status.APPROVED or report.file:
        return False
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.data_as_of = as_of
    save_file(report.file, report.filename, ContentFile(pdf))  # deleted again if the caller's block rolls back
    report.save(update_fields=["file", "checksum", "data_as_of", "updated_at"])
    record_transition(
        report, by=None, from_status=report.status, to_status=report.status,
        comment=_("Approved PDF frozen, SHA-256 %(checksum)s") % {"checksum": report.checksum},
    )
    return True
