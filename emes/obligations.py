"""What is owed to an office, and by whom: one registry the domain apps fill (issue 14).

An *obligation* is something a person, a division or a school owes the office by a due date: a
project's quarterly report, a school's literacy results, a unit's inspection form. The core knows
no app: each domain app registers a *provider* for its kind in its ``AppConfig.ready()``::

    from emes.obligations import register_obligation_provider

    def quarterly_reports(*, office, user, on):
        ...  # return [Obligation(kind="quarterly_report", key=..., ...)]

    register_obligation_provider("quarterly_report", quarterly_reports)

and :func:`open_obligations` serves every reader from them: the home pages (what I owe), the
reminder sweep (``reports.reminders.services``: what the office is owed, and whom to remind at
each stage) and the per-user iCalendar feed (``emes.calendar.selectors.feed_items``). The rule of
each kind, with its source, is written in ``docs/obligations.md``.

A provider is called as ``provider(office=<Office or None>, user=<user or None>, on=<date>)`` and
must:

- return only the obligations open on ``on``: already owed (``opens_on <= on``) and not fulfilled,
  whatever their due date (readers decide what to do with those not due yet);
- restrict to ``office`` when given, and may narrow its queries to those concerning ``user``
  (``open_obligations`` checks ``user.pk in obligation.users`` anyway);
- give every obligation a stable ``key`` (the reminder's unique constraint is on it: never put the
  date or a count in it) and JSON-able ``facts`` (ints, strings, ISO dates, lists);
- run a fixed number of queries whatever the number of rows (readers list whole offices).

Reminder stages (decided in ``reports.reminders.services``; providers only say whom each concerns):
``notice`` before the due date, ``first`` letter once overdue (a memo to a person, an external letter to
a school), ``second`` letter to the division head or the school's director.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .fiscal import WorkingCalendar
from .models import Membership, Office, OfficeHoliday, Role, School

MEMO = "memo"
EXTERNAL = "external"
NOTICE, FIRST, SECOND = "notice", "first", "second"
STAGES = (NOTICE, FIRST, SECOND)


@dataclass(frozen=True)
class Recipient:
    """Who is reminded at one stage.

    ``key`` is stable ("user:5", "school:40"); ``salutation`` is what follows เรียน in a letter;
    ``letter_kind`` is ``"memo"`` (บันทึกข้อความ, to a person of the office) or ``"external"``
    (หนังสือภายนอก, to a school). ``notify`` are the users told in-app (the person; a school's accounts).
    ``email`` may be empty: the letter is then printed and sent by post or by hand.
    """

    key: str
    name: str
    email: str
    salutation: str
    letter_kind: str
    user: Any = None
    school: School | None = None
    notify: tuple = ()


@dataclass(frozen=True)
class Obligation:
    """One open obligation owed to an office.

    - ``kind``: the provider's kind (``"quarterly_report"``, ``"literacy"``, ``"inspection_form"``);
    - ``key``: stable across days (``"quarterly_report:project=12:fy=2569:q=1"``), unique among all kinds;
    - ``office``: the office it is owed to; ``due_on``: the due date (Asia/Bangkok); ``due_at``: the
      deadline's moment when it has one (a literacy window closes at a time); ``opens_on``: the day it
      became owed (the quarter's start, the round's opening, the form's dispatch);
    - ``subject``: the short title used in letters and lists; ``url``: the path where the one who owes it acts;
    - ``facts`` (JSON-able): exactly what is missing, for letters (``days_late`` in working days on the
      day asked); ``missing``: the same as short texts for pages (e.g. the unanswered questions);
    - owed by: ``school`` (a school owes it) or ``division`` (a division owes it, or the project's division);
      ``users``: the pks of the people it concerns, who owe it or answer for it (the project owner and the
      division's heads; a school's accounts; a division's heads and members who answer its form);
    - ``recipients``: each reminder stage → its recipients (a stage may have none: then it is not sent);
    - ``status_label``: where it stands (not started, draft, returned for revision …);
    - ``target``: the row it is about, for pages (a ``Project``, a ``LiteracyRound``, a ``FormDispatch``).
    """

    kind: str
    key: str
    office: Office
    due_on: dt.date
    subject: str
    facts: dict
    url: str
    recipients: dict[str, tuple[Recipient, ...]] = field(default_factory=dict)
    opens_on: dt.date | None = None
    due_at: dt.datetime | None = None
    users: frozenset[int] = frozenset()
    school: School | None = None
    division: Any = None
    missing: tuple[str, ...] = ()
    status_label: str = ""
    target: Any = field(default=None, compare=False)

    def recipients_for(self, stage: str) -> tuple[Recipient, ...]:
        return self.recipients.get(stage, ())

    @property
    def days_late(self) -> int:
        """Working days after ``due_on`` up to the day asked (0 when not late)."""
        return int(self.facts.get("days_late") or 0)

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


Provider = Callable[..., Iterable[Obligation]]
_PROVIDERS: dict[str, Provider] = {}


def register_obligation_provider(kind: str, provider: Provider) -> Provider:
    """Register ``provider(*, office, user, on)`` as the source of the obligations of ``kind``.

    Called from an app's ``AppConfig.ready()``; registering a kind again replaces its provider (so a
    reloaded app does not count twice). Returns ``provider``.
    """
    _PROVIDERS[kind] = provider
    return provider


def obligation_kinds() -> list[str]:
    """The registered kinds, in registration order."""
    return list(_PROVIDERS)


def open_obligations(
    office: Office | None = None, *, user=None, on: dt.date | None = None, kinds: Iterable[str] | None = None
) -> list[Obligation]:
    """Every obligation open on ``on`` (default: today in Asia/Bangkok), from all providers.

    ``office``: only those owed to it (all offices when ``None``); ``user``: only those concerning
    that user (``user.pk in obligation.users``); ``kinds``: only those kinds (unknown kinds give
    nothing). Sorted by due date, kind, subject and key. Queries: the providers' fixed counts, whatever the
    number of projects, schools or units.
    """
    on = on or timezone.localdate()
    wanted = set(kinds) if kinds is not None else None
    if user is not None and not getattr(user, "is_authenticated", False):
        return []
    out: list[Obligation] = []
    for kind, provider in _PROVIDERS.items():
        if wanted is not None and kind not in wanted:
            continue
        for obligation in provider(office=office, user=user, on=on):
            if office is not None and obligation.office.pk != office.pk:
                continue
            if user is not None and user.pk not in obligation.users:
                continue
            out.append(obligation)
    out.sort(key=lambda o: (o.due_on, o.kind, o.subject, o.key))
    return out


# --- Helpers for providers -----------------------------------------------------------------------


def working_calendars(office_ids: Iterable[int]) -> dict[int, WorkingCalendar]:
    """``{office_id: WorkingCalendar}`` with each office's declared holidays; one query for all."""
    ids = set(office_ids)
    declared: dict[int, list[dt.date]] = defaultdict(list)
    if ids:
        for office_id, day in OfficeHoliday.objects.filter(office_id__in=ids).values_list("office_id", "date"):
            declared[office_id].append(day)
    return {office_id: WorkingCalendar(declared[office_id]) for office_id in ids}


def person_recipient(user, *, salutation: str | None = None, title: str = "") -> Recipient:
    """A person of the office, reminded by memo (บันทึกข้อความ) and in-app."""
    name = user.get_full_name() or user.username
    return Recipient(
        key=f"user:{user.pk}", name=f"{name} {title}".strip(), email=user.email or "", salutation=salutation or name,
        letter_kind=MEMO, user=user, notify=(user,),
    )


def school_title(school: School) -> str:
    """The school's name as written in letters: "โรงเรียนบ้านน้ำริน" (the registry often omits โรงเรียน)."""
    return school.name if school.name.startswith("โรงเรียน") else "โรงเรียน" + school.name


def school_recipient(school: School, accounts: list, *, director: bool = False) -> Recipient:
    """A school, reminded by external letter (หนังสือภายนอก) and its ``accounts`` in-app; ``director``: to its director."""
    title = school_title(school)
    email = school.email or next((u.email for u in accounts if u.email), "")
    return Recipient(
        key=f"school:{school.pk}", name=("ผู้อำนวยการ" + title) if director else title, email=email,
        salutation="ผู้อำนวยการ" + title, letter_kind=EXTERNAL, school=school, notify=tuple(accounts),
    )


def division_heads(office: Office | None = None, *, division_ids: Iterable[int] | None = None) -> dict[int, list]:
    """``{division_id: [users]}`` of the active division heads of ``office`` (or of ``division_ids``); one query."""
    heads: dict[int, list] = defaultdict(list)
    rows = Membership.objects.filter(role=Role.DIVISION_HEAD, user__is_active=True, division__isnull=False)
    if office is not None:
        rows = rows.filter(office=office)
    if division_ids is not None:
        rows = rows.filter(division_id__in=set(division_ids))
    for m in rows.select_related("user").order_by("user__pk"):
        heads[m.division_id].append(m.user)
    return heads


def school_accounts(school_ids: Iterable[int]) -> dict[int, list]:
    """``{school_id: [users]}`` of the active school accounts of those schools; one query."""
    accounts: dict[int, list] = defaultdict(list)
    ids = set(school_ids)
    if ids:
        for m in (Membership.objects.filter(role=Role.SCHOOL, school_id__in=ids, user__is_active=True)
                  .select_related("user").order_by("user__pk")):
            accounts[m.school_id].append(m.user)
    return accounts
