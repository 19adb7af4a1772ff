"""The reminder engine: which reminders are due, the daily sweep that records them, and sending one.

Stages (issue 7; numbers are settings, in working days of ``WorkingCalendar.for_office``):

- notice: from ``EMES_REMINDER_NOTICE_DAYS_BEFORE`` working days before the due date until the day
  before it; never once overdue (a stale notice is skipped, the first letter follows);
- first letter: once today >= due date + ``EMES_REMINDER_FIRST_LETTER_DAYS_AFTER`` working days;
- second letter: once the first letter of the same obligation was registered (or sent) at least
  ``EMES_REMINDER_SECOND_LETTER_DAYS_AFTER`` working days before today; it cites the first, so it
  never goes without it.

Every comparison is ``>=`` on the state of the obligation, never ``==`` on the run date, so a sweep
after missed days (Redis down, beat stopped) catches up on everything due since the last good one.

Never twice: a reminder is one row per (obligation, stage, recipient) under a unique constraint,
inserted in its own savepoint (a concurrent sweep's row makes ours an ``IntegrityError``: skipped),
and sending claims the row with a conditional UPDATE pending → sending, so a duplicate or retried
task cannot send it again. The letter is registered once (kept on the row across e-mail retries).
"""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Case, F, JSONField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from emes.fiscal import WorkingCalendar
from emes.thai import be_year
from emes.jobs import reap_kind
from emes.models import Office
from emes.notifications.services import notify_many
from emes.obligations import FIRST, NOTICE, SECOND, STAGES, Obligation, Recipient, open_obligations
from reports.letters.services import letterhead_refusal, preview_letter_pdf, register_letter
from reports.jobs import REMINDER_SENDING, SWEEP_RUN
from reports.models import LetterCounter, OutgoingLetter, Reminder, SweepRun

from .content import Message, build_message, combined_message

logger = logging.getLogger(__name__)

#: Errors of an e-mail attempt worth retrying: the SMTP server refused or was unreachable.
TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, OSError)
#: Seconds before the n-th e-mail retry: 60, 120, 240 … capped at one hour.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600


# --- What is due ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A reminder a sweep would record now: one obligation, one stage, one recipient.

    ``facts`` are the obligation's facts plus, for a second letter, ``reference`` (the first
    letter's ``letter_no`` and ISO ``date``). ``token`` names it in forms ("key|stage|recipient").
    """

    obligation: Obligation
    stage: str
    recipient: Recipient
    facts: dict

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.obligation.key, self.stage, self.recipient.key)

    @property
    def token(self) -> str:
        return "|".join(self.ident)

    @property
    def days_late(self) -> int:
        return int(self.facts.get("days_late") or 0)

    def message(self) -> Message:
        return build_message(
            kind=self.obligation.kind, stage=self.stage, facts=self.facts, salutation=self.recipient.salutation,
            letter_kind=self.recipient.letter_kind, office=self.obligation.office, url=self.obligation.url,
        )


def stage_settings() -> tuple[int, int, int]:
    """(notice days before, first-letter days after, second-letter days after), working days."""
    return (
        settings.EMES_REMINDER_NOTICE_DAYS_BEFORE,
        settings.EMES_REMINDER_FIRST_LETTER_DAYS_AFTER,
        settings.EMES_REMINDER_SECOND_LETTER_DAYS_AFTER,
    )


def _after(calendar: WorkingCalendar, day: dt.date, n: int) -> dt.date:
    """``n`` working days after ``day``; with ``n`` < 1 the next day (a stage never starts on its anchor)."""
    return calendar.add_working_days(day, n) if n >= 1 else day + dt.timedelta(days=1)


def _plan(office: Office, today: dt.date) -> tuple[list[Obligation], list[Candidate], set[tuple[str, str, str]]]:
    """(open obligations, due candidates not yet recorded, identities already recorded). Fixed query count.

    The obligations are exactly ``emes.obligations.open_obligations(office, on=today)``, the ones the
    home pages and the feed list; the stage rules below decide which of them are reminded today.
    """
    notice_days, first_days, second_days = stage_settings()
    calendar = WorkingCalendar.for_office(office)
    obligations = open_obligations(office, on=today)
    recorded: set[tuple[str, str, str]] = set()
    first_sent: dict[str, tuple[dt.date, str]] = {}
    if obligations:
        rows = Reminder.objects.filter(office=office, obligation_key__in=[o.key for o in obligations]).select_related("letter")
        for r in rows:
            recorded.add((r.obligation_key, r.stage, r.recipient_key))
            if r.stage != FIRST:
                continue
            if r.letter is not None:
                r.letter.office = office  # letter_no reads the office: no query per row
                when, number = r.letter.date, r.letter.letter_no
            elif r.facts.get("sent_in_letter"):  # listed in the letter of another reminder of the same day
                when, number = dt.date.fromisoformat(r.facts["sent_in_letter"]["date"]), r.facts["sent_in_letter"]["letter_no"]
            elif r.status == Reminder.Status.SENT and r.sent_at:
                when, number = timezone.localtime(r.sent_at).date(), ""
            else:
                continue
            if r.obligation_key not in first_sent or when < first_sent[r.obligation_key][0]:
                first_sent[r.obligation_key] = (when, number)

    candidates: list[Candidate] = []
    for o in obligations:
        stages: list[tuple[str, dict]] = []
        if notice_days >= 1 and today < o.due_on and calendar.subtract_working_days(o.due_on, notice_days) <= today:
            stages.append((NOTICE, o.facts))
        if today >= _after(calendar, o.due_on, first_days):
            stages.append((FIRST, o.facts))
        first = first_sent.get(o.key)
        if first and today >= _after(calendar, first[0], second_days):
            stages.append((SECOND, {**o.facts, "reference": {"letter_no": first[1], "date": first[0].isoformat()}}))
        for stage, facts in stages:
            for recipient in o.recipients_for(stage):
                if (o.key, stage, recipient.key) not in recorded:
                    candidates.append(Candidate(o, stage, recipient, facts))
    candidates.sort(key=lambda c: (
        STAGES.index(c.stage), c.obligation.due_on, c.obligation.kind,
        str(c.facts.get("project_code") or c.facts.get("school_code") or c.obligation.key), c.recipient.key,
    ))
    return obligations, candidates, recorded


def due_reminders(office: Office, today: dt.date | None = None) -> list[Candidate]:
    """The reminders a sweep of ``office`` would record on ``today`` (default: today in Asia/Bangkok).

    A pure read: notices, first and second letters due by the stage rules (module docstring) whose
    (obligation, stage, recipient) is not recorded yet, ordered by stage then due date. The number of
    queries does not depend on the number of projects, schools or reminders.
    """
    return _plan(office, today or timezone.localdate())[1]


# --- The sweep -----------------------------------------------------------------------------------


def _record(candidate: Candidate, *, run: SweepRun | None, status: str = Reminder.Status.PENDING, by=None, reason: str = "") -> Reminder | None:
    """Insert the reminder of ``candidate`` in its own savepoint; ``None`` if already recorded (by anyone)."""
    o, r = candidate.obligation, candidate.recipient
    message = candidate.message()
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                office=o.office, obligation_kind=o.kind, obligation_key=o.key, stage=candidate.stage,
                recipient_key=r.key, recipient_user=r.user, recipient_school=r.school, recipient_name=r.name[:300],
                recipient_email=r.email, due_on=o.due_on, subject=message.subject[:500],
                facts={**candidate.facts, "url": o.url, "salutation": r.salutation, "letter_kind": r.letter_kind,
                       "notify_user_ids": [u.pk for u in r.notify]},
                status=status, status_reason=reason, held_by=by if status == Reminder.Status.HELD else None, sweep=run,
            )
    except IntegrityError:
        # Another sweep recorded it between our read and our insert: theirs stands, we send nothing.
        return None


def sweep(today: dt.date | None = None, *, office: Office | None = None, trigger: str = "beat", by=None) -> SweepRun:
    """Record the due reminders of every office (or of ``office``) and queue them for sending.

    ``today`` defaults to today in Asia/Bangkok; ``trigger`` is "beat", "manual", "command" …
    Returns the :class:`SweepRun` (``created`` = reminders recorded by this run; status ok or failed
    with the error: a failing office does not stop the others, the run is then marked failed).
    After commit it queues ``send_reminder_task`` for every PENDING reminder of the swept offices
    (this run's and those a previous run could not queue, e.g. the broker was down). If the broker
    is unreachable they stay PENDING and the next sweep queues them.
    """
    today = today or timezone.localdate()
    run = SweepRun.objects.create(office=office, for_date=today, trigger=trigger[:20])
    offices = [office] if office is not None else list(Office.objects.order_by("area_code"))
    created = 0
    errors: list[str] = []
    for o in offices:
        try:
            created += _sweep_office(o, today, run)
        except Exception as exc:  # noqa: BLE001 - one office's fault must not stop the others
            logger.exception("reminder sweep of office %s failed", o.area_code)
            errors.append(f"{o.area_code}: {exc!r}")
    run.created = created
    run.status = SweepRun.Status.FAILED if errors else SweepRun.Status.OK
    run.error = "\n".join(errors)
    run.finished_at = timezone.now()
    run.save(update_fields=["created", "status", "error", "finished_at"])
    pending = list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, **({"office": office} if office is not None else {}))
        .order_by("pk").values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: enqueue(pending))
    return run


def _sweep_office(office: Office, today: dt.date, run: SweepRun) -> int:
    obligations, candidates, _recorded = _plan(office, today)
    created = sum(1 for c in candidates if _record(c, run=run) is not None)
    # A worker that died while sending leaves its claim behind. Whether the mail left is unknown, so it
    # is never sent again automatically (that could send twice): it fails, and the plan officer retries.
    # (The same rule as the reaper's, ``reports.jobs.REMINDER_SENDING``.)
    reap_kind(REMINDER_SENDING, Reminder.objects.filter(office=office))
    # A reminder left waiting (broker down) whose obligation has since been met is not sent.
    Reminder.objects.filter(office=office, status=Reminder.Status.PENDING).exclude(
        obligation_key__in=[o.key for o in obligations]
    ).update(status=Reminder.Status.HELD, status_reason=_("Not sent: the obligation was met before it could be sent."))
    return created


def enqueue(reminder_ids: list[int], progress: Callable[[int, int], None] | None = None) -> int:
    """Queue ``send_reminder_task`` for each id; returns how many were queued.

    Stops at the first broker error (kombu ``OperationalError``, an ``OSError``): it is logged and the
    rest stay PENDING for the next sweep. ``progress(done, total)``, when given, is called after each one
    (with no broker the task runs in-process, so this is the sending itself).
    """
    from .tasks import send_reminder_task  # cycle: reports.reminders.tasks imports this module

    done = 0
    for pk in reminder_ids:
        try:
            send_reminder_task.delay(pk)
        except (OperationalError, OSError):
            logger.exception("could not queue reminder %s: %d left pending for the next sweep", pk, len(reminder_ids) - done)
            break
        done += 1
        if progress is not None:
            progress(done, len(reminder_ids))
    return done


# --- Sending -------------------------------------------------------------------------------------


class EmailNotSent(Exception):
    """An e-mail attempt failed with a transient error; ``retry`` says whether to try again."""

    def __init__(self, reminder_id: int, attempts: int, retry: bool, error: str) -> None:
        super().__init__(error)
        self.reminder_id, self.attempts, self.retry = reminder_id, attempts, retry


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones (exponential, capped at an hour)."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def _message_of(reminder: Reminder) -> Message:
    f = reminder.facts
    return build_message(
        kind=reminder.obligation_kind, stage=reminder.stage, facts=f, salutation=f.get("salutation") or reminder.recipient_name,
        letter_kind=f.get("letter_kind") or "memo", office=reminder.office, url=f.get("url", ""),
    )


def send_reminder(reminder_id: int) -> Reminder | None:
    """Send reminder ``reminder_id`` once: letter, in-app notification, e-mail with the letter PDF.

    Claims the row (PENDING → SENDING, one conditional UPDATE); returns ``None`` without doing
    anything if it is gone or not PENDING (already sent, held, claimed by another worker).
    Then: registers the letter (letter stages; once: a retry reuses ``reminder.letter``); notifies
    the recipient's users in-app (first attempt only); e-mails the recipient (From
    ``DEFAULT_FROM_EMAIL``, the letter attached). No address: PRINT for a letter (registered, listed
    for printing), SENT for a notice that reached someone in-app, FAILED otherwise; the reason is
    kept in ``status_reason``. Success: SENT with ``sent_at``.

    A transient e-mail error puts it back to PENDING with ``attempts`` + 1 and ``last_error`` and
    raises :class:`EmailNotSent` (``retry`` False once ``EMES_REMINDER_EMAIL_MAX_RETRIES`` retries are
    spent: then it is FAILED). Any other error marks it FAILED with the error and is re-raised.
    """
    claim = Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING)
    if claim.update(status=Reminder.Status.SENDING, claimed_at=timezone.now()) != 1:
        return None
    reminder = Reminder.objects.select_related("office", "letter").get(pk=reminder_id)
    siblings = _claim_siblings(reminder)
    try:
        message = _group_message(reminder, siblings) if siblings else _message_of(reminder)
        if reminder.stage != NOTICE and reminder.letter_id is None:
            _register(reminder, message)
        if reminder.attempts == 0:
            _notify(reminder, message)
        if not reminder.recipient_email:
            return _finish_siblings(siblings, _without_email(reminder))
        _email(reminder, message)
    except TRANSIENT_EMAIL_ERRORS as exc:
        _release_siblings(siblings)
        return _email_failed(reminder, exc)
    except ValidationError as exc:
        _release_siblings(siblings)
        if getattr(exc, "code", None) != "letterhead":
            _finish(reminder, Reminder.Status.FAILED, last_error=repr(exc)[:2000],
                    reason=_("Not sent: an error occurred while preparing it (see the last error)."))
            raise
        # The office must complete its letterhead first; the plan officer retries once it is filled in.
        return _finish(reminder, Reminder.Status.FAILED, last_error=" ".join(exc.messages)[:2000], reason=" ".join(exc.messages))
    except Exception as exc:
        _release_siblings(siblings)
        _finish(reminder, Reminder.Status.FAILED, last_error=repr(exc)[:2000],
                reason=_("Not sent: an error occurred while preparing it (see the last error)."))
        raise
    return _finish_siblings(siblings, _finish(reminder, Reminder.Status.SENT, sent_at=timezone.now(), reason="", last_error=""))


# --- One letter per recipient per day (issue 17) --------------------------------------------------


def _claim_siblings(reminder: Reminder) -> list[Reminder]:
    """The other letter reminders of the same recipient, stage and day still waiting, claimed (PENDING → SENDING)
    so that one letter and one e-mail list them all and their own tasks find nothing to do. ``[]`` for a notice,
    a reminder whose letter exists already (a retry), or a recipient owed one thing only.

    A fixed number of queries however many siblings: the waiting ones are locked (``skip_locked``: a sibling
    another worker is claiming is left to it) and claimed by one conditional UPDATE (only from PENDING, as
    :func:`send_reminder`'s own claim). Ordered by due date, then id.
    """
    if reminder.stage == NOTICE or reminder.letter_id is not None:
        return []
    day = timezone.localtime(reminder.created_at).date()
    with transaction.atomic():
        siblings = list(
            Reminder.objects.select_for_update(skip_locked=True).filter(
                office_id=reminder.office_id, recipient_key=reminder.recipient_key, stage=reminder.stage,
                status=Reminder.Status.PENDING, letter__isnull=True, created_at__date=day,
            ).exclude(pk=reminder.pk).order_by("due_on", "pk")
        )
        if not siblings:
            return []
        now = timezone.now()
        Reminder.objects.filter(pk__in=[r.pk for r in siblings], status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SENDING, claimed_at=now)
    for sibling in siblings:  # locked while PENDING: the UPDATE claimed every one of them
        sibling.status, sibling.claimed_at = Reminder.Status.SENDING, now
        sibling.office = reminder.office  # the same office: its message needs no query of its own
    return siblings


def _group_message(reminder: Reminder, siblings: list[Reminder]) -> Message:
    group = sorted([reminder, *siblings], key=lambda r: (r.due_on, r.pk))
    items = [(r.obligation_kind, r.stage, r.facts, _message_of(r)) for r in group]
    return combined_message(items, salutation=reminder.facts.get("salutation") or reminder.recipient_name,
                            office=reminder.office, url=reminder.facts.get("url", ""))


def _finish_siblings(siblings: list[Reminder], reminder: Reminder) -> Reminder:
    """Close the siblings as ``reminder`` closed: same status and time, the reason naming the letter they went in.

    One conditional UPDATE (only rows still SENDING, as :func:`_finish`): each sibling's ``facts`` gain
    ``sent_in_letter`` (the letter's ``letter_no`` and ISO ``date``) when a letter was registered.
    """
    if not siblings:
        return reminder
    letter = reminder.letter
    fields = {"status": reminder.status, "sent_at": reminder.sent_at, "last_error": ""}
    reason = _("Listed in the letter of the same day to the same recipient.")
    if letter is not None:
        letter.office = reminder.office
        sent_in = {"letter_no": letter.letter_no, "date": letter.date.isoformat()}
        reason = _("Listed in letter no. %(no)s of the same day to the same recipient.") % {"no": letter.letter_no}
        fields["facts"] = Case(*[When(pk=s.pk, then=Value({**s.facts, "sent_in_letter": sent_in}, output_field=JSONField()))
                                 for s in siblings], default=F("facts"), output_field=JSONField())
    Reminder.objects.filter(pk__in=[s.pk for s in siblings], status=Reminder.Status.SENDING).update(
        status_reason=reason[:300], **fields)
    return reminder


def _release_siblings(siblings: list[Reminder]) -> None:
    """Give claimed siblings back (PENDING) when the letter or its e-mail could not go: the retry takes them again."""
    if siblings:
        Reminder.objects.filter(pk__in=[r.pk for r in siblings], status=Reminder.Status.SENDING).update(
            status=Reminder.Status.PENDING, claimed_at=None)


def _register(reminder: Reminder, message: Message) -> None:
    with transaction.atomic():
        letter = register_letter(
            office=reminder.office, kind=reminder.facts.get("letter_kind") or OutgoingLetter.Kind.MEMO,
            subject=message.subject, recipient=reminder.recipient_name, content=message.letter,
        )
        Reminder.objects.filter(pk=reminder.pk).update(letter=letter)
    reminder.letter = letter


def _notify(reminder: Reminder, message: Message) -> None:
    ids = reminder.facts.get("notify_user_ids") or ([reminder.recipient_user_id] if reminder.recipient_user_id else [])
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True))
    if users:
        notify_many(users, title=message.subject, body=message.summary, url=reminder.facts.get("url", ""), office=reminder.office)
    reminder._notified = len(users)


def _without_email(reminder: Reminder) -> Reminder:
    if reminder.letter_id:
        return _finish(reminder, Reminder.Status.PRINT,
                       reason=_("The recipient has no e-mail address: print the letter and send it by post or by hand."))
    if getattr(reminder, "_notified", 0) or reminder.attempts:
        return _finish(reminder, Reminder.Status.SENT, sent_at=timezone.now(),
                       reason=_("The recipient has no e-mail address: told in EMES only."))
    return _finish(reminder, Reminder.Status.FAILED,
                   reason=_("The recipient has no e-mail address and no EMES account: nobody could be told."))


def _email(reminder: Reminder, message: Message) -> None:
    mail = EmailMessage(subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[reminder.recipient_email])
    if reminder.letter is not None and reminder.letter.file:
        with reminder.letter.file.open("rb") as fh:
            mail.attach(f"{reminder.office.area_code}-{reminder.letter.year}-{reminder.letter.number:05d}.pdf", fh.read(), "application/pdf")
    mail.send(fail_silently=False)


def _email_failed(reminder: Reminder, exc: Exception) -> Reminder:
    attempts = reminder.attempts + 1
    retry = attempts <= settings.EMES_REMINDER_EMAIL_MAX_RETRIES
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if retry:
        _finish(reminder, Reminder.Status.PENDING, attempts=attempts, last_error=error,
                reason=_("The mail server refused the e-mail; it will be tried again."))
    else:
        _finish(reminder, Reminder.Status.FAILED, attempts=attempts, last_error=error,
                reason=_("The mail server refused the e-mail every time; use retry once it works."))
    raise EmailNotSent(reminder.pk, attempts, retry, error) from exc


def _finish(reminder: Reminder, status: str, *, reason: str | None = None, **fields) -> Reminder:
    """Move a SENDING reminder to ``status`` (only from SENDING: the claim is ours)."""
    fields["status"] = status
    if reason is not None:
        fields["status_reason"] = reason[:300]
    Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING).update(**fields)
    for name, value in fields.items():
        setattr(reminder, name, value)
    return reminder


# --- The plan officer's actions ------------------------------------------------------------------


def _locked(office: Office, reminder_id: int) -> Reminder:
    reminder = Reminder.objects.select_for_update().filter(office=office, pk=reminder_id).first()
    if reminder is None:
        raise ValidationError(_("This reminder does not exist in this office."))
    return reminder


@transaction.atomic
def hold_reminder(office: Office, reminder_id: int, *, by) -> Reminder:
    """Hold a recorded PENDING reminder of ``office`` so nothing sends it; ``ValidationError`` otherwise."""
    reminder = _locked(office, reminder_id)
    if reminder.status != Reminder.Status.PENDING:
        raise ValidationError(_("Only a reminder waiting to be sent can be held (this one is %(status)s).") % {
            "status": reminder.get_status_display()})
    reminder.status, reminder.held_by, reminder.status_reason = Reminder.Status.HELD, by, _("Held by the plan officer.")
    reminder.save(update_fields=["status", "held_by", "status_reason"])
    return reminder


@transaction.atomic
def release_reminder(office: Office, reminder_id: int, *, by) -> Reminder:
    """Release a HELD reminder: back to PENDING and queued after commit; ``ValidationError`` otherwise."""
    reminder = _locked(office, reminder_id)
    if reminder.status != Reminder.Status.HELD:
        raise ValidationError(_("Only a held reminder can be released (this one is %(status)s).") % {
            "status": reminder.get_status_display()})
    reminder.status, reminder.status_reason = Reminder.Status.PENDING, ""
    reminder.save(update_fields=["status", "status_reason"])
    transaction.on_commit(lambda: enqueue([reminder.pk]))
    return reminder


@transaction.atomic
def retry_reminder(office: Office, reminder_id: int, *, by) -> Reminder:
    """Put a FAILED reminder back to PENDING with fresh e-mail attempts and queue it after commit.

    The letter, if already registered, is reused (never numbered twice). ``ValidationError`` unless FAILED.
    """
    reminder = _locked(office, reminder_id)
    if reminder.status != Reminder.Status.FAILED:
        raise ValidationError(_("Only a failed reminder can be retried (this one is %(status)s).") % {
            "status": reminder.get_status_display()})
    reminder.status, reminder.attempts, reminder.status_reason = Reminder.Status.PENDING, 0, ""
    reminder.save(update_fields=["status", "attempts", "status_reason"])
    transaction.on_commit(lambda: enqueue([reminder.pk]))
    return reminder


def hold_candidate(office: Office, key: str, stage: str, recipient_key: str, *, by, today: dt.date | None = None) -> Reminder:
    """Record a not-yet-recorded due reminder as HELD, so no sweep sends it; returns it.

    Raises ``ValidationError`` if it is not due now in ``office`` or was recorded meanwhile.
    """
    wanted = (key, stage, recipient_key)
    candidate = next((c for c in due_reminders(office, today) if c.ident == wanted), None)
    if candidate is None:
        raise ValidationError(_("This reminder is no longer due (it was met, sent or held meanwhile)."))
    reminder = _record(candidate, run=None, status=Reminder.Status.HELD, by=by, reason=_("Held by the plan officer."))
    if reminder is None:
        raise ValidationError(_("This reminder was recorded meanwhile by a sweep; hold it in the list below if it is not sent yet."))
    return reminder


def hold_candidates(office: Office, tokens: list[str], *, by, today: dt.date | None = None) -> list[Reminder]:
    """Hold the due candidates named by ``tokens`` ("key|stage|recipient") in one read; all or nothing.

    ``ValidationError`` naming the first token that is not due (nothing is held then).
    """
    due = {c.token: c for c in due_reminders(office, today)}
    missing = [t for t in tokens if t not in due]
    if missing:
        raise ValidationError(_("This reminder is no longer due (it was met, sent or held meanwhile)."))
    held = []
    with transaction.atomic():
        for token in dict.fromkeys(tokens):
            reminder = _record(due[token], run=None, status=Reminder.Status.HELD, by=by, reason=_("Held by the plan officer."))
            if reminder is None:
                raise ValidationError(_("This reminder was recorded meanwhile by a sweep; hold it in the list below if it is not sent yet."))
            held.append(reminder)
    return held


@transaction.atomic
def hold_selection(office: Office, tokens: list[str], reminder_ids: list[int], *, by) -> list[Reminder]:
    """Hold the due candidates ``tokens`` and the recorded PENDING reminders ``reminder_ids``; all or nothing."""
    held = hold_candidates(office, tokens, by=by) if tokens else []
    held += [hold_reminder(office, pk, by=by) for pk in reminder_ids]
    return held


@transaction.atomic
def release_reminders(office: Office, reminder_ids: list[int], *, by) -> list[Reminder]:
    """:func:`release_reminder` for each id; all or nothing (queued after commit)."""
    return [release_reminder(office, pk, by=by) for pk in reminder_ids]


@transaction.atomic
def retry_reminders(office: Office, reminder_ids: list[int], *, by) -> list[Reminder]:
    """:func:`retry_reminder` for each id; all or nothing (queued after commit)."""
    return [retry_reminder(office, pk, by=by) for pk in reminder_ids]


@dataclass
class SendingPreview:
    """What :func:`send_now` would do now: ``letters`` to register (numbers ``first_no``–``last_no`` if no one
    else registers one meanwhile) and ``notices`` (EMES and e-mail only), ``held`` kept back."""

    letters: int
    notices: int
    held: int
    first_no: str
    last_no: str
    refusal: str = ""  # why the external letters among them cannot go (the office's letterhead), "" if they can


def sending_preview(office: Office, *, hold: list[str] = (), today: dt.date | None = None) -> SendingPreview:
    """What sending the due reminders of ``office`` now would do, for the confirmation step (issue 17). A pure read."""
    today = today or timezone.localdate()
    held = set(hold)
    due = [c for c in due_reminders(office, today) if c.token not in held]
    # One letter per recipient and stage of the day (the letters of one recipient go together, issue 17).
    letters = len({(c.recipient.key, c.stage) for c in due if c.stage != NOTICE})
    externals = any(c.stage != NOTICE and c.recipient.letter_kind == OutgoingLetter.Kind.EXTERNAL for c in due)
    year = be_year(today)
    last = LetterCounter.objects.filter(office=office, year=year).values_list("last_number", flat=True).first() or 0
    prefix = office.letter_prefix or office.area_code
    return SendingPreview(
        letters=letters, notices=sum(1 for c in due if c.stage == NOTICE), held=len(held),
        first_no=f"{prefix}/{last + 1}" if letters else "", last_no=f"{prefix}/{last + letters}" if letters else "",
        refusal=letterhead_refusal(office, OutgoingLetter.Kind.EXTERNAL) if externals else "",
    )


def send_now(office: Office, *, by, hold: list[str] = ()) -> SweepRun:
    """Hold the candidates ``hold`` (tokens), then sweep ``office`` now (trigger "command"), all in the caller.

    The synchronous form of the plan officer's "send now", for commands and scripts; the page queues it as a job
    (:func:`request_send_now`), which does the same through :func:`run_send_now`.
    """
    if hold:
        hold_candidates(office, list(hold), by=by)
    return sweep(office=office, trigger="command", by=by)


# --- "Send now" as a job (issue 17: actions that take seconds never block the browser) -------------

UNFINISHED_RUN = (SweepRun.Status.QUEUED, SweepRun.Status.RUNNING)


def running_send_now(office: Office) -> SweepRun | None:
    """The plan officer's "send now" of ``office`` still queued or running (after reaping a dead one), or ``None``."""
    manual = SweepRun.objects.filter(office=office, trigger="manual")
    reap_kind(SWEEP_RUN, manual)
    return manual.filter(status__in=UNFINISHED_RUN).first()


def request_send_now(office: Office, *, by, hold: list[str] = ()) -> tuple[SweepRun, bool]:
    """Queue "send now" of ``office`` by ``by``, holding the due candidates ``hold`` (tokens); returns ``(run, created)``.

    The QUEUED ``SweepRun`` (trigger "manual") is run by ``send_now_task`` after commit (``emes.jobs.start``: a
    worker, or a thread of the web process with no broker), which calls :func:`run_send_now`. While a "send now" of
    the office is queued or running that one is returned with ``created=False`` (a partial unique constraint makes a
    second one impossible even for two clicks at once). The caller checked that ``by`` is the office's plan officer
    and that nothing is refused (``sending_preview``). A fixed, small number of queries: nothing is recorded here.
    """
    from emes import jobs

    from .tasks import send_now_task  # cycle: the task module imports this one

    existing = running_send_now(office)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = SweepRun.objects.create(office=office, for_date=timezone.localdate(), trigger="manual",
                                          status=SweepRun.Status.QUEUED, requested_by=by, hold=list(dict.fromkeys(hold)))
            transaction.on_commit(lambda: jobs.start(send_now_task, run.pk))
    except IntegrityError:  # another click queued one between our look and our insert
        existing = SweepRun.objects.filter(office=office, trigger="manual", status__in=UNFINISHED_RUN).first()
        if existing is None:
            raise
        return existing, False
    return run, True


def run_send_now(run_id: int) -> SweepRun | None:
    """Run the queued "send now" ``run_id`` if this worker can claim it; returns the run, or ``None`` (not ours).

    As :func:`send_now`: holds the run's ``hold`` candidates, records the office's due reminders (on this run),
    then hands every waiting reminder of the office to ``send_reminder_task`` (in-process with no broker: the
    letters are numbered and sent here), ``progress`` moving 5 → 100. Ends ``ok`` with ``created``, or ``failed``
    with the reason (a candidate no longer due to hold: its Thai message, nothing recorded; any other error: its
    text); never a stuck running row. Raises ``emes.jobs.JobBusy`` when a live worker runs it.
    """
    from emes import jobs

    held = jobs.take(SWEEP_RUN, run_id, progress=5)
    if held is None:
        return None
    run = SweepRun.objects.select_related("office", "requested_by").get(pk=run_id)
    office, today = run.office, timezone.localdate()

    def progress(pct: int) -> None:
        jobs.beat_or_stop(held, progress=max(5, min(int(pct), 99)))

    created, error = 0, ""
    try:
        if run.hold:
            hold_candidates(office, list(run.hold), by=run.requested_by, today=today)
        progress(20)
        created = _sweep_office(office, today, run)
        progress(40)
        pending = list(Reminder.objects.filter(status=Reminder.Status.PENDING, office=office).order_by("pk").values_list("pk", flat=True))
        enqueue(pending, progress=lambda done, total: progress(40 + 59 * done // total))
    except jobs.LostClaim:
        logger.info("send now %s: the run is no longer this worker's; it stops", run_id)
        return None
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except Exception as exc:  # noqa: BLE001 - any failure ends as a visible failed run
        logger.exception("send now of office %s failed", office.area_code)
        error = f"{office.area_code}: {exc!r}"
    SweepRun.objects.filter(held.held_q()).update(  # only while still this worker's run (emes.jobs, "End state")
        created=created, status=SweepRun.Status.FAILED if error else SweepRun.Status.OK, error=error,
        finished_at=timezone.now(), for_date=today, progress=100 if not error else F("progress"),
    )
    run.refresh_from_db()
    return run


def preview_candidate_pdf(office: Office, token: str, today: dt.date | None = None) -> tuple[Candidate, bytes]:
    """The draft PDF of the due candidate ``token``'s letter; ``ValidationError`` if not due or a notice."""
    candidate = next((c for c in due_reminders(office, today) if c.token == token), None)
    if candidate is None or candidate.stage == NOTICE:
        raise ValidationError(_("This letter is not due now."))
    message = candidate.message()
    pdf = preview_letter_pdf(
        office=office, kind=candidate.recipient.letter_kind, subject=message.subject,
        recipient=candidate.recipient.name, content=message.letter,
    )
    return candidate, pdf


def preview_reminder_pdf(reminder: Reminder) -> bytes:
    """The draft PDF of a recorded reminder's letter not registered yet (e.g. held)."""
    if reminder.stage == NOTICE:
        raise ValidationError(_("A notice has no letter."))
    message = _message_of(reminder)
    return preview_letter_pdf(
        office=reminder.office, kind=reminder.facts.get("letter_kind") or "memo", subject=message.subject,
        recipient=reminder.recipient_name, content=message.letter,
    )

