"""The school side of a literacy round: who may enter results, the checks, and saving them (issue 6).

A school's results travel as *grades data*, the shape kept in :class:`~literacy.models.SubmissionChange`::

    [{"grade": "p1", "enrolled": 25, "enrolled_reason": "", "assessed": 23, "special_needs": 1, "absent": 1,
      "skills": {"reading_aloud": [very_good, good, fair, improve], ...}}, ...]

The web form and the Excel upload both hand in raw values (text or numbers) in that shape;
:func:`check_grades` is the one place that checks them and :func:`save_submission` the one place that
stores them. Errors are keyed by field (:func:`field_key`) so the form shows each next to its cell
and the upload names the row and column.

Who may enter: the school's own account (role ``school`` for that school) and, on the school's behalf,
the office's plan officer (who follows up missing schools and types in results sent on paper).
Everyone else of the office reads. Rule source: docs/roles-and-access.md, issue 6.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emes.access import get_school_for_user, roles_in
from emes.models import Enrolment, Grade, School
from emes.thai import be_datetime

from .access import can_enter_results
from .models import GradeResult, LiteracyRound, SkillResult, Submission, SubmissionChange
from .window import deadline_for, window_open_for

#: The four skills and levels in OBEC's order, with the short Thai names used in messages and the template.
SKILLS: list[tuple[str, Any]] = [
    ("reading_aloud", gettext_lazy("reading aloud")),
    ("reading_comprehension", gettext_lazy("reading comprehension")),
    ("writing_words", gettext_lazy("writing words")),
    ("writing_composition", gettext_lazy("writing a composition")),
]
LEVELS: list[tuple[str, Any]] = [
    ("very_good", gettext_lazy("very good")),
    ("good", gettext_lazy("good")),
    ("fair", gettext_lazy("fair")),
    ("improve", gettext_lazy("needs improvement")),
]
#: The per-grade counts, with their labels.
COUNTS: list[tuple[str, Any]] = [
    ("enrolled", gettext_lazy("students enrolled")),
    ("assessed", gettext_lazy("students assessed")),
    ("special_needs", gettext_lazy("special-needs students")),
    ("absent", gettext_lazy("absent students")),
]
GRADE_ORDER = [g for g, _label in Grade.choices]
#: Largest count accepted in one cell: no grade of one school has a million students; stops typos like 2500000.
MAX_COUNT = 100_000


def plain_skills() -> Prefetch:
    """The skill rows of grade results, prefetched in a plain order: ``SkillResult.Meta.ordering`` starts with the
    grade result, which orders through the submission, its round and school and their office (six tables joined;
    a form GET took 50 ms on stale statistics, issue 18)."""
    return Prefetch("skills", queryset=SkillResult.objects.order_by("grade_result_id", "skill"))


def field_key(grade: str, name: str, level: str | None = None) -> str:
    """The key of one input: ``p1-assessed``, ``p1-reading_aloud`` (the skill's sum), ``p1-reading_aloud-good``."""
    return "-".join(p for p in (grade, name, level) if p)


def grade_label(grade: str) -> str:
    return dict(Grade.choices).get(grade, grade)


# --------------------------------------------------------------------------------------------
# Grades a school teaches
# --------------------------------------------------------------------------------------------
_LEVEL_WORDS = [  # (prefix of the Thai level name, grade code prefix); longer names first
    ("อนุบาล", "k"), ("ประถมศึกษา", "p"), ("ประถม", "p"), ("มัธยมศึกษา", "m"), ("มัธยม", "m"),
    ("อ.", "k"), ("ป.", "p"), ("ม.", "m"),
]
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_grade(text: str) -> str | None:
    """A grade code from the registry's free text, or ``None`` when it cannot be read.

    Reads the forms of OBEC's school lists: "อนุบาล 2", "ประถมศึกษาปีที่ 6", "มัธยมศึกษาปีที่ 3", the short
    "ป.6", "ม.3", "อ.1", Thai digits. Anything else (e.g. "เด็กเล็ก") is unknown.
    """
    text = (text or "").translate(_THAI_DIGITS).replace(" ", "")
    for word, prefix in _LEVEL_WORDS:
        if text.startswith(word):
            match = re.search(r"(\d+)", text[len(word):])
            if match:
                code = f"{prefix}{int(match.group(1))}"
                return code if code in GRADE_ORDER else None
    return None


def taught_grades(school: School, academic_year: int) -> list[str] | None:
    """The grade codes ``school`` teaches, in order; ``None`` when nothing says (then every round grade is allowed).

    From the registry's lowest and highest grade ("อนุบาล 2" – "ประถมศึกษาปีที่ 6" → k2…p6); if either
    cannot be read, the grades with an :class:`~emes.models.Enrolment` row in ``academic_year`` (or
    any year). One query at most.
    """
    low, high = parse_grade(school.lowest_grade), parse_grade(school.highest_grade)
    if low and high and GRADE_ORDER.index(low) <= GRADE_ORDER.index(high):
        return GRADE_ORDER[GRADE_ORDER.index(low): GRADE_ORDER.index(high) + 1]
    rows = list(Enrolment.objects.filter(school=school).values_list("academic_year", "grade"))
    grades = {g for year, g in rows if year == academic_year} or {g for _year, g in rows}
    return [g for g in GRADE_ORDER if g in grades] or None


def registry_enrolment(school: School, academic_year: int) -> dict[str, int]:
    """Students per grade code in the school registry for ``academic_year`` (BE). One query."""
    return dict(Enrolment.objects.filter(school=school, academic_year=academic_year).values_list("grade", "students"))


def round_grades_for(literacy_round: LiteracyRound, school: School) -> list[str]:
    """The round's grades that ``school`` teaches (all the round's grades when the registry does not say)."""
    taught = taught_grades(school, literacy_round.academic_year)
    grades = [g for g in GRADE_ORDER if g in (literacy_round.grades or [])]
    return grades if taught is None else [g for g in grades if g in taught]


# --------------------------------------------------------------------------------------------
# Access
# --------------------------------------------------------------------------------------------
def get_round_for_school(user, smis_code: str, round_pk: int, *, write: bool = False) -> tuple[School, LiteracyRound]:
    """The school ``smis_code`` and its office's round ``round_pk``, as ``user`` may see them.

    ``Http404`` for a school the user may not see, a round of another office, or (for a school
    account) a round not opened yet; with ``write`` anyone but the school's account and the plan
    officer gets ``PermissionDenied``.
    """
    school = get_school_for_user(user, smis_code, write=write)
    literacy_round = LiteracyRound.objects.filter(pk=round_pk, office_id=school.office_id).first()
    if literacy_round is None:
        raise Http404("round not found")
    staff = roles_in(user, school.office) - {"school"}
    if literacy_round.status == LiteracyRound.Status.DRAFT and not staff:
        raise Http404("round not opened")
    return school, literacy_round


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------
@dataclass
class Checked:
    """Grades data after :func:`check_grades`: ``grades`` clean (ints), ``errors`` per field key (Thai)."""

    grades: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


class SubmissionInvalid(ValidationError):
    """The results do not pass the checks; ``errors`` maps field keys (:func:`field_key`, or ``""``) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__([m for messages in errors.values() for m in messages])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _count(value: Any, label: str, key: str, checked: Checked, *, blank_is: int | None = None) -> int | None:
    """A whole number 0…MAX_COUNT from a form or a cell, or ``None`` after recording the error."""
    if _blank(value):
        if blank_is is not None:
            return blank_is
        checked.add(key, _("%(field)s: fill in a number (0 if none).") % {"field": label})
        return None
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip().translate(_THAI_DIGITS).replace(",", "")
        if not re.fullmatch(r"-?\d+", text):
            checked.add(key, _("%(field)s: \"%(value)s\" is not a whole number.") % {"field": label, "value": str(value)[:30]})
            return None
        number = int(text)
    if number < 0:
        checked.add(key, _("%(field)s: %(value)s is negative; enter 0 or more.") % {"field": label, "value": number})
        return None
    if number > MAX_COUNT:
        checked.add(key, _("%(field)s: %(value)s is too large.") % {"field": label, "value": number})
        return None
    return number


def _entered(row: dict[str, Any]) -> bool:
    """Whether a grade was filled in at all (``enrolled`` alone does not count: the form prefills it)."""
    if any(not _blank(row.get(k)) for k in ("assessed", "special_needs", "absent")):
        return True
    return any(not _blank(v) for values in (row.get("skills") or {}).values() for v in (values or []))


def check_grades(literacy_round: LiteracyRound, school: School, grades_data: list[dict[str, Any]], *, complete: bool) -> Checked:
    """Check raw grades data (shape in the module docstring) against the rules of issue 6. Two queries.

    Rules: whole non-negative numbers; each skill's four levels add up to the students assessed;
    assessed + special-needs + absent = enrolled; only grades of the round the school teaches; an
    enrolment differing from the registry's needs a reason. A grade left empty is skipped in a draft;
    with ``complete`` (submitting) every grade of the round the school teaches must be filled in.
    """
    checked = Checked()
    allowed = round_grades_for(literacy_round, school)
    registry = registry_enrolment(school, literacy_round.academic_year)
    seen: set[str] = set()
    for row in grades_data:
        grade = str(row.get("grade") or "")
        label = grade_label(grade)
        if grade not in allowed:
            checked.add(field_key(grade, "grade"), _("%(grade)s is not a grade of this round that your school teaches (grades: %(allowed)s).") % {
                "grade": label or "-", "allowed": ", ".join(grade_label(g) for g in allowed) or "-"})
            continue
        if grade in seen:
            checked.add(field_key(grade, "grade"), _("%(grade)s appears twice.") % {"grade": label})
            continue
        seen.add(grade)
        if not _entered(row):
            if complete:
                checked.add(field_key(grade, "assessed"), _("%(grade)s: fill in the results of this grade before submitting.") % {"grade": label})
            continue
        counts: dict[str, int | None] = {}
        for name, name_label in COUNTS:
            blank_is = 0 if name in ("special_needs", "absent") else None
            counts[name] = _count(row.get(name), f"{name_label} {label}", field_key(grade, name), checked, blank_is=blank_is)
        skills: dict[str, list[int]] = {}
        for skill, skill_label in SKILLS:
            values = list((row.get("skills") or {}).get(skill) or [None] * 4) + [None] * 4
            levels = [_count(values[i], f"{skill_label} {label} {level_label}", field_key(grade, skill, level), checked)
                      for i, (level, level_label) in enumerate(LEVELS)]
            if None not in levels:
                skills[skill] = levels  # type: ignore[assignment]
                if counts["assessed"] is not None and sum(levels) != counts["assessed"]:  # type: ignore[arg-type]
                    checked.add(field_key(grade, skill), _(
                        "%(skill)s %(grade)s: very good + good + fair + needs improvement = %(total)s, not the number of students assessed %(assessed)s"
                    ) % {"skill": skill_label, "grade": label, "total": sum(levels), "assessed": counts["assessed"]})  # type: ignore[arg-type]
        if None in counts.values():
            continue
        enrolled, assessed, special, absent = (counts[k] for k in ("enrolled", "assessed", "special_needs", "absent"))
        if assessed + special + absent != enrolled:  # type: ignore[operator]
            checked.add(field_key(grade, "enrolled"), _(
                "%(grade)s: assessed %(assessed)s + special-needs %(special)s + absent %(absent)s = %(total)s, not the students enrolled %(enrolled)s"
            ) % {"grade": label, "assessed": assessed, "special": special, "absent": absent,
                 "total": assessed + special + absent, "enrolled": enrolled})  # type: ignore[operator]
        reason = str(row.get("enrolled_reason") or "").strip()[:300]
        if grade in registry and registry[grade] != enrolled and not reason:
            checked.add(field_key(grade, "enrolled_reason"), _(
                "%(grade)s: the registry has %(registry)s students enrolled; say why you enter %(enrolled)s."
            ) % {"grade": label, "registry": registry[grade], "enrolled": enrolled})
        checked.grades.append({
            "grade": grade, "enrolled": enrolled, "enrolled_reason": reason, "assessed": assessed,
            "special_needs": special, "absent": absent, "skills": skills,
        })
    if complete:
        for grade in allowed:
            if grade not in seen:
                checked.add(field_key(grade, "assessed"), _("%(grade)s: fill in the results of this grade before submitting.") % {"grade": grade_label(grade)})
    checked.grades.sort(key=lambda g: GRADE_ORDER.index(g["grade"]))
    return checked


# --------------------------------------------------------------------------------------------
# Reading a submission back
# --------------------------------------------------------------------------------------------
def submission_data(submission: Submission | None) -> list[dict[str, Any]]:
    """The stored results of ``submission`` as grades data (empty for none). Two queries."""
    if submission is None or submission.pk is None:
        return []
    return grades_data(submission.grades.prefetch_related(plain_skills()).order_by("grade"))  # plain: no join (issue 18)


def grades_data(grade_results: Iterable[GradeResult]) -> list[dict[str, Any]]:
    """Grades data of one submission's ``grade_results`` (their ``skills`` prefetched, e.g. ``plain_skills()``), in
    the order of ``emes.models.Grade`` (ป.1 before ม.1). No query of its own."""
    out = []
    for g in grade_results:
        skills = {s.skill: [s.very_good, s.good, s.fair, s.improve] for s in g.skills.all()}
        out.append({"grade": g.grade, "enrolled": g.enrolled, "enrolled_reason": g.enrolled_reason, "assessed": g.assessed,
                    "special_needs": g.special_needs, "absent": g.absent, "skills": skills})
    out.sort(key=lambda g: GRADE_ORDER.index(g["grade"]))
    return out


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def _refuse_closed(literacy_round: LiteracyRound, school: School) -> None:
    if window_open_for(literacy_round, school):
        return
    if literacy_round.status == LiteracyRound.Status.DRAFT:
        raise ValidationError(_("The office has not opened this round yet; results cannot be entered."), code="window_closed")
    if timezone.now() < literacy_round.opens_at and literacy_round.status == LiteracyRound.Status.OPEN:
        raise ValidationError(_("This round opens on %(opens)s; results cannot be entered before then.") % {"opens": be_datetime(literacy_round.opens_at)}, code="window_closed")
    raise ValidationError(_(
        "The submission window closed on %(deadline)s; nothing was saved. Ask the office's plan officer to reopen the window for your school."
    ) % {"deadline": be_datetime(deadline_for(literacy_round, school))}, code="window_closed")


def start_submission(literacy_round: LiteracyRound, school: School, *, by) -> Submission:
    """The school's submission of the round, created as an empty draft (version 1) if there is none.

    Raises ``PermissionDenied`` for anyone but the school's account or the plan officer, and
    ``ValidationError`` (code ``window_closed``) outside the school's window.
    """
    if school.office_id != literacy_round.office_id:
        raise PermissionDenied
    if not can_enter_results(by, school):
        raise PermissionDenied
    existing = Submission.objects.filter(round=literacy_round, school=school).first()
    if existing:
        return existing
    _refuse_closed(literacy_round, school)
    submission, _created = Submission.objects.get_or_create(round=literacy_round, school=school, defaults={"updated_by": by})
    return submission


def save_submission(submission: Submission, *, by, grades_data: list[dict[str, Any]], expected_version: int,
                    submit: bool = False, uploaded: bool = False, note: str = "") -> Submission:
    """Check and store the school's results, all or nothing; returns the submission at its new version.

    ``grades_data``: raw values in the shape of the module docstring (only the grades entered need
    be given for a draft; every grade of the round the school teaches to submit). Status: a draft
    or reopened submission stays so, or becomes submitted with ``submit``; a submitted one changed
    while the window is open stays submitted (action ``corrected``). Every save raises ``version``
    and keeps a :class:`SubmissionChange` (action saved/submitted/corrected, or ``uploaded`` from
    the Excel upload) with the data stored.

    Raises ``PermissionDenied`` (not the school's account nor the plan officer); ``ValidationError``
    with code ``window_closed`` (outside the school's window) or ``stale`` (``expected_version`` is not
    the stored one: someone saved in between); :class:`SubmissionInvalid` with errors per field.
    """
    with transaction.atomic():
        locked = Submission.objects.select_for_update().select_related("round", "school__office").get(pk=submission.pk)
        literacy_round, school = locked.round, locked.school
        if not can_enter_results(by, school):
            raise PermissionDenied
        _refuse_closed(literacy_round, school)
        if locked.version != expected_version:
            raise ValidationError(_(
                "Someone saved these results after you opened them (version %(stored)s, yours %(yours)s). Nothing was saved; open the form again to see the latest figures."
            ) % {"stored": locked.version, "yours": expected_version}, code="stale")
        checked = check_grades(literacy_round, school, grades_data, complete=submit or locked.status == Submission.Status.SUBMITTED)
        if checked.errors:
            raise SubmissionInvalid(checked.errors)

        was = locked.status
        if was == Submission.Status.SUBMITTED:
            action = SubmissionChange.Action.CORRECTED
        elif submit:
            action = SubmissionChange.Action.SUBMITTED
            locked.status = Submission.Status.SUBMITTED
            locked.submitted_at = timezone.now()
        else:
            action = SubmissionChange.Action.SAVED
        if uploaded:
            action = SubmissionChange.Action.UPLOADED
            if submit and was != Submission.Status.SUBMITTED:
                note = note or _("Uploaded from Excel and submitted.")

        locked.grades.all().delete()  # the whole form is the new state; the change row keeps the old one
        for g in checked.grades:
            result = GradeResult.objects.create(
                submission=locked, grade=g["grade"], enrolled=g["enrolled"], enrolled_reason=g["enrolled_reason"],
                assessed=g["assessed"], special_needs=g["special_needs"], absent=g["absent"],
            )
            SkillResult.objects.bulk_create([
                SkillResult(grade_result=result, skill=skill, very_good=v[0], good=v[1], fair=v[2], improve=v[3])
                for skill, v in g["skills"].items()
            ])
        locked.version += 1
        locked.updated_by = by
        locked.save(update_fields=["status", "submitted_at", "version", "updated_by", "updated_at"])
        SubmissionChange.objects.create(submission=locked, version=locked.version, action=action,
                                        data={"grades": checked.grades}, by=by, note=note)
    return locked
