"""Summaries of a literacy round: counts and percentages per level, for the office, its clusters,
districts and schools; round 1 against round 2; flagged schools; completeness.

Two layers:

* pure arithmetic on counts (:func:`percent`, :class:`LevelCounts`), so the rules can be fed any
  published table (the Yala e-read/e-write table is the test, ``tests/literacy/summary``);
* DB readers that aggregate with a few grouped queries (``values(...).annotate(Sum(...))``), never a
  query per school, so a page's query count does not grow with the office.

Rules (OBEC e-read/e-write reports, ``data/03_literacy``):

* A percentage is of the students **assessed** (normal students; special-needs and absent students
  are counted apart), to two decimals, rounded half up, as OBEC publishes. The denominator is the
  assessed figure, not the sum of the four levels: in a consistent submission both agree (the school
  form checks it), and where a published table disagrees (Yala, สพฐ. reading aloud: levels add up to
  83,092, the total to 83,091) OBEC's percentages are of the published total.
* The share at ดีมาก+ดี is computed from the summed counts, not by adding two rounded percentages.
* Which submissions count: ``submitted`` and ``reopened``. A reopened submission keeps the figures
  it was submitted with until it is submitted again (the school corrects on the same rows; the office
  reopened it, so what is stored is still the school's last word). Drafts never count.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from emes.stats import percentage as percent  # noqa: F401 (re-exported for the summaries)
from emes.models import Grade, Office, School

from .models import GradeResult, Level, LiteracyRound, Skill, SkillResult, Submission

#: Statuses of a submission that count in a summary (see the module docstring).
COUNTED_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.REOPENED)
#: The four levels, best first, as field names of :class:`SkillResult`.
LEVELS: tuple[str, ...] = tuple(Level.values)
SKILLS: tuple[str, ...] = tuple(Skill.values)
#: Key of the "all grades of the round together" block (OBEC's "ป.1-3" table).
ALL_GRADES = "all"


@dataclass
class LevelCounts:
    """Students at each level of one skill, and the students assessed (the denominator)."""

    very_good: int = 0
    good: int = 0
    fair: int = 0
    improve: int = 0
    assessed: int = 0

    def add(self, other: "LevelCounts") -> None:
        self.very_good += other.very_good
        self.good += other.good
        self.fair += other.fair
        self.improve += other.improve
        self.assessed += other.assessed

    @property
    def counts(self) -> list[int]:
        return [self.very_good, self.good, self.fair, self.improve]

    @property
    def percents(self) -> list[Decimal | None]:
        """Percent of assessed at ดีมาก, ดี, พอใช้, ปรับปรุง."""
        return [percent(n, self.assessed) for n in self.counts]

    @property
    def levels(self) -> list[tuple[int, Decimal | None]]:
        """(count, percent) per level, best first — what a table row shows."""
        return list(zip(self.counts, self.percents))

    @property
    def top_pct(self) -> Decimal | None:
        """Share at ดีมาก + ดี (%), from the summed counts."""
        return percent(self.very_good + self.good, self.assessed)

    @property
    def improve_pct(self) -> Decimal | None:
        """Share at ปรับปรุง (%)."""
        return percent(self.improve, self.assessed)


@dataclass
class GradeSummary:
    """One grade (or all grades together) of a group: students and the four skills."""

    grade: str
    enrolled: int = 0
    assessed: int = 0
    special_needs: int = 0
    absent: int = 0
    skills: dict[str, LevelCounts] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return Grade(self.grade).label if self.grade != ALL_GRADES else ""

    def skill_rows(self) -> list[tuple[str, str, LevelCounts]]:
        """(skill, Thai label, counts) in OBEC's order; a skill nobody reported shows zeros."""
        return [(s, Skill(s).label, self.skills.get(s) or LevelCounts(assessed=self.assessed)) for s in SKILLS]


@dataclass
class GroupSummary:
    """The office, a cluster, a district or a school: results per grade, plus all grades together."""

    key: Any
    label: str
    schools: int = 0  # schools whose submission counts
    grades: dict[str, GradeSummary] = field(default_factory=dict)
    grade_order: list[str] = field(default_factory=list)  # the round's grades, for display

    def grade(self, grade: str) -> GradeSummary:
        return self.grades.setdefault(grade, GradeSummary(grade))

    @property
    def all_grades(self) -> GradeSummary:
        """Every grade summed (``ALL_GRADES``), computed on first use."""
        if ALL_GRADES not in self.grades:
            total = GradeSummary(ALL_GRADES)
            for g in list(self.grades.values()):
                total.enrolled += g.enrolled
                total.assessed += g.assessed
                total.special_needs += g.special_needs
                total.absent += g.absent
                for skill, counts in g.skills.items():
                    total.skills.setdefault(skill, LevelCounts()).add(counts)
            self.grades[ALL_GRADES] = total
        return self.grades[ALL_GRADES]

    def ordered_grades(self, grades: Sequence[str]) -> list[GradeSummary]:
        """The round's grades in order (a grade nobody reported shows zeros)."""
        return [self.grades.get(g) or GradeSummary(g) for g in grades]

    @property
    def ordered_grades_with_total(self) -> list[GradeSummary]:
        """``grade_order``'s grades, then all grades together (only when there is more than one grade)."""
        grades = self.ordered_grades(self.grade_order)
        return [*grades, self.all_grades] if len(grades) > 1 else grades


def summarise_counts(grade_rows: Iterable[dict], skill_rows: Iterable[dict], *, key: str | None,
                     labels: dict[Any, str] | None = None) -> dict[Any, GroupSummary]:
    """Build :class:`GroupSummary` objects from grouped rows (pure; the DB readers feed it).

    ``grade_rows``: dicts with ``key`` (when given), ``grade``, ``enrolled``, ``assessed``,
    ``special_needs``, ``absent`` and ``schools``. ``skill_rows``: dicts with ``key``, ``grade``,
    ``skill`` and the four level counts. The denominator of a skill is its grade's ``assessed``.
    """
    labels = labels or {}
    groups: dict[Any, GroupSummary] = {}

    def group(k: Any) -> GroupSummary:
        if k not in groups:
            groups[k] = GroupSummary(k, labels.get(k, "" if k is None else str(k)))
        return groups[k]

    for row in grade_rows:
        g = group(row[key] if key else None)
        gs = g.grade(row["grade"])
        gs.enrolled, gs.assessed = row["enrolled"] or 0, row["assessed"] or 0
        gs.special_needs, gs.absent = row["special_needs"] or 0, row["absent"] or 0
        g.schools = max(g.schools, row.get("schools") or 0)
    for row in skill_rows:
        g = group(row[key] if key else None)
        gs = g.grade(row["grade"])
        gs.skills[row["skill"]] = LevelCounts(*(row[level] or 0 for level in LEVELS), assessed=gs.assessed)
    return groups


# --- DB readers -------------------------------------------------------------------------------


def counted_submissions(rounds: QuerySet[LiteracyRound] | LiteracyRound) -> QuerySet[Submission]:
    """Submissions of ``rounds`` that count in a summary (submitted or reopened)."""
    rounds_q = Q(round=rounds) if isinstance(rounds, LiteracyRound) else Q(round__in=rounds)
    return Submission.objects.filter(rounds_q, status__in=COUNTED_STATUSES)


def _grouped(submissions: QuerySet[Submission], key: str | None, *, by_grade: bool = True) -> dict[Any, GroupSummary]:
    """Two grouped queries: students per (key, grade), levels per (key, grade, skill).

    ``key`` is a path from :class:`Submission` (``"school__cluster"``, ``"school_id"``,
    ``"round__office_id"``) or ``None`` for one total. Without ``by_grade`` all grades are summed
    in the database and filed under ``ALL_GRADES``.
    """
    gkeys = ([f"submission__{key}"] if key else []) + (["grade"] if by_grade else [])
    grade_qs = (GradeResult.objects.filter(submission__in=submissions).values(*gkeys)
                .annotate(enrolled_sum=Sum("enrolled"), assessed_sum=Sum("assessed"), special_sum=Sum("special_needs"),
                          absent_sum=Sum("absent"), schools=Count("submission__school_id", distinct=True)).order_by())
    skeys = ([f"grade_result__submission__{key}"] if key else []) + (["grade_result__grade"] if by_grade else []) + ["skill"]
    skill_qs = (SkillResult.objects.filter(grade_result__submission__in=submissions).values(*skeys)
                .annotate(**{f"{level}_sum": Sum(level) for level in LEVELS}).order_by())
    grade_rows = [{"key": r.get(f"submission__{key}"), "grade": r.get("grade", ALL_GRADES), "enrolled": r["enrolled_sum"],
                   "assessed": r["assessed_sum"], "special_needs": r["special_sum"], "absent": r["absent_sum"],
                   "schools": r["schools"]} for r in grade_qs]
    skill_rows = [{"key": r.get(f"grade_result__submission__{key}"), "grade": r.get("grade_result__grade", ALL_GRADES),
                   "skill": r["skill"], **{level: r[f"{level}_sum"] for level in LEVELS}} for r in skill_qs]
    groups = summarise_counts(grade_rows, skill_rows, key="key" if key else None)
    if key:
        # schools per group over all grades (a school can report a grade another does not)
        for row in submissions.values(key).annotate(n=Count("school_id", distinct=True)).order_by():
            if row[key] in groups:
                groups[row[key]].schools = row["n"]
    elif None in groups:
        groups[None].schools = submissions.values("school_id").distinct().count()
    return groups


@dataclass
class SchoolRow:
    """One school of the round in the summary's school table."""

    school: School
    status: str  # a Submission.Status value, or "" for not started
    summary: GroupSummary | None
    flagged_skills: list[str] = field(default_factory=list)
    comparison: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)

    @property
    def counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def status_label(self) -> str:
        return Submission.Status(self.status).label if self.status else ""


@dataclass
class RoundSummary:
    """Everything the summary page, PDF and Excel show for one round.

    ``comparison_round``: the other round (1 ↔ 2) of the same academic year, when it exists;
    ``SchoolRow.comparison[skill] = (change in % at ดีมาก+ดี, change in % at ปรับปรุง)`` from that
    round 1 to round 2 (percentage points, grades together; ``None`` when a school lacks either round).
    """

    round: LiteracyRound
    office: Office
    grades: list[str]
    office_total: GroupSummary
    clusters: list[GroupSummary]
    districts: list[GroupSummary]
    schools: list[SchoolRow]
    expected: int
    submitted: int
    comparison_round: LiteracyRound | None
    first_round: LiteracyRound | None = None
    second_round: LiteracyRound | None = None

    @property
    def completeness_pct(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def flagged(self) -> list[SchoolRow]:
        return [row for row in self.schools if row.flagged_skills]

    @property
    def skills(self) -> list[tuple[str, str]]:
        return [(s, Skill(s).label) for s in SKILLS]


def flag_skills(summary: GroupSummary, threshold_pct: Decimal) -> list[str]:
    """Skills where the share at ปรับปรุง, all grades of the school together, is ≥ ``threshold_pct``.

    Grades together, not grade by grade: a grade of three students would flag a school for one child.
    """
    total = summary.all_grades
    flagged = []
    for skill in SKILLS:
        pct = total.skills.get(skill, LevelCounts()).improve_pct
        if pct is not None and pct >= threshold_pct:
            flagged.append(skill)
    return flagged


def compare_shares(first: GroupSummary | None, second: GroupSummary | None) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Per skill, (second - first) of the share at ดีมาก+ดี and at ปรับปรุง, in percentage points.

    Each share is rounded to two decimals first, so the change equals the difference of the
    percentages printed side by side.
    """
    out: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for skill in SKILLS:
        a = first.all_grades.skills.get(skill) if first else None
        b = second.all_grades.skills.get(skill) if second else None
        if a is None or b is None or a.top_pct is None or b.top_pct is None:
            out[skill] = (None, None)
        else:
            out[skill] = (b.top_pct - a.top_pct, b.improve_pct - a.improve_pct)
    return out


def _other_round(rnd: LiteracyRound) -> LiteracyRound | None:
    if rnd.number not in (1, 2):
        return None
    return LiteracyRound.objects.filter(office_id=rnd.office_id, academic_year=rnd.academic_year,
                                        number=3 - rnd.number).first()


def round_summary(rnd: LiteracyRound) -> RoundSummary:
    """The summary of ``rnd`` for its office (≈ 16 queries, whatever the number of schools)."""
    office = rnd.office
    subs = counted_submissions(rnd)
    grades = [g for g in (rnd.grades or []) if g in Grade.values]
    by_grade_total = _grouped(subs, None)
    office_total = by_grade_total.get(None) or GroupSummary(None, office.name)
    office_total.label = office.name
    for g in grades:
        office_total.grade(g)
    # expected: schools still open, plus any school that submitted although it closed since
    schools = list(School.objects.filter(office=office)
                   .filter(Q(is_open=True, missing_since__isnull=True) | Q(literacy_submissions__round=rnd))
                   .distinct().order_by("cluster", "smis_code"))
    statuses = dict(Submission.objects.filter(round=rnd).values_list("school_id", "status"))
    clusters = sorted(_grouped(subs, "school__cluster").values(), key=lambda g: g.key or "")
    districts = sorted(_grouped(subs, "school__district").values(), key=lambda g: g.key or "")
    per_school = _grouped(subs, "school_id")
    other = _other_round(rnd)
    first = second = None
    if other is not None:
        first, second = (rnd, other) if rnd.number == 1 else (other, rnd)
        other_totals = _grouped(counted_submissions(other), "school_id", by_grade=False)
    threshold = Decimal(rnd.improvement_flag_pct)
    rows = []
    for school in schools:
        summary = per_school.get(school.pk)
        row = SchoolRow(school, statuses.get(school.pk, ""), summary)
        if summary is not None:
            summary.label = school.name
            row.flagged_skills = flag_skills(summary, threshold)
        if other is not None:
            mine, theirs = summary, other_totals.get(school.pk)
            row.comparison = compare_shares(*((mine, theirs) if rnd.number == 1 else (theirs, mine)))
        rows.append(row)
    for group in [office_total, *clusters, *districts, *per_school.values()]:
        group.grade_order = grades
    counted = sum(1 for row in rows if row.counted)
    return RoundSummary(
        round=rnd, office=office, grades=grades, office_total=office_total, clusters=clusters, districts=districts,
        schools=rows, expected=len(rows), submitted=counted, comparison_round=other, first_round=first, second_round=second,
    )


def national_summary(academic_year: int, number: int) -> tuple[GroupSummary, dict[int, GroupSummary]]:
    """Round ``number`` of ``academic_year`` over every office: the country's total and each office's.

    Returns ``(total, {office_id: summary})``; four grouped queries whatever the number of schools.
    """
    rounds = LiteracyRound.objects.filter(academic_year=academic_year, number=number)
    subs = counted_submissions(rounds)
    total = _grouped(subs, None).get(None) or GroupSummary(None, "")
    per_office = _grouped(subs, "round__office_id")
    names = dict(Office.objects.filter(pk__in=list(per_office)).values_list("pk", "name"))
    for pk, group in per_office.items():
        group.label = names.get(pk, "")
    return total, per_office

