"""Typed text as EMES stores it: one cleaning for every form, service and import (issue 13, items 5 and 8).

What a person types (or pastes from Word, LINE or a PDF) may carry characters nobody can see: zero-width
spaces and joiners (U+200B–U+200D, U+2060, U+FEFF), bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069) that turn text around on screen, and control characters. A code, name or title made only of
them looks empty but is not, and an override makes a list lie about what it holds. ``clean_text`` removes
them, normalises to NFC (NFKC would decompose Thai SARA AM "ำ" into two characters, so it is kept for
usernames and codes, which are Latin letters and digits: :func:`clean_code`), and trims.

A NUL character (U+0000) is refused rather than removed: no keyboard types it, PostgreSQL cannot store
it, and Django's own form fields refuse it the same way (``ProhibitNullCharactersValidator``).

Ids read from a request (``?reminder=12``, ``question=7``) go through :func:`parse_id`, which refuses
anything but a positive whole number with a message instead of letting ``int()`` or the database fail.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Zero-width characters, the word joiner and the byte-order mark, and the bidirectional embeddings,
#: overrides and isolates (plus the left-to-right/right-to-left marks): invisible in Thai or Latin text.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: C0 controls but tab, line feed and carriage return; DEL and the C1 controls. NUL is refused, not removed.
_CONTROLS = "".join(chr(c) for c in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)))
_REMOVE = str.maketrans("", "", INVISIBLE + _CONTROLS)
_LINE_BREAKS = re.compile(r"\r\n?|[\n\u2028\u2029]")
_SPACES = re.compile(r"[\t\n\r]+")

NUL_MESSAGE = _("The text contains a NUL character (code 0), which cannot be stored. Retype it without pasting.")
ID_MESSAGE = _("The chosen item is not valid (its number “%(value)s” is not a whole number). Reload the page and choose again.")
EMPTY_MESSAGE = _("This field is required; invisible characters alone do not count.")


def clean_text(value: object, *, multiline: bool = False) -> str:
    """``value`` as stored text: NFC, without invisible or control characters, trimmed.

    ``multiline`` keeps line breaks (as ``\\n``) and tabs, for descriptions and comments; otherwise tabs
    and line breaks become one space (a title, name or code is one line). ``None`` gives ``""``.
    Raises ``ValidationError`` (code ``null_characters_not_allowed``) if the text holds a NUL character.
    """
    if value is None:
        return ""
    text = str(value)
    if "\x00" in text:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
    text = unicodedata.normalize("NFC", text).translate(_REMOVE)
    if multiline:
        text = _LINE_BREAKS.sub("\n", text)
    else:
        text = _SPACES.sub(" ", _LINE_BREAKS.sub(" ", text))
    return text.strip()


def clean_code(value: object) -> str:
    """A username or code as stored: :func:`clean_text` then NFKC, so full-width ``ｖｉｅｗｅｒ`` or ``１２`` is
    ``viewer`` / ``12`` (Django's login form normalises a typed username with NFKC; an account saved
    otherwise could never log in). Raises ``ValidationError`` for NUL like :func:`clean_text`."""
    return unicodedata.normalize("NFKC", clean_text(value))


def require_text(value: object, *, field: str, multiline: bool = False) -> str:
    """:func:`clean_text` of a required value; ``ValidationError({field: ...})`` if nothing visible is left.

    For services and imports that write names, codes and titles without a form (``field`` is the key
    the error is reported under, e.g. ``"title"``)."""
    try:
        text = clean_text(value, multiline=multiline)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    if not text:
        raise ValidationError({field: [EMPTY_MESSAGE]}, code="required")
    return text


def parse_id(value: object) -> int:
    """A database id read from a request (``"12"`` → 12). ``ValidationError`` (Thai) unless it is a positive
    whole number of ASCII digits below 2**63: never ``ValueError`` or a database error."""
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not 0 < int(text) < 2**63:
        raise ValidationError(ID_MESSAGE, code="invalid_id", params={"value": text[:20]})
    return int(text)


def parse_ids(values: Iterable[object]) -> list[int]:
    """:func:`parse_id` of each value (a ``getlist`` of ticked boxes), in order, without duplicates."""
    return list(dict.fromkeys(parse_id(v) for v in values))


class CleanCharField(forms.CharField):
    """Django's ``CharField`` with :func:`clean_text`: every text field of every EMES form is one of these.

    ``multiline``: keep line breaks (default: when the widget is a ``Textarea``). A required field whose
    value is only invisible characters is refused as empty (Django's "required" message); a NUL
    character gets a message."""

    def __init__(self, *, multiline: bool | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.multiline = isinstance(self.widget, forms.Textarea) if multiline is None else multiline

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        text = clean_text(value, multiline=self.multiline)
        return text if text else self.empty_value


class CleanCodeField(CleanCharField):
    """A username or code typed in a form: :func:`clean_code` (NFKC), one line."""

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_value
        return clean_code(value) or self.empty_value


def clean_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` of EMES model forms: the text columns of the model become :class:`CleanCharField`."""
    if isinstance(db_field, (models.CharField, models.TextField)) and not db_field.choices:
        kwargs.setdefault("form_class", CleanCharField)
    return db_field.formfield(**kwargs)


def clean_query(value: object, *, max_length: int = 100) -> str:
    """A search box's text (``?q=``): :func:`clean_text` on one line, NUL removed (a search stores nothing,
    so it is not refused), cut to ``max_length`` characters. ``None`` gives ``""``."""
    return clean_text(("" if value is None else str(value)).replace("\x00", ""))[:max_length]
