"""Office-side reads of the literacy assessment: the rounds list and the status board.

Both cost a fixed number of queries whatever the number of schools or rounds (tested): the
rows are assembled in Python from one query per table. Rule source: issue 6 ("Office views"):
every school of the office with code, name, cluster, phone, status and last change; a filter for
the missing schools; counts at the top (submitted n of N, %).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.stats import percentage as percent
from emes.models import Office, School

from .models import LiteracyRound, RoundReopening, Submission

#: Board statuses: the submission's status, or "not started" when the school has no row yet.
NOT_STARTED = "not_started"
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    Submission.Status.DRAFT: _("Draft"),
    Submission.Status.SUBMITTED: _("Submitted"),
    Submission.Status.REOPENED: _("Reopened"),
}


def office_schools(office: Office | int):
    """The schools expected to submit: the office's open schools present in the latest registry."""
    return School.objects.open().filter(office=office)


@dataclass
class RoundRow:
    round: LiteracyRound
    submitted: int
    expected: int

    @property
    def pct(self) -> Decimal | None:
        return percent(self.submitted, self.expected)


def rounds_of_office(office: Office) -> list[RoundRow]:
    """The office's rounds, newest first, with their submitted count over the open schools. Two queries."""
    expected = office_schools(office).count()
    rounds = LiteracyRound.objects.filter(office=office).annotate(
        submitted_count=Count("submissions", filter=Q(
            submissions__status=Submission.Status.SUBMITTED, submissions__school__is_open=True,
            submissions__school__missing_since__isnull=True,
        ))
    ).order_by("-academic_year", "-number")
    return [RoundRow(r, r.submitted_count, expected) for r in rounds]


@dataclass
class BoardRow:
    school: School
    status: str
    submission: Submission | None
    reopened_until: dt.datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def last_change(self) -> dt.datetime | None:
        return self.submission.updated_at if self.submission else None

    @property
    def is_missing(self) -> bool:
        return self.status != Submission.Status.SUBMITTED


@dataclass
class StatusBoard:
    round: LiteracyRound
    rows: list[BoardRow]  # after the filters
    expected: int  # open schools of the office
    counts: dict[str, int]  # by status, over every expected school
    clusters: list[str]
    excluded: int  # closed, merged or missing schools, not expected
    missing_only: bool = False
    cluster: str = ""
    reopenings: list[RoundReopening] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return self.counts[Submission.Status.SUBMITTED]

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def pct(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(key, STATUS_LABELS[key], self.counts[key]) for key in STATUS_LABELS]


def status_board(literacy_round: LiteracyRound, *, missing_only: bool = False, cluster: str = "") -> StatusBoard:
    """Every open school of the round's office with its submission status; five queries whatever the schools.

    ``missing_only`` keeps the schools that have not submitted (not started, draft, reopened);
    ``cluster`` keeps one cluster. The counts are over every expected school, not the filtered rows.
    """
    schools = list(office_schools(literacy_round.office_id).order_by("cluster", "smis_code"))
    submissions = {
        s.school_id: s for s in Submission.objects.filter(round=literacy_round).select_related("updated_by")
    }
    now = timezone.now()
    reopenings = list(RoundReopening.objects.filter(round=literacy_round).select_related("school", "by").order_by("-at"))
    latest_until: dict[int, dt.datetime] = {}
    for r in reopenings:
        if r.until >= now and r.until > latest_until.get(r.school_id, r.until - dt.timedelta(seconds=1)):
            latest_until[r.school_id] = r.until
    excluded = School.objects.filter(office_id=literacy_round.office_id).exclude(
        pk__in=office_schools(literacy_round.office_id).values("pk")
    ).count()

    counts = {key: 0 for key in STATUS_LABELS}
    all_rows = []
    for school in schools:
        submission = submissions.get(school.pk)
        status = submission.status if submission else NOT_STARTED
        counts[status] += 1
        all_rows.append(BoardRow(school, status, submission, latest_until.get(school.pk)))
    rows = [
        r for r in all_rows
        if (not missing_only or r.is_missing) and (not cluster or r.school.cluster == cluster)
    ]
    clusters = sorted({s.cluster for s in schools if s.cluster})
    return StatusBoard(
        round=literacy_round, rows=rows, expected=len(schools), counts=counts, clusters=clusters, excluded=excluded,
        missing_only=missing_only, cluster=cluster, reopenings=reopenings,
    )
