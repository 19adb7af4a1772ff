"""State changes of the kernel."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

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
