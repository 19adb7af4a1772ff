"""The shared kernel: offices, their divisions and schools, memberships and declared holidays.

Everything in EMES belongs to one :class:`Office`; a user reaches an office's data only
through a :class:`Membership` (see ``emes.access``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

area_code_validator = RegexValidator(r"^\d{4}(\d{2})?$", _("An area code has 4 digits (primary) or 6 digits (secondary)."))
smis_code_validator = RegexValidator(r"^\d{8}$", _("The SMIS code has 8 digits."))
moe_code_validator = RegexValidator(r"^\d{10}$", _("The ministry code has 10 digits."))


class OfficeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OfficeQuerySet":
        """Offices where ``user`` holds any membership, school accounts included (all for a superuser)."""
        from .access import ALL_ROLES, offices_visible_to  # cycle: emes.access imports emes.models

        return self.filter(pk__in=offices_visible_to(user, ALL_ROLES).values("pk"))


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SchoolQuerySet":
        """Schools ``user`` may see: every school of an office where they are staff, plus their own school(s).

        A school account sees its own school only, never another school of the same office.
        """
        from .access import schools_visible_to  # cycle: emes.access imports emes.models

        return schools_visible_to(user, self)

    def open(self) -> "SchoolQuerySet":
        """Schools still teaching: open and present in the latest imported registry."""
        return self.filter(is_open=True, missing_since__isnull=True)


class Office(models.Model):
    """An Educational Service Area Office (สำนักงานเขตพื้นที่การศึกษา, สพป./สพม.).

    ``area_code`` is OBEC's code: 4 digits for primary areas (province + number, e.g. 5402 for
    สพป.แพร่ เขต 2), 6 digits for the secondary areas created in 2021 (e.g. 610001).
    """

    class Type(models.TextChoices):
        PRIMARY = "primary", _("Primary (สพป.)")
        SECONDARY = "secondary", _("Secondary (สพม.)")
        SPECIAL = "special", _("Special education")

    class Digits(models.TextChoices):
        THAI = "thai", _("Thai digits (๑๒๓)")
        ARABIC = "arabic", _("Arabic digits (123)")

    area_code = models.CharField(_("area code"), max_length=6, unique=True, validators=[area_code_validator])
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.PRIMARY)
    province = models.CharField(_("province"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    director_name = models.CharField(_("director's name"), max_length=200, blank=True)
    director_position = models.CharField(_("director's position"), max_length=200, blank=True)
    letter_prefix = models.CharField(_("letter-number prefix"), max_length=30, blank=True, help_text=_("e.g. ศธ 04xxx"))
    emblem = models.ImageField(
        _("emblem (Garuda) image"), upload_to="offices/emblems/", blank=True,
        help_text=_("PNG or JPEG printed 3 cm high at the top of external letters."),
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Printed at the foot of letters as the responsible unit's contact."))
    letters_in_thai_digits = models.BooleanField(
        _("Thai digits in letters"), default=True,
        help_text=_("Write numbers and dates of official letters in Thai digits (๑๒๓), as official style prefers."),
    )
    report_digits = models.CharField(
        _("digits in the annual report"), max_length=6, choices=Digits.choices, default=Digits.THAI,
        help_text=_("One digit style for the whole annual report: numbers, dates and page numbers."),
    )
    letters_unit = models.CharField(
        _("unit that sends reminder letters"), max_length=200, blank=True, default="กลุ่มนโยบายและแผน",
        help_text=_("Named at the foot of letters (ส่วนราชการเจ้าของเรื่อง) and after ส่วนราชการ in memos."),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["area_code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """The office's full Thai title, e.g. สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2."""
        if self.name.startswith("สพป."):
            return "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา" + self.name.removeprefix("สพป.")
        if self.name.startswith("สพม."):
            return "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา" + self.name.removeprefix("สพม.")
        return self.name


class Division(models.Model):
    """A division (กลุ่ม) of an office, e.g. กลุ่มนโยบายและแผน; ``code`` follows the 01-10 standard numbering."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="divisions", verbose_name=_("office"))
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)

    class Meta:
        ordering = ["office", "code"]
        constraints = [models.UniqueConstraint(fields=["office", "code"], name="division_unique_code_per_office")]
        verbose_name = _("division")
        verbose_name_plural = _("divisions")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school (สถานศึกษา) of an office.

    ``smis_code`` is the 8-digit SMIS code (area code + 4-digit sequence); ``moe_code`` the
    10-digit ministry code (รหัสกระทรวง). ``cluster`` is the school cluster (กลุ่มโรงเรียน /
    ศูนย์ประสานงาน).
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="schools", verbose_name=_("office"))
    smis_code = models.CharField(_("SMIS code"), max_length=8, unique=True, validators=[smis_code_validator])
    moe_code = models.CharField(_("ministry code"), max_length=10, blank=True, validators=[moe_code_validator])
    name = models.CharField(_("name"), max_length=200)
    district = models.CharField(_("district"), max_length=100, blank=True)
    subdistrict = models.CharField(_("sub-district"), max_length=100, blank=True)
    cluster = models.CharField(_("cluster"), max_length=200, blank=True)
    lowest_grade = models.CharField(_("lowest grade"), max_length=50, blank=True)
    highest_grade = models.CharField(_("highest grade"), max_length=50, blank=True)
    school_type = models.CharField(_("school type"), max_length=50, blank=True, help_text=_("e.g. ประถม, ขยายโอกาส, มัธยม"))
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Where reminder letters to the school are e-mailed."))
    students_total = models.PositiveIntegerField(_("students"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True, help_text=_("Off for a school merged into another (เรียนรวม) or closed."))
    merged_into = models.CharField(_("merged into"), max_length=200, blank=True)
    missing_since = models.DateTimeField(
        _("missing from the registry since"), null=True, blank=True,
        help_text=_("Set when a newer imported list no longer contains the school; schools are never deleted by an import."),
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        ordering = ["office", "smis_code"]
        indexes = [models.Index(fields=["office", "cluster"])]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return f"{self.smis_code} {self.name}"

    @property
    def size(self) -> str:
        """OBEC size class by students: small 1-120, medium 121-600, large 601-1,499, extra large 1,500+ ("" unknown).

        Source: OBEC's four school-size classes used in budget allocation (ขนาดเล็ก/กลาง/ใหญ่/ใหญ่พิเศษ).
        """
        n = self.students_total
        if not n:
            return ""
        if n <= 120:
            return gettext("Small")
        if n <= 600:
            return gettext("Medium")
        if n < 1500:
            return gettext("Large")
        return gettext("Extra large")


class Grade(models.TextChoices):
    """Grades of Thai basic education, in order (อนุบาล, ประถมศึกษา, มัธยมศึกษา)."""

    K1 = "k1", "อ.1"
    K2 = "k2", "อ.2"
    K3 = "k3", "อ.3"
    P1 = "p1", "ป.1"
    P2 = "p2", "ป.2"
    P3 = "p3", "ป.3"
    P4 = "p4", "ป.4"
    P5 = "p5", "ป.5"
    P6 = "p6", "ป.6"
    M1 = "m1", "ม.1"
    M2 = "m2", "ม.2"
    M3 = "m3", "ม.3"
    M4 = "m4", "ม.4"
    M5 = "m5", "ม.5"
    M6 = "m6", "ม.6"


class Enrolment(models.Model):
    """Students of one grade of a school in an academic year (BE, starts 16 May).

    The denominators of literacy results (ป.1-ป.6 at least); imported from DMC student-count
    files such as the Chiang Rai 3 one (``data/01_schools/spp_chiangrai3``).
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("school"))
    academic_year = models.PositiveSmallIntegerField(_("academic year (BE)"))
    grade = models.CharField(_("grade"), max_length=2, choices=Grade.choices)
    students = models.PositiveIntegerField(_("students"))

    class Meta:
        ordering = ["school", "academic_year", "grade"]
        constraints = [models.UniqueConstraint(fields=["school", "academic_year", "grade"], name="enrolment_unique_grade")]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.school.smis_code} {self.get_grade_display()} {self.academic_year}: {self.students}"


class Role(models.TextChoices):
    """The roles of docs/roles-and-access.md; a membership gives one role in one office (and school, for school accounts)."""

    DIRECTOR = "director", _("Director")
    PLAN_OFFICER = "plan_officer", _("Plan officer")
    DIVISION_HEAD = "division_head", _("Division head")
    PROJECT_OWNER = "project_owner", _("Project owner")
    SUPERVISOR = "supervisor", _("Supervisor")
    SCHOOL = "school", _("School")
    VIEWER = "viewer", _("Viewer")


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MembershipQuerySet":
        """The user's own memberships, and every membership of the offices where they manage people."""
        from .access import REGISTRY_READER_ROLES, offices_visible_to  # cycle: emes.access imports emes.models

        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(user=user) | models.Q(office__in=offices_visible_to(user, REGISTRY_READER_ROLES)))


class Membership(models.Model):
    """A user's role in an office (a school account also names its school; a division head their division)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("office"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("division"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("school"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            # One person may hold several roles, and one role for several divisions or schools
            # (a division head of two divisions); the same membership is never stored twice.
            models.UniqueConstraint(
                fields=["user", "office", "role"], condition=models.Q(division__isnull=True, school__isnull=True),
                name="membership_unique_office_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "division"], condition=models.Q(division__isnull=False), name="membership_unique_division_role"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"], condition=models.Q(school__isnull=False), name="membership_unique_school_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="division_head") | models.Q(division__isnull=False),
                name="membership_division_head_needs_division",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="school") | models.Q(school__isnull=False),
                name="membership_school_role_needs_school",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.office}"


class OfficeHoliday(models.Model):
    """An extra non-working day declared by an office (e.g. a special cabinet holiday not yet in ``holidays``).

    Counted by ``emes.fiscal.WorkingCalendar`` on top of weekends and Thai public holidays.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("office"))
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="office_holiday_unique_date")]
        verbose_name = _("office holiday")
        verbose_name_plural = _("office holidays")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Profile(models.Model):
    """Account facts EMES keeps beside Django's user: whether the next login must change the password.

    Set for school accounts created with a one-time password (and after an officer resets one);
    cleared by ``emes.people.services.change_password``.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emes_profile", verbose_name=_("user"))
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")

    def __str__(self) -> str:
        return str(self.user)


class SchoolImport(models.Model):
    """An uploaded school list of an office: previewed first, then applied all or nothing.

    ``summary`` holds the counts of the preview or the applied change: ``{"added": n, "changed": n,
    "marked": n, "unchanged": n, "enrolments": n}``.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="school_imports", verbose_name=_("office"))
    file = models.FileField(_("file"), upload_to="imports/schools/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    academic_year = models.PositiveSmallIntegerField(_("academic year (BE)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("school import")
        verbose_name_plural = _("school imports")

    def __str__(self) -> str:
        return f"{self.original_name} · {self.office} · {self.get_status_display()}"


class SchoolAccountBatch(models.Model):
    """One generation of school logins with one-time passwords, and the printable lists to hand out.

    The PDF and XLSX hold the one-time passwords in clear (that is their purpose); they are stored
    privately, served only to the office's plan officer and director, and every password in them
    stops working at the school's first login, which forces a change.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="school_account_batches", verbose_name=_("office"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    pdf = models.FileField(_("PDF list"), upload_to="accounts/%Y/%m/", blank=True)
    xlsx = models.FileField(_("Excel list"), upload_to="accounts/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("school account batch")
        verbose_name_plural = _("school account batches")

    def __str__(self) -> str:
        return f"{self.office} · {self.created_at:%Y-%m-%d %H:%M} · {self.accounts}"


# Models kept in their own modules, registered under the ``emes`` app.
from emes.calendar.models import CalendarEvent, CalendarFeed  # noqa: E402,F401
from emes.notifications.models import EmailPreference, Notification  # noqa: E402,F401
from emes.audit.models import AuditEvent, TransitionBase  # noqa: E402,F401
from emes.documents.models import DocumentJob  # noqa: E402,F401
