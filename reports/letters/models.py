"""The office's outgoing-letter register (ทะเบียนหนังสือส่ง) and its running numbers.

Rule (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. 2526, ข้อ 11-12): a letter's number (ที่) is the
owner's letter code, a slash, and the running number of the outgoing register, e.g. "ศธ 04xxx/1234".
The register restarts at 1 each calendar year (BE), per office.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from emes.querysets import OfficeScopedQuerySet


class OutgoingLetterQuerySet(OfficeScopedQuerySet):
    """Letters of the offices where ``user`` is staff (see ``emes.access``)."""

    office_path = "office"


class OutgoingLetter(models.Model):
    """One entry of the outgoing register: number, date, subject, recipient and the signed-to-be PDF.

    ``year`` is the calendar year in BE of ``date``; ``number`` runs 1, 2, 3 … within (office, year)
    and is taken from :class:`LetterCounter` under a row lock, so numbers are never reused or skipped
    by concurrent senders.
    """

    class Kind(models.TextChoices):
        EXTERNAL = "external", _("External letter (หนังสือภายนอก)")
        MEMO = "memo", _("Internal memo (บันทึกข้อความ)")

    office = models.ForeignKey("emes.Office", on_delete=models.PROTECT, related_name="outgoing_letters", verbose_name=_("office"))
    year = models.PositiveSmallIntegerField(_("year (BE)"))
    number = models.PositiveIntegerField(_("running number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    recipient = models.CharField(_("to"), max_length=300)
    file = models.FileField(_("letter (PDF)"), upload_to="letters/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = OutgoingLetterQuerySet.as_manager()

    class Meta:
        app_label = "reports"
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["office", "year", "number"], name="outgoing_letter_unique_number")]
        verbose_name = _("outgoing letter")
        verbose_name_plural = _("outgoing-letter register")

    def __str__(self) -> str:
        return f"{self.letter_no} {self.subject}"

    @property
    def letter_no(self) -> str:
        """The number as printed after ที่, e.g. "ศธ 04xxx/1234" (Arabic digits; templates convert)."""
        prefix = self.office.letter_prefix or self.office.area_code
        return f"{prefix}/{self.number}"


class LetterCounter(models.Model):
    """The last running number used in an office's outgoing register in a calendar year (BE)."""

    office = models.ForeignKey("emes.Office", on_delete=models.CASCADE, related_name="+", verbose_name=_("office"))
    year = models.PositiveSmallIntegerField(_("year (BE)"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        app_label = "reports"
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="letter_counter_unique_year")]
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")

    def __str__(self) -> str:
        return f"{self.office} {self.year}: {self.last_number}"
