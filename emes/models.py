"""The shared kernel: offices, their divisions and schools, memberships and declared holidays.

Everything in EMES belongs to one :class:`Office`; a user reaches an office's data only
through a :class:`Membership` (see ``emes.access``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

area_code_validator = RegexValidator(r"^\d{4}(\d{2})?$", _("An area code has 4 digits (primary) or 6 digits (secondary)."))
smis_code_validator = RegexValidator(r"^\d{8}$", _("The SMIS code has 8 digits."))
moe_code_validator = RegexValidator(r"^\d{10}$", _("The ministry code has 10 digits."))


class Office(models.Model):
    """An Educational Service Area Office (สำนักงานเขตพื้นที่การศึกษา, สพป./สพม.).

    ``area_code`` is OBEC's code: 4 digits for primary areas (province + number, e.g. 5402 for
    สพป.แพร่ เขต 2), 6 digits for the secondary areas created in 2021 (e.g. 610001).
    """

    class Type(models.TextChoices):
        PRIMARY = "primary", _("Primary (สพป.)")
        SECONDARY = "secondary", _("Secondary (สพม.)")
        SPECIAL = "special", _("Special education")

    area_code = models.CharField(_("area code"), max_length=6, unique=True, validators=[area_code_validator])
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices, default=Type.PRIMARY)
    province = models.CharField(_("province"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    director_name = models.CharField(_("director's name"), max_length=200, blank=True)
    director_position = models.CharField(_("director's position"), max_length=200, blank=True)
    letter_prefix = models.CharField(_("letter-number prefix"), max_length=30, blank=True, help_text=_("e.g. ศธ 04xxx"))

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
    students_total = models.PositiveIntegerField(_("students"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    merged_into = models.CharField(_("merged into"), max_length=200, blank=True)

    class Meta:
        ordering = ["office", "smis_code"]
        indexes = [models.Index(fields=["office", "cluster"])]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return f"{self.smis_code} {self.name}"


class Role(models.TextChoices):
    """The roles of DESIGN.md; a membership gives one role in one office (and school, for school accounts)."""

    DIRECTOR = "director", _("Director")
    PLAN_OFFICER = "plan_officer", _("Plan officer")
    DIVISION_HEAD = "division_head", _("Division head")
    PROJECT_OWNER = "project_owner", _("Project owner")
    SUPERVISOR = "supervisor", _("Supervisor")
    SCHOOL = "school", _("School")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in an office (a school account also names its school; a division head their division)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("office"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    division = models.ForeignKey(Division, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("division"))
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships", verbose_name=_("school"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="membership_unique_role_per_office"),
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
