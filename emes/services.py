"""State changes of the kernel."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from .audit.models import AuditEvent
from .audit.services import record_audit_event
from .models import Office

#: The Django-admin group of an office's director and plan officer. The admin scopes every list to
#: the user's offices (``emes.admin.OfficeScopedAdmin``); the group only says which models they reach.
OFFICE_ADMIN_GROUP = "ผู้ดูแลข้อมูลสำนักงานเขตพื้นที่"

_VIEW_APPS = ("emes", "plans", "reports", "literacy", "inspections")
_CHANGE_MODELS = {
    "emes": ("office", "officeholiday", "school", "division", "enrolment"),
    "plans": ("strategy", "project", "indicator", "quarterlyreport", "indicatorresult", "budgetline", "activity", "actionplan", "reportingrule"),
}


def ensure_office_admin_group() -> Group:
    """Create or refresh the admin group of office staff; returns it.

    Members may view every kernel, plan and report model and add/change the office's own data
    (office details, declared holidays, schools, divisions, the plan). Deleting stays with
    superusers. Idempotent.
    """
    group, _ = Group.objects.get_or_create(name=OFFICE_ADMIN_GROUP)
    wanted = Q(content_type__app_label__in=_VIEW_APPS, codename__startswith="view_")
    for app, models in _CHANGE_MODELS.items():
        for model in models:
            wanted |= Q(content_type__app_label=app, codename__in=[f"add_{model}", f"change_{model}"])
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def _office_settings(office: Office) -> dict[str, Any]:
    """The office's editable fields as JSON: files by their stored name."""
    state: dict[str, Any] = {}
    for field in office._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.value_from_object(office)
        state[field.name] = (value.name or "") if isinstance(value, FieldFile) else value
    return state


@transaction.atomic
def save_office(office: Office, *, by) -> Office:
    """Store ``office`` as edited (the admin's office form) and write the audit event of what changed.

    A new office writes ``office_created`` with its settings as ``after``; a changed one
    ``office_changed`` with ``before`` / ``after`` holding only the fields that differ (an emblem by its file
    name); a save that changes nothing writes nothing. The stored row is locked while compared, so two
    saves at once each record their own change. Returns the office.
    """
    stored = Office.objects.select_for_update().filter(pk=office.pk).first() if office.pk else None
    office.save()
    after = _office_settings(office)
    if stored is None:
        record_audit_event(AuditEvent.Type.OFFICE_CREATED, actor=by, office=office, target=office, after=after)
        return office
    before = _office_settings(stored)
    changed = [name for name in after if after[name] != before[name]]
    if changed:
        record_audit_event(
            AuditEvent.Type.OFFICE_SETTINGS_CHANGED, actor=by, office=office, target=office,
            before={name: before[name] for name in changed}, after={name: after[name] for name in changed},
        )
    return office
