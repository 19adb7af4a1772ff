"""ส่วนที่ ๑ ข้อมูลพื้นฐาน: the office's area, schools, students and staff (docs/annual-report.md, Part 1)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from emes.models import Division, Enrolment, Grade, Membership, Office, Role, School

#: OBEC size classes in print order (``School.size`` gives the label; "" = students unknown).
SIZE_ORDER = ("ขนาดเล็ก", "ขนาดกลาง", "ขนาดใหญ่", "ขนาดใหญ่พิเศษ")
STAFF_ROLES = (Role.DIRECTOR, Role.PLAN_OFFICER, Role.DIVISION_HEAD, Role.PROJECT_OWNER, Role.SUPERVISOR, Role.VIEWER)


def size_class(students: int | None) -> str:
    """OBEC size class of a school by students (same thresholds as ``emes.models.School.size``), "" when unknown."""
    if not students:
        return ""
    if students <= 120:
        return SIZE_ORDER[0]
    if students <= 600:
        return SIZE_ORDER[1]
    if students < 1500:
        return SIZE_ORDER[2]
    return SIZE_ORDER[3]


@dataclass
class DistrictRow:
    district: str
    schools: int = 0
    students: int = 0
    by_size: Counter = field(default_factory=Counter)


@dataclass
class Basics:
    """Open schools (not merged, still in the registry) of the office, students, divisions and EMES staff.

    ``enrolment_year``: the academic year (BE) of ``by_grade`` (``None`` when the registry has no
    enrolment); ``teachers`` is ``None``: the school registry holds no teacher counts yet.
    """

    schools: int
    students: int
    districts: list[DistrictRow]
    clusters: list[tuple[str, int]]
    by_size: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    enrolment_year: int | None
    by_grade: list[tuple[str, int]]
    divisions: list[tuple[Division, int]]
    staff_total: int
    teachers: int | None = None

    @property
    def size_columns(self) -> list[str]:
        return [label for label, _ in self.by_size]

    @property
    def district_table(self) -> list[tuple[DistrictRow, list[int]]]:
        """Each district with its school counts in ``size_columns`` order."""
        return [(row, [row.by_size[c] for c in self.size_columns]) for row in self.districts]


def basics(office: Office, fiscal_year: int) -> Basics:
    """Part 1 of the book for ``office`` (5 queries whatever the number of schools).

    Enrolment: the newest academic year before ``fiscal_year`` (academic year N-1 runs May N-1 to
    March N, inside fiscal year N; DESIGN.md "The fiscal-year calendar"), so FY 2569 shows 2568.
    """
    schools = list(School.objects.filter(office=office, is_open=True, missing_since__isnull=True)
                   .values_list("district", "cluster", "school_type", "students_total"))
    districts: dict[str, DistrictRow] = {}
    clusters: Counter = Counter()
    sizes: Counter = Counter()
    types: Counter = Counter()
    for district, cluster, school_type, students in schools:
        row = districts.setdefault(district or "-", DistrictRow(district or "-"))
        size = size_class(students) or "ไม่ทราบจำนวนนักเรียน"
        row.schools += 1
        row.students += students or 0
        row.by_size[size] += 1
        sizes[size] += 1
        if cluster:
            clusters[cluster] += 1
        types[school_type or "ไม่ระบุ"] += 1
    size_rows = [(s, sizes[s]) for s in SIZE_ORDER if sizes[s]] + ([("ไม่ทราบจำนวนนักเรียน", sizes["ไม่ทราบจำนวนนักเรียน"])] if sizes["ไม่ทราบจำนวนนักเรียน"] else [])

    enrolments = Enrolment.objects.filter(school__office=office, school__is_open=True)
    year = (enrolments.filter(academic_year__lt=fiscal_year).order_by("-academic_year").values_list("academic_year", flat=True).first())
    by_grade: list[tuple[str, int]] = []
    if year is not None:
        totals = dict(enrolments.filter(academic_year=year).values_list("grade").annotate(n=Sum("students")).order_by())
        by_grade = [(label, totals[code]) for code, label in Grade.choices if code in totals]

    divisions = list(Division.objects.filter(office=office).annotate(
        staff=Count("memberships", filter=Q(memberships__role__in=STAFF_ROLES), distinct=True)).order_by("code"))
    staff_total = Membership.objects.filter(office=office, role__in=STAFF_ROLES).values("user").distinct().count()
    return Basics(
        schools=len(schools),
        students=sum(s or 0 for *_, s in schools),
        districts=sorted(districts.values(), key=lambda r: r.district),
        clusters=sorted(clusters.items()),
        by_size=size_rows,
        by_type=sorted(types.items(), key=lambda kv: -kv[1]),
        enrolment_year=year,
        by_grade=by_grade,
        divisions=[(d, d.staff) for d in divisions],
        staff_total=staff_total,
    )
