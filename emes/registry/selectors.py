"""Reads of the registry: the school list of an office with its latest enrolments."""
from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet, Sum

from emes.models import Enrolment, Grade, Office, School, SchoolImport

#: Grades shown on the school list: the literacy denominators (ป.1-ป.6).
LIST_GRADES = (Grade.P1, Grade.P2, Grade.P3, Grade.P4, Grade.P5, Grade.P6)

#: Status filter values → conditions. ``open``: teaching and in the latest list; ``merged``:
#: studies with another school (เรียนรวม); ``closed``: not open, not merged; ``missing``: absent
#: from the latest imported list.
STATUS_FILTERS: dict[str, Q] = {
    "open": Q(is_open=True, missing_since__isnull=True),
    "merged": Q(is_open=False) & ~Q(merged_into=""),
    "closed": Q(is_open=False, merged_into=""),
    "missing": Q(missing_since__isnull=False),
}


def latest_enrolment_year(office: Office) -> int | None:
    """The newest academic year (BE) with enrolments in ``office``; ``None`` when there are none."""
    return Enrolment.objects.filter(school__office=office).aggregate(year=Max("academic_year"))["year"]


def office_schools(office: Office, *, academic_year: int | None, cluster: str = "", status: str = "") -> QuerySet[School]:
    """The schools of ``office`` (by SMIS code), each annotated ``p1`` ... ``p6`` with the students of
    ``academic_year`` (``None`` when not imported). One query whatever the number of schools."""
    schools = School.objects.filter(office=office).order_by("smis_code")
    if cluster:
        schools = schools.filter(cluster=cluster)
    if status in STATUS_FILTERS:
        schools = schools.filter(STATUS_FILTERS[status])
    if academic_year is not None:
        schools = schools.annotate(**{
            g.value: Sum("enrolments__students", filter=Q(enrolments__academic_year=academic_year, enrolments__grade=g.value))
            for g in LIST_GRADES
        })
    return schools


def office_school_counts(office: Office) -> dict[str, int]:
    """``{"all": n, "open": n, "merged": n, "closed": n, "missing": n}`` for ``office`` (one query)."""
    return School.objects.filter(office=office).aggregate(
        all=Count("pk"), **{name: Count("pk", filter=condition) for name, condition in STATUS_FILTERS.items()}
    )


def office_clusters(office: Office) -> list[str]:
    """The school clusters of ``office``, sorted (one query)."""
    return list(School.objects.filter(office=office).exclude(cluster="").order_by("cluster").values_list("cluster", flat=True).distinct())


def recent_imports(office: Office, limit: int = 10) -> QuerySet[SchoolImport]:
    """The newest school imports of ``office`` with their uploader."""
    return SchoolImport.objects.filter(office=office).select_related("uploaded_by")[:limit]
