"""What a reminder says: the letter (LetterContent), its subject, the e-mail and the in-app notification.

Everything is built from a reminder's ``facts`` (``emes.obligations``), so a letter
names exactly what is missing: the project's code and name, the quarter, the due date in BE and the
working days late; or the literacy round, academic year and grades; or the inspection round, the
unit's form and the questions it has not answered yet. Official texts are Thai
whatever the reader's language (``translation.override``); Arabic digits here become Thai digits in
the letter when the office writes letters in Thai digits (``reports.letters.services``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from emes.obligations import FIRST, NOTICE, SECOND
from emes.thai import be_date
from reports.letters.content import LetterContent


#: Official texts are written in this language whatever the reader chose (docs/letters-and-reminders.md: Thai letters).
OFFICIAL_LANGUAGE = "th"


@dataclass(frozen=True)
class Message:
    """A reminder's texts: ``subject`` (letter, e-mail and notification title), the letter (``None`` for
    a notice) and the plain-text e-mail / notification ``body``."""

    subject: str
    letter: LetterContent | None
    body: str
    summary: str  # the paragraphs alone: the in-app notification's text


def _date(iso: str) -> str:
    return be_date(dt.date.fromisoformat(iso)) if iso else ""


def reference_text(facts: dict, letter_kind: str, office_name: str) -> str:
    """อ้างถึง of a second letter: the first letter's number and date."""
    ref = facts.get("reference") or {}
    if not ref:
        return ""
    if letter_kind == "memo":
        return _("Memo no. %(no)s dated %(date)s") % {"no": ref["letter_no"], "date": _date(ref["date"])}
    return _("Letter of %(office)s no. %(no)s dated %(date)s") % {
        "office": office_name, "no": ref["letter_no"], "date": _date(ref["date"])}


def build_message(*, kind: str, stage: str, facts: dict, salutation: str, letter_kind: str, office, url: str = "") -> Message:
    """The texts of a reminder of obligation ``kind`` at ``stage`` (Thai, see the module docstring).

    A builder returns ``(subject, paragraphs, urgency)`` and may add ``(table headers, table rows)``:
    the letter prints that table of what is missing before its conclusion, the e-mail lists its rows.
    ``url`` is the path where the recipient acts; with ``settings.EMES_SITE_URL`` set it is printed
    in the e-mail as a full link. Raises ``KeyError`` if ``facts`` lack what the kind needs.
    """
    with translation.override(OFFICIAL_LANGUAGE):
        builder = {"quarterly_report": _quarterly, "literacy": _literacy, "inspection_form": _inspection_form}.get(kind, _generic)
        subject, paragraphs, urgency, *rest = builder(stage, facts, office)
        # A builder may add the table of exactly what is missing: (headers, rows).
        headers, rows = rest[0] if rest else ((), ())
        letter = None
        if stage != NOTICE:
            letter = LetterContent(
                salutation=salutation, paragraphs=tuple(paragraphs),
                reference=reference_text(facts, letter_kind, office.full_name), urgency=urgency,
                table_headers=tuple(headers), table_rows=tuple(tuple(r) for r in rows),
            )
        table_lines = ["- " + "  ".join(str(c) for c in row) for row in rows]
        if table_lines and len(paragraphs) > 1:
            # As in the letter: the table before the conclusion.
            text = [*paragraphs[:-1], "\n".join(table_lines), paragraphs[-1]]
        else:
            text = [*paragraphs, *(["\n".join(table_lines)] if table_lines else [])]
        lines = [_("Dear %(name)s") % {"name": salutation}, "", *text]
        site = getattr(settings, "EMES_SITE_URL", "").rstrip("/")
        if url and site:
            lines += ["", _("Act on it here: %(link)s") % {"link": site + url}]
        if letter is not None:
            lines += ["", _("The letter is attached as a PDF.")]
        lines += ["", office.letters_unit or "", office.full_name]
        body = "\n".join(lines).strip() + "\n"
        return Message(subject=subject, letter=letter, body=body, summary=" ".join(paragraphs))


def _quarterly(stage: str, f: dict, office) -> tuple[str, list[str], str]:
    what = _("project %(code)s %(name)s, quarter %(quarter)s of fiscal year %(fy)s") % {
        "code": f["project_code"], "name": f["project_name"], "quarter": f["quarter"], "fy": f["fiscal_year"]}
    due = _date(f["due_on"])
    if stage == NOTICE:
        subject = _("The quarterly report %(quarter)s of project %(code)s is due on %(date)s") % {
            "quarter": f["quarter_label"], "code": f["project_code"], "date": due}
        return subject, [
            _("The quarterly progress report of %(what)s is due on %(date)s and has not been submitted yet.") % {"what": what, "date": due},
            _("Please enter and submit it in EMES before the due date."),
        ], ""
    if stage == FIRST:
        subject = _("Follow-up of the quarterly progress report, quarter %(quarter)s of fiscal year %(fy)s") % {
            "quarter": f["quarter"], "fy": f["fiscal_year"]}
        return subject, [
            _("The action plan of fiscal year %(fy)s asks every project owner to report the project's progress each quarter in EMES by the due date.") % {"fy": f["fiscal_year"]},
            _("The report of %(what)s was due on %(date)s. It has not been received: it is %(days)s working days late.") % {
                "what": what, "date": due, "days": f["days_late"]},
            _("Please submit the report in EMES as soon as possible."),
        ], ""
    subject = _("Second follow-up of the quarterly progress report, quarter %(quarter)s of fiscal year %(fy)s") % {
        "quarter": f["quarter"], "fy": f["fiscal_year"]}
    owner = f.get("owner") or _("the project owner")
    return subject, [
        _("By the memo referred to, %(owner)s, owner of %(what)s, was asked to submit the project's quarterly progress report due on %(date)s.") % {
            "owner": owner, "what": what, "date": due},
        _("The report has still not been received: it is %(days)s working days late.") % {"days": f["days_late"]},
        _("Please see that the report of this project of your division is submitted in EMES without delay."),
    ], "ด่วน"


def _literacy(stage: str, f: dict, office) -> tuple[str, list[str], str]:
    grades = " ".join(f.get("grades") or [])
    what = _("the literacy assessment, round %(round)s of academic year %(year)s, grades %(grades)s") % {
        "round": f["round"], "year": f["academic_year"], "grades": grades}
    due = _date(f["due_on"])
    if stage == NOTICE:
        subject = _("The results of the literacy assessment, round %(round)s/%(year)s, are due on %(date)s") % {
            "round": f["round"], "year": f["academic_year"], "date": due}
        return subject, [
            _("The results of %(what)s of %(school)s are due on %(date)s and have not been submitted yet.") % {
                "what": what, "school": f["school_name"], "date": due},
            _("Please enter and submit them in EMES before the window closes."),
        ], ""
    if stage == FIRST:
        subject = _("Follow-up of the results of the literacy assessment, round %(round)s of academic year %(year)s") % {
            "round": f["round"], "year": f["academic_year"]}
        return subject, [
            _("%(office)s opened the entry of the results of %(what)s, to be submitted by %(date)s.") % {
                "office": office.full_name, "what": what, "date": due},
            _("The results of %(school)s have not been received: they are %(days)s working days late.") % {
                "school": f["school_name"], "days": f["days_late"]},
            _("Please submit them in EMES as soon as possible; if the window has closed, ask %(unit)s to reopen it for the school.") % {
                "unit": office.letters_unit or office.full_name},
        ], ""
    subject = _("Second follow-up of the results of the literacy assessment, round %(round)s of academic year %(year)s") % {
        "round": f["round"], "year": f["academic_year"]}
    return subject, [
        _("By the letter referred to, %(office)s asked %(school)s to submit the results of %(what)s by %(date)s.") % {
            "office": office.full_name, "school": f["school_name"], "what": what, "date": due},
        _("The results have still not been received: they are %(days)s working days late, and the office cannot send the summary to OBEC without them.") % {
            "days": f["days_late"]},
        _("Please see that the school submits them in EMES at once."),
    ], "ด่วนที่สุด"


def _inspection_form(stage: str, f: dict, office) -> tuple[str, list[str], str, tuple]:
    """A unit's form of an inspection round not submitted (``inspections.obligations``)."""
    names = {"round": f["round"], "fy": f["fiscal_year"], "title": f.get("round_title") or ""}
    if names["title"]:
        what = _("inspection round %(round)s of fiscal year %(fy)s (%(title)s)") % names
    else:
        what = _("inspection round %(round)s of fiscal year %(fy)s") % names
    due, unit = _date(f["due_on"]), f["unit_name"]
    missing = [(str(order), text) for order, text in f.get("missing") or []]
    if f.get("not_started"):
        state = _("Not started yet: none of the %(n)s questions of the form has been answered.") % {"n": f["question_count"]}
    elif missing:
        state = _("%(n)s of the %(total)s questions are not answered yet: questions %(numbers)s.") % {
            "n": len(missing), "total": f["question_count"], "numbers": ", ".join(n for n, _text in missing)}
    else:
        state = _("Every required question is answered, but the form has not been submitted.")
    table = ((_("Question no."), _("Question not answered yet")), missing) if missing else ((), ())
    school = f.get("unit_kind") == "school"
    if stage == NOTICE:
        subject = _("The inspection form of round %(round)s/%(fy)s is due on %(date)s") % {**names, "date": due}
        return subject, [
            _("The answers of %(unit)s to the form of %(what)s are due on %(date)s and have not been submitted yet.") % {
                "unit": unit, "what": what, "date": due},
            state,
            _("Please answer and submit the form in EMES before the due date."),
        ], "", table
    if stage == FIRST:
        subject = _("Follow-up of the answers to the inspection form, round %(round)s of fiscal year %(fy)s") % names
        return subject, [
            _("%(office)s sent the form of %(what)s to %(unit)s on %(sent)s, to be answered and submitted in EMES by %(date)s.") % {
                "office": office.full_name, "what": what, "unit": unit, "sent": _date(f.get("sent_on", "")), "date": due},
            _("The answers have not been received: they are %(days)s working days late.") % {"days": f["days_late"]} + " " + state,
            _("Please answer and submit the form in EMES as soon as possible, so that the office can report to the inspectors."),
        ], "", table
    subject = _("Second follow-up of the answers to the inspection form, round %(round)s of fiscal year %(fy)s") % names
    return subject, [
        (_("By the letter referred to, %(office)s asked %(unit)s to answer and submit the form of %(what)s by %(date)s.") if school
         else _("By the memo referred to, %(office)s asked %(unit)s to answer and submit the form of %(what)s by %(date)s.")) % {
            "office": office.full_name, "unit": unit, "what": what, "date": due},
        _("The answers have still not been received: they are %(days)s working days late.") % {"days": f["days_late"]} + " " + state,
        _("Please see that the form is answered and submitted in EMES at once."),
    ], "ด่วนที่สุด" if school else "ด่วน", table


def _generic(stage: str, f: dict, office) -> tuple[str, list[str], str]:
    """Texts of an obligation kind without its own wording (a provider added later)."""
    subject = f.get("subject") or _("Reminder")
    due = _date(f.get("due_on", ""))
    return subject, [
        _("%(what)s was due on %(date)s and has not been received.") % {"what": f.get("what") or subject, "date": due},
        _("Please complete it in EMES as soon as possible."),
    ], "ด่วน" if stage == SECOND else ""


def combined_message(items: list[tuple[str, str, dict, Message]], *, salutation: str, office, url: str = "") -> Message:
    """One letter and one e-mail for everything one recipient is reminded of on one day (issue 17: owner04 got
    four memos on one day). ``items`` are ``(kind, stage, facts, message)`` of the same stage, in order.

    The letter lists the items in a table (what, due date, working days late) before the conclusion; its urgency
    is the highest of theirs; the references of second letters are all cited. No สำเนาส่ง (the recipient is told,
    never the sender). Texts in the official language (Thai).
    """
    from .selectors import describe

    with translation.override(OFFICIAL_LANGUAGE):
        second = any(stage == SECOND for _k, stage, _f, _m in items)
        subject = (_("Second follow-up of %(n)s overdue submissions") if second else _("Follow-up of %(n)s overdue submissions")) % {"n": len(items)}
        rows = tuple(
            (str(i), describe(kind, facts), _date(facts["due_on"]) if facts.get("due_on") else "-", str(facts.get("days_late") or 0))
            for i, (kind, _stage, facts, _message) in enumerate(items, 1)
        )
        paragraphs = (
            _("EMES has not yet received the following %(n)s submissions, each past its due date:") % {"n": len(items)},
            _("Please complete and submit them in EMES as soon as possible."),
        )
        urgencies = [m.letter.urgency for _k, _s, _f, m in items if m.letter is not None and m.letter.urgency]
        urgency = "ด่วนที่สุด" if "ด่วนที่สุด" in urgencies else ("ด่วน" if urgencies else "")
        references = list(dict.fromkeys(m.letter.reference for _k, _s, _f, m in items if m.letter is not None and m.letter.reference))
        letter = LetterContent(
            salutation=salutation, paragraphs=paragraphs, reference="; ".join(references), urgency=urgency,
            table_headers=(_("No."), _("What is missing"), _("Due date"), _("Working days late")), table_rows=rows,
        )
        lines = [_("Dear %(name)s") % {"name": salutation}, "", paragraphs[0], *("- " + "  ".join(r[1:]) for r in rows), paragraphs[1]]
        site = getattr(settings, "EMES_SITE_URL", "").rstrip("/")
        if url and site:
            lines += ["", _("Act on it here: %(link)s") % {"link": site + url}]
        lines += ["", _("The letter is attached as a PDF."), "", office.letters_unit or "", office.full_name]
        return Message(subject=subject, letter=letter, body="\n".join(lines).strip() + "\n", summary=paragraphs[0] + " " + "; ".join(r[1] for r in rows))
