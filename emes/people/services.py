"""People services: school accounts, password changes and memberships (issue 3, "People").

Every write about people goes through here; views, the admin and commands call these functions.
They refuse a forbidden actor with ``PermissionDenied`` and an illegal change with
``ValidationError`` (Thai via gettext), and leave the database unchanged when they refuse.
Every change of who may do what (a role granted or removed, an account created, a password set by
someone else) writes an :class:`~emes.audit.models.AuditEvent` in the same transaction.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from emes.access import STAFF_ROLES, can_manage_registry
from emes.audit.models import AuditEvent
from emes.audit.services import record_audit_event, record_audit_events
from emes.db import analyze
from emes.models import Division, Membership, Office, Profile, Role, School, SchoolAccountBatch
from emes.text import clean_code, clean_text, require_text
from emes.uploads import removing_files_on_rollback, save_file

from .selectors import sort_for_handout

User = get_user_model()

#: Characters of a one-time password: no 0/O, 1/l/I, so a printed slip cannot be misread.
ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Length of a one-time password: 10 characters of a 55-letter alphabet, about 58 bits.
ONE_TIME_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class IssuedAccount:
    """A school login issued in one batch; ``password`` is the one-time password in clear.

    The clear password lives only in memory and in the batch's printable lists.
    ``reset`` is true when an existing account received a new one-time password.
    """

    school: School
    username: str
    password: str
    reset: bool = False


def school_display_name(school: School) -> str:
    """The school's name as printed: "โรงเรียน" + name, unless the name already says so."""
    name = school.name.strip()
    return name if name.startswith("โรงเรียน") else f"โรงเรียน{name}"


def generate_one_time_password(length: int = ONE_TIME_PASSWORD_LENGTH) -> str:
    """A random readable password of ``length`` characters with at least one letter and one digit.

    Uses ``secrets`` (a CSPRNG); the alphabet leaves out 0/O and 1/l/I.
    """
    digits = "23456789"
    while True:
        password = "".join(secrets.choice(ONE_TIME_PASSWORD_ALPHABET) for _ in range(length))
        if any(c in digits for c in password) and any(c.isalpha() for c in password):
            return password


class _OneTimePasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 with fewer iterations, for generated one-time passwords only.

    Key stretching protects guessable human passwords; a one-time password is 10 random
    characters (about 58 bits), so 100,000 iterations leave brute force out of reach while a
    batch of 100 schools hashes in ~2 s instead of ~20 s at the full 1,000,000. The encoded hash
    carries its iteration count, so Django's configured hasher verifies it, and upgrades it to
    the full count at the first successful login (``must_update``), just before the forced change.
    """

    iterations = 100_000


def _hash_one_time_passwords(passwords: list[str]) -> list[str]:
    """Encoded hashes of ``passwords``, in order: ``pbkdf2_sha256$100000$salt$hash``.

    Only when PBKDF2-SHA256 is the configured (first) hasher; with another one, the lighter
    PBKDF2 hash might not be verifiable, so the configured hasher is used as it is.
    """
    if get_hasher("default").algorithm != _OneTimePasswordHasher.algorithm:
        return [make_password(p) for p in passwords]
    hasher = _OneTimePasswordHasher()
    return [hasher.encode(p, hasher.salt()) for p in passwords]


def _require_plan_officer(user, office: Office) -> None:
    if not can_manage_registry(user, office):
        raise PermissionDenied(_("Only the office's plan officer may manage its people and school accounts."))


def _require_same_user(user, by) -> None:
    if by.pk != user.pk and not by.is_superuser:
        raise PermissionDenied(_("Only the account's owner may change its password."))


# --------------------------------------------------------------------------------------------
# School accounts
# --------------------------------------------------------------------------------------------
def create_school_accounts(
    office: Office,
    *,
    by,
    schools: Iterable[School] | None = None,
    reset_existing: bool = False,
    login_url: str = "",
) -> SchoolAccountBatch:
    """Issue one login per open school of ``office`` and store the printable lists on a new batch.

    Each issued school gets a user whose username is its 8-digit SMIS code (first name: the
    school's printed name), a ``school`` membership, a random one-time password
    (:func:`generate_one_time_password`) and ``Profile.must_change_password`` set, so the first
    login forces a change (``ForcePasswordChangeMiddleware``). Schools are ``office``'s open
    schools, or the given ``schools`` (each must belong to ``office`` and be open). A school whose
    account already exists is skipped unless ``reset_existing``: then it gets a new one-time
    password, the flag again, and its django-axes lockout is lifted.

    The PDF and XLSX lists (``emes.people.documents``; ``login_url`` printed on them, the login
    path when empty) are built inside the transaction: if building fails, no account, no batch
    and no file is left. Generations of one office are serialised by locking the office row.

    Returns the saved :class:`SchoolAccountBatch` (``accounts`` = issued logins). Raises
    ``PermissionDenied`` unless ``by`` is the office's plan officer, ``ValidationError`` when a
    given school is not an open school of the office, when a username is held by a staff
    account, or when there is nothing to issue. Rule source: issue 3 ("People").
    """
    from . import documents  # documents import this module's helpers

    _require_plan_officer(by, office)
    login_url = login_url or reverse("login")
    # The lists' files are deleted again if the transaction fails (emes.uploads).
    with removing_files_on_rollback():
        office = Office.objects.select_for_update().get(pk=office.pk)
        targets = _schools_to_issue(office, schools)
        existing = {u.username: u for u in User.objects.filter(username__in=[s.smis_code for s in targets])}
        if not reset_existing:
            targets = [s for s in targets if s.smis_code not in existing]
        if not targets:
            raise ValidationError(_("Every selected school already has an account; nothing to create."))
        _refuse_staff_usernames([existing[s.smis_code] for s in targets if s.smis_code in existing])

        issued = [
            IssuedAccount(school=s, username=s.smis_code, password=generate_one_time_password(), reset=s.smis_code in existing)
            for s in targets
        ]
        hashes = _hash_one_time_passwords([a.password for a in issued])
        users = _save_school_users(issued, hashes, existing)
        _flag_one_time(users)
        _link_schools(office, issued, users)
        _audit_issued(office, issued, users, by=by)
        if reset_existing:
            _lift_lockouts([a.username for a in issued if a.reset])

        batch = SchoolAccountBatch.objects.create(office=office, created_by=by, accounts=len(issued))
        # Built before any file is written: a failing render rolls everything back.
        pdf = documents.school_accounts_pdf(batch, issued, login_url=login_url)
        xlsx = documents.school_accounts_xlsx(batch, issued, login_url=login_url)
        stem = f"school-accounts-{office.area_code}-{batch.pk}"
        save_file(batch.pdf, f"{stem}.pdf", ContentFile(pdf))
        save_file(batch.xlsx, f"{stem}.xlsx", ContentFile(xlsx))
        batch.save(update_fields=["pdf", "xlsx"])
        analyze(User, Profile, Membership)  # fresh planner statistics once committed (emes.db, issue 18)
    return batch


def _schools_to_issue(office: Office, schools: Iterable[School] | None) -> list[School]:
    """The open schools to issue, in hand-out order (``selectors.sort_for_handout``)."""
    candidates = office.schools.open()
    if schools is None:
        return sort_for_handout(list(candidates))
    wanted = {s.pk: s for s in schools}
    found = list(candidates.filter(pk__in=wanted))
    missing = [wanted[pk] for pk in set(wanted) - {s.pk for s in found}]
    if missing:
        raise ValidationError(
            _("%(codes)s: not an open school of this office.") % {"codes": ", ".join(sorted(s.smis_code for s in missing))}
        )
    return sort_for_handout(found)


def _refuse_staff_usernames(users: list) -> None:
    """A username equal to a school code that belongs to a staff person is never taken over."""
    taken = Membership.objects.filter(user__in=users, role__in=list(STAFF_ROLES)).values_list("user__username", flat=True)
    taken = sorted(set(taken)) + sorted(u.username for u in users if u.is_superuser or u.is_staff)
    if taken:
        raise ValidationError(
            _("The username %(usernames)s belongs to a staff account; rename that account first.")
            % {"usernames": ", ".join(dict.fromkeys(taken))}
        )


def _save_school_users(issued: list[IssuedAccount], hashes: list[str], existing: dict) -> dict[str, object]:
    new = [
        User(username=a.username, first_name=school_display_name(a.school)[:150], password=h, is_active=True)
        for a, h in zip(issued, hashes)
        if not a.reset
    ]
    User.objects.bulk_create(new)
    changed = []
    for a, h in zip(issued, hashes):
        if a.reset:
            user = existing[a.username]
            user.password, user.is_active = h, True
            user.first_name = school_display_name(a.school)[:150]  # a renamed school prints its new name
            changed.append(user)
    User.objects.bulk_update(changed, ["password", "is_active", "first_name"])
    # bulk_create sets pks on PostgreSQL and SQLite; re-read to be sure on every backend.
    return {u.username: u for u in User.objects.filter(username__in=[a.username for a in issued])}


def _flag_one_time(users: dict[str, object]) -> None:
    have = set(Profile.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    Profile.objects.filter(user_id__in=have).update(must_change_password=True)
    Profile.objects.bulk_create(
        [Profile(user=u, must_change_password=True) for u in users.values() if u.pk not in have]
    )


def _link_schools(office: Office, issued: list[IssuedAccount], users: dict[str, object]) -> None:
    linked = set(
        Membership.objects.filter(role=Role.SCHOOL, user__in=users.values()).values_list("user_id", "school_id")
    )
    Membership.objects.bulk_create(
        [
            Membership(user=users[a.username], office=office, role=Role.SCHOOL, school=a.school)
            for a in issued
            if (users[a.username].pk, a.school.pk) not in linked
        ]
    )


def _audit_issued(office: Office, issued: list[IssuedAccount], users: dict[str, object], *, by) -> None:
    """One audit event per issued login: account created, or password reset by staff for an existing one."""
    record_audit_events(
        {
            "event_type": AuditEvent.Type.PASSWORD_RESET_BY_STAFF if a.reset else AuditEvent.Type.ACCOUNT_CREATED,
            "actor": by, "office": office, "target": users[a.username],
            "after": {"username": a.username, "one_time_password": True, "roles": [_membership_state(Role.SCHOOL, school=a.school.smis_code)]},
        }
        for a in issued
    )


def _lift_lockouts(usernames: list[str]) -> None:
    """A school stuck behind the login throttle gets in with its new one-time password."""
    AccessAttempt.objects.filter(username__in=usernames).delete()


def change_password(user, new_password: str, *, by) -> None:
    """Set ``user``'s own password and clear the one-time-password flag.

    Validates ``new_password`` with ``AUTH_PASSWORD_VALIDATORS``; while the flag is set, the
    one-time password itself is refused (it was printed on paper). Sets
    ``Profile.password_changed_at`` (aware datetime). Raises ``PermissionDenied`` unless ``by`` is
    ``user`` (or a superuser), ``ValidationError`` for a weak or reused password. The caller
    keeps the session valid (``update_session_auth_hash``).
    """
    _require_same_user(user, by)
    validate_password(new_password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        profile, _created = Profile.objects.select_for_update().get_or_create(user=locked)
        if profile.must_change_password and locked.check_password(new_password):
            raise ValidationError(_("Choose a new password: the one-time password from the office cannot be kept."))
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        profile.must_change_password = False
        profile.password_changed_at = timezone.now()
        profile.save(update_fields=["must_change_password", "password_changed_at"])
        if by.pk != locked.pk:  # a superuser set someone else's password
            record_audit_event(AuditEvent.Type.PASSWORD_RESET_BY_STAFF, actor=by, target=locked, after={"username": locked.username})
    user.password = locked.password  # the caller's object matches the stored hash


# --------------------------------------------------------------------------------------------
# Memberships and staff people
# --------------------------------------------------------------------------------------------
def add_membership(
    office: Office,
    *,
    user,
    role: str,
    division: Division | None = None,
    school: School | None = None,
    by,
) -> Membership:
    """Give ``user`` the ``role`` in ``office`` (a division head names a ``division``, a school role a ``school``).

    Rules (docs/roles-and-access.md; model constraints of ``Membership``): a division head needs
    a division of ``office``; other staff roles may name the person's division (as the demo's
    project owners do); the school role needs a school of ``office`` and only it names one. A role
    is held once per office, a division head once per division; a school login never holds an
    office role, nor a staff person the school role (a school account must not see every school).
    One person may hold several roles and head several divisions.

    Returns the new membership. Raises ``PermissionDenied`` unless ``by`` is the office's plan
    officer, ``ValidationError`` (a Thai sentence) otherwise.
    """
    _require_plan_officer(by, office)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if role == Role.DIVISION_HEAD and division is None:
        raise ValidationError(_("A division head needs a division."))
    if division is not None:
        if role == Role.SCHOOL:
            raise ValidationError(_("A school login names its school, not a division."))
        if division.office_id != office.pk:
            raise ValidationError(_("The division is not a division of this office."))
    if role == Role.SCHOOL:
        if school is None:
            raise ValidationError(_("The school role needs a school."))
        if school.office_id != office.pk:
            raise ValidationError(_("The school is not a school of this office."))
    elif school is not None:
        raise ValidationError(_("Only the school role names a school."))

    with transaction.atomic():
        # Memberships of one person are changed one at a time: the duplicate check stays true.
        user = User.objects.select_for_update().get(pk=user.pk)
        held = Membership.objects.filter(user=user)
        if role == Role.SCHOOL and held.filter(role__in=list(STAFF_ROLES)).exists():
            raise ValidationError(
                _("%(name)s holds office roles; a school login must be a separate account.") % {"name": _person(user)}
            )
        if role != Role.SCHOOL and held.filter(role=Role.SCHOOL).exists():
            raise ValidationError(
                _("%(name)s is a school login; it cannot hold office roles.") % {"name": _person(user)}
            )
        same = held.filter(office=office, role=role)
        if role == Role.DIVISION_HEAD:
            same = same.filter(division=division)  # one head membership per division headed
        elif role == Role.SCHOOL:
            same = same.filter(school=school)
        # other roles are held once per office, whatever division they name
        if same.exists():
            raise ValidationError(
                _("%(name)s already holds this role in this office.") % {"name": _person(user)}
            )
        before = roles_state(user, office)
        membership = Membership.objects.create(user=user, office=office, role=role, division=division, school=school)
        record_audit_event(
            AuditEvent.Type.ROLE_GRANTED, actor=by, office=office, target=user, before=before, after=roles_state(user, office)
        )
        return membership


def remove_membership(membership: Membership, *, by) -> None:
    """Delete ``membership``; the person's other roles stay.

    A plan officer cannot remove their own last plan-officer membership of the office (they would
    lock themselves out of this page). Raises ``PermissionDenied`` unless ``by`` is the plan
    officer of the membership's office, ``ValidationError`` for the self-removal.
    """
    office = membership.office
    _require_plan_officer(by, office)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=membership.user_id)
        membership = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if membership is None:
            return  # already removed (a second click): nothing to do
        if (
            membership.user_id == by.pk
            and membership.role == Role.PLAN_OFFICER
            and not Membership.objects.filter(user_id=by.pk, office=office, role=Role.PLAN_OFFICER).exclude(pk=membership.pk).exists()
        ):
            raise ValidationError(
                _("You cannot remove your own last plan officer role; ask another plan officer or the administrator.")
            )
        before = roles_state(person, office)
        membership.delete()
        record_audit_event(
            AuditEvent.Type.ROLE_REMOVED, actor=by, office=office, target=person, before=before, after=roles_state(person, office)
        )


def create_staff_user(
    office: Office,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    division: Division | None = None,
    by,
    site_url: str,
) -> object:
    """Create an office staff person with ``role`` and email them a link to set their password.

    The account gets a random password nobody knows (usable, so "forgot password" works later);
    the email, sent after commit in Thai, carries Django's password-reset token link
    (``password_reset_confirm``), valid ``PASSWORD_RESET_TIMEOUT`` seconds. ``site_url`` is the
    scheme and host the link starts with, e.g. ``https://emes.example.go.th``.

    Eight-digit usernames are kept for school accounts; usernames and emails must be unused.
    Returns the user. Raises ``PermissionDenied`` / ``ValidationError`` as :func:`add_membership`.
    """
    _require_plan_officer(by, office)
    # NFKC as Django's login form does, or a full-width "ｖｉｅｗｅｒ" could never log in (issue 13).
    username = clean_code(username)
    User.username_validator(username)
    first_name, last_name = require_text(first_name, field="first_name"), require_text(last_name, field="last_name")
    email = clean_text(email)
    if role == Role.SCHOOL:
        raise ValidationError(_("School logins are created on the school accounts page."))
    if username.isdigit() and len(username) == 8:
        raise ValidationError(_("Usernames of 8 digits are kept for school accounts."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The username %(username)s is already taken.") % {"username": username})
    if not email:
        raise ValidationError(_("An email address is needed to send the password link."))
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Another account already uses %(email)s.") % {"email": email})
    with transaction.atomic():
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        Profile.objects.create(user=user)
        record_audit_event(
            AuditEvent.Type.ACCOUNT_CREATED, actor=by, office=office, target=user,
            after={"username": user.username, "name": user.get_full_name(), "email": user.email},
        )
        add_membership(office, user=user, role=role, division=division, by=by)  # writes the role's own event
        transaction.on_commit(lambda: send_password_set_email(user, office=office, site_url=site_url))
    return user


def send_password_set_email(user, *, office: Office, site_url: str) -> None:
    """Email ``user`` (in Thai) a one-day link to set their own password (Django's reset token)."""
    link = site_url.rstrip("/") + reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    context = {"user": user, "office": office, "link": link, "site_url": site_url, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("emes/people/email/account_created_subject.txt", context).strip()
        body = render_to_string("emes/people/email/account_created_body.txt", context)
    send_mail(subject, body, None, [user.email])


# --------------------------------------------------------------------------------------------
# Audit of roles (emes.audit)
# --------------------------------------------------------------------------------------------
def _membership_state(role: str, *, division: str | None = None, school: str | None = None) -> dict[str, str | None]:
    return {"role": role, "division": division, "school": school}


def roles_state(user, office: Office) -> dict[str, list[dict[str, str | None]]]:
    """``user``'s roles in ``office`` as an audit event's before/after: ``{"roles": [{"role", "division", "school"}]}``.

    ``division`` is the division's code, ``school`` the school's SMIS code (``None`` where the role names
    none); sorted, so two states compare equal when the roles are the same. One query.
    """
    rows = Membership.objects.filter(user=user, office=office).values_list("role", "division__code", "school__smis_code")
    return {"roles": [_membership_state(r, division=d, school=s) for r, d, s in sorted(rows, key=lambda t: tuple(x or "" for x in t))]}


@transaction.atomic
def save_membership_in_admin(membership: Membership, *, by, change: bool) -> None:
    """Store ``membership`` as edited in the Django admin (superusers only) and write its audit event.

    The admin is a path like the people page: a new membership is a role granted, a changed one a role
    changed (before: the membership as stored, after: as saved), so no change of access escapes the trail.
    """
    old = Membership.objects.select_for_update().select_related("user", "office").filter(pk=membership.pk).first() if change else None
    before = roles_state(old.user, old.office) if old else roles_state(membership.user, membership.office)
    membership.save()
    after = roles_state(membership.user, membership.office)
    if old is not None and (old.user_id, old.office_id) != (membership.user_id, membership.office_id):
        before = {**before, "user": old.user.username, "office": old.office.area_code}  # moved to another person or office
    record_audit_event(
        AuditEvent.Type.ROLE_CHANGED if old is not None else AuditEvent.Type.ROLE_GRANTED,
        actor=by, office=membership.office, target=membership.user, before=before, after=after,
    )


@transaction.atomic
def delete_membership_in_admin(membership: Membership, *, by) -> None:
    """Delete ``membership`` from the Django admin (superusers only) and write the role-removed audit event."""
    person, office = membership.user, membership.office
    before = roles_state(person, office)
    membership.delete()
    record_audit_event(AuditEvent.Type.ROLE_REMOVED, actor=by, office=office, target=person, before=before, after=roles_state(person, office))


def _person(user) -> str:
    return user.get_full_name() or user.username
