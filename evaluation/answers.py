"""Reading a respondent's answers: every item checked, every problem a Thai message by item (docs/evaluation.md).

The same checks serve the public page, the respondent's page and any import: a rating is a whole number 1–5, a
yes/no is "yes" or "no", a number is a number (Thai digits accepted), a choice is one of the item's choices, an
open text is cleaned (``emes.text.clean_text``) and at most :data:`MAX_TEXT` characters; a required item must be
answered.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from emes.fields import parse_number
from emes.text import clean_text

from .models import FormItem

MAX_TEXT = 2000
Kind = FormItem.Kind


@dataclass(frozen=True)
class CleanAnswer:
    item_id: int
    number: Decimal | None
    text: str


def clean_answer(item: FormItem, raw: str | None) -> CleanAnswer | None:
    """The answer to ``item`` from the submitted text ``raw`` (``None`` when left empty and not required).

    Raises ``ValidationError`` (Thai) for an empty required item or a value the item's kind refuses.
    """
    try:
        text = clean_text(raw or "", multiline=item.kind == Kind.TEXT)
    except ValidationError:
        raise ValidationError(_("The answer holds characters that cannot be used.")) from None
    if not text:
        if item.required:
            raise ValidationError(_("This item must be answered."))
        return None
    if item.kind == Kind.RATING:
        if text not in {"1", "2", "3", "4", "5"}:
            raise ValidationError(_("A rating is a whole number from 1 to 5."))
        return CleanAnswer(item.pk, Decimal(text), "")
    if item.kind == Kind.YES_NO:
        if text not in {"yes", "no"}:
            raise ValidationError(_("Choose yes or no."))
        return CleanAnswer(item.pk, Decimal(1 if text == "yes" else 0), "")
    if item.kind == Kind.NUMBER:
        try:
            value = parse_number(text)
        except (ValidationError, ValueError, ArithmeticError):
            value = None
        if value is None or not value.is_finite() or abs(value) >= Decimal("1e13"):
            raise ValidationError(_("Enter a number."))
        return CleanAnswer(item.pk, value.quantize(Decimal("0.0001")), "")
    if item.kind == Kind.CHOICE:
        if text not in (item.choices or []):
            raise ValidationError(_("Choose one of the given choices."))
        return CleanAnswer(item.pk, None, text)
    if len(text) > MAX_TEXT:
        raise ValidationError(_("At most %(n)s characters.") % {"n": MAX_TEXT})
    return CleanAnswer(item.pk, None, text)


def clean_answers(items: list[FormItem], data) -> tuple[list[CleanAnswer], dict[int, str]]:
    """Every item's answer from ``data`` (a QueryDict or dict: ``item-<pk>`` → text).

    Returns ``(answers, errors)``: ``errors`` maps an item's pk to its Thai message; when it is not empty
    nothing may be stored.
    """
    answers: list[CleanAnswer] = []
    errors: dict[int, str] = {}
    for item in items:
        try:
            answer = clean_answer(item, data.get(f"item-{item.pk}"))
        except ValidationError as exc:
            errors[item.pk] = " ".join(exc.messages)
            continue
        if answer is not None:
            answers.append(answer)
    return answers, errors
