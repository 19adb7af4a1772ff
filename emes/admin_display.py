"""How the admin shows a read-only value: dates in the Buddhist Era, money with thousands separators (issue 17).

The admin formats read-only fields and list columns with ``django.contrib.admin.utils.display_for_field``
(CE dates, "184196.00"). Its editable fields already read and show BE (``BE_FORMFIELD_OVERRIDES``); this puts
the same Thai formatting on what it only displays, for every admin at once. The admin modules bound the
function by name at import, so each binding is replaced (``install``, called once by ``emes.admin``).
"""
from __future__ import annotations

from decimal import Decimal

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models

from . import thai

_original = utils.display_for_field


def display_for_field(value, field, empty_value_display, *args, **kwargs):
    """``display_for_field`` with BE dates (``emes.thai``) and grouped decimals; anything else as Django shows it."""
    if value is not None and not getattr(field, "flatchoices", None):
        if isinstance(field, models.DateTimeField):
            return thai.be_datetime(value)
        if isinstance(field, models.DateField):
            return thai.be_date(value)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            return f"{value:,.{field.decimal_places}f}"
    return _original(value, field, empty_value_display, *args, **kwargs)


def install() -> None:
    for module in (utils, helpers, admin_list):
        if getattr(module, "display_for_field", None) is _original:
            module.display_for_field = display_for_field
